/* Bulk upload (admin/gallery/album/bulk_upload.html): warns before sending when more files are chosen than one
 * upload may hold (the input's data-max-files, settings.DATA_UPLOAD_MAX_NUMBER_FILES). The browser then refuses to
 * submit the form and shows the same sentence the server would; the server's own count stays the rule.
 */
(function () {
  "use strict";
  var input = document.querySelector("input[type=file][data-max-files]");
  if (!input) return;
  var limit = parseInt(input.getAttribute("data-max-files"), 10);
  var note = document.createElement("p"); // in the page only while there is something to say
  note.className = "errornote";
  note.setAttribute("role", "alert");

  function check() {
    var count = input.files ? input.files.length : 0;
    var message = "";
    if (count > limit) {
      message = "一次最多上传 " + limit + " 个文件，您选择了 " + count + " 个；请分批上传，每次不超过 " + limit + " 个。";
    }
    input.setCustomValidity(message);
    note.textContent = message;
    if (message && !note.parentNode) input.parentNode.insertBefore(note, input.nextSibling);
    if (!message && note.parentNode) note.parentNode.removeChild(note);
  }

  input.addEventListener("change", check);
  check();
})();
