/* Bulk upload (admin/gallery/album/bulk_upload.html), with JavaScript: each chosen file is sent in a request of its
 * own to the form's data-file-url (AlbumAdmin.upload_file_view), one after the other, with a progress bar per file
 * and one for the whole upload. Every request holds one file, so it stays short (far below a proxy's timeout)
 * however many photos are chosen. A file whose request failed (network, server) is marked and can be sent again
 * alone (重新上传未成功的文件); a file the server has already (same content) is skipped there and reported as a
 * duplicate, so choosing the same photos again after a reload adds nothing twice.
 * Without JavaScript the form posts every file in one request, as before (the server then counts them).
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-file-url]");
  var panel = document.getElementById("upload-progress");
  if (!form || !panel || !window.FormData || !window.XMLHttpRequest) return;
  var input = form.querySelector("input[type=file]");
  var rows = panel.querySelector("tbody");
  var overall = document.getElementById("upload-overall");
  var count = document.getElementById("upload-count");
  var heading = document.getElementById("upload-heading");
  var retry = document.getElementById("upload-retry");
  var items = [];
  var busy = false;

  var LABELS = { waiting: "等待发送", sending: "正在发送", failed: "发送失败" };

  function cell(row, className) {
    var td = document.createElement("td");
    td.className = className;
    row.appendChild(td);
    return td;
  }

  function add(file) {
    var row = document.createElement("tr");
    var name = cell(row, "upload-name");
    name.textContent = file.name;
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name + " 的上传进度");
    cell(row, "upload-bar").appendChild(bar);
    var status = cell(row, "upload-status");
    rows.appendChild(row);
    var item = { file: file, row: row, bar: bar, status: status, state: "waiting", sent: 0 };
    show(item, "waiting", "");
    return item;
  }

  function show(item, state, message, label) {
    item.state = state;
    item.row.className = "upload-" + state;
    item.status.textContent = "";
    var strong = document.createElement("strong");
    strong.textContent = label || LABELS[state];
    item.status.appendChild(strong);
    if (message) {
      var note = document.createElement("span");
      note.className = "upload-message";
      note.textContent = message;
      item.status.appendChild(note);
    }
  }

  function finished(item) {
    return item.state !== "waiting" && item.state !== "sending" && item.state !== "failed";
  }

  function tally() {
    var total = 0, sent = 0, done = 0, failed = 0;
    items.forEach(function (item) {
      total += item.file.size || 1;
      sent += finished(item) ? item.file.size || 1 : item.sent;
      if (finished(item)) done += 1;
      if (item.state === "failed") failed += 1;
    });
    overall.max = total || 1;
    overall.value = sent;
    count.textContent = "已处理 " + done + " / " + items.length + " 个文件" + (failed ? "，" + failed + " 个发送失败" : "");
    return failed;
  }

  // A ZIP gives a row per picture inside it: the archive's row says how it went, each picture follows.
  function report(item, outcomes) {
    if (outcomes.length === 1 && outcomes[0].name === item.file.name) {
      show(item, outcomes[0].status, outcomes[0].message, outcomes[0].label);
      return;
    }
    show(item, "archive", "压缩包里有 " + outcomes.length + " 个文件，见下面各行。", "已读取");
    var after = item.row;
    outcomes.forEach(function (outcome) {
      var row = document.createElement("tr");
      cell(row, "upload-name").textContent = outcome.name;
      cell(row, "upload-bar");
      var sub = { row: row, status: cell(row, "upload-status") };
      after.parentNode.insertBefore(row, after.nextSibling);
      after = row;
      show(sub, outcome.status, outcome.message, outcome.label);
    });
  }

  function failure(xhr) {
    if (xhr.status === 403) return "登录已过期或没有权限：请在新标签页重新登录后点“重新上传未成功的文件”。";
    if (xhr.status === 413) return "文件太大，服务器拒收。";
    return "网络中断或服务器没有应答，照片未保存；可以重新上传。";
  }

  function send(item, next) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("credit", form.querySelector("[name=credit]").value);
    data.append("files", item.file, item.file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.getAttribute("data-file-url"));
    xhr.timeout = 120000;
    show(item, "sending", "");
    xhr.upload.onprogress = function (event) {
      if (!event.lengthComputable) return;
      item.sent = event.loaded;
      item.bar.value = Math.round((event.loaded * 100) / event.total);
      tally();
    };
    xhr.onload = function () {
      var answer = null;
      try {
        answer = JSON.parse(xhr.responseText);
      } catch (ignored) {
        answer = null;
      }
      if (xhr.status === 200 && answer && answer.outcomes) {
        item.bar.value = 100;
        report(item, answer.outcomes);
      } else if (xhr.status === 400 && answer && answer.error) {
        show(item, "rejected", answer.error, "未通过");
      } else {
        item.sent = 0;
        item.bar.value = 0;
        show(item, "failed", failure(xhr));
      }
      next();
    };
    xhr.onerror = xhr.ontimeout = function () {
      item.sent = 0;
      item.bar.value = 0;
      show(item, "failed", failure(xhr));
      next();
    };
    xhr.send(data);
  }

  function run() {
    var waiting = items.filter(function (item) {
      return item.state === "waiting";
    });
    tally();
    if (!waiting.length) return done();
    send(waiting[0], run);
  }

  function done() {
    busy = false;
    var failed = tally();
    var counts = { saved: 0, duplicate: 0, rejected: 0 };
    rows.querySelectorAll("tr").forEach(function (row) {
      var state = row.className.replace("upload-", "");
      if (state in counts) counts[state] += 1;
    });
    var summary = counts.saved + " 张已上传，" + counts.duplicate + " 张重复已跳过，" + counts.rejected + " 张未通过";
    heading.textContent = (failed ? "上传中断：" + failed + " 个文件没有发送成功；" : "上传完成：") + summary;
    retry.hidden = !failed;
    retry.textContent = "重新上传未成功的 " + failed + " 个文件";
    panel.querySelectorAll("[data-after-upload]").forEach(function (element) {
      element.hidden = false;
    });
    input.value = "";
    form.querySelector("[type=submit]").disabled = false;
  }

  function start(files) {
    if (busy) return;
    busy = true;
    panel.hidden = false;
    heading.textContent = "正在上传……";
    retry.hidden = true;
    form.querySelector("[type=submit]").disabled = true;
    files.forEach(function (file) {
      items.push(add(file));
    });
    run();
  }

  form.addEventListener("submit", function (event) {
    if (!input.files || !input.files.length) return; // the server says 请选择要上传的照片
    event.preventDefault();
    start(Array.prototype.slice.call(input.files));
  });

  retry.addEventListener("click", function () {
    if (busy) return;
    busy = true;
    retry.hidden = true;
    heading.textContent = "正在重新上传……";
    items.forEach(function (item) {
      if (item.state === "failed") show(item, "waiting", "");
    });
    run();
  });

  window.addEventListener("beforeunload", function (event) {
    if (!busy) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
