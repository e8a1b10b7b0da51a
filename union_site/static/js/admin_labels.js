/* The admin's autocomplete boxes (select2, made by Django's autocomplete.js) named after their field's label, for
   screen readers: select2 gives its box and its text no name of their own. */
(function () {
  "use strict";
  function name() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = document.querySelector('label[for="' + select.id + '"]');
      var container = select.nextElementSibling;
      if (!label || !container) {
        return;
      }
      var text = label.textContent.replace(/[:：]\s*$/, "").trim();
      container.querySelectorAll(".select2-selection, .select2-selection__rendered").forEach(function (el) {
        el.setAttribute("aria-label", text);
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    window.setTimeout(name, 0);  // after autocomplete.js has made the boxes
    document.addEventListener("formset:added", function () { window.setTimeout(name, 0); });
  });
})();
