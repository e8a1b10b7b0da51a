/* The article body's editor (news/forms.py ArticleBodyWidget), on top of django-ckeditor-5's app.js:
   - 字数 under the editor: characters of the text without spaces, as Chinese counts (not English words);
   - every picture inserted is followed by CKEditor's own 替换文本 form, with a line saying what to write; the line
     under the editor counts pictures still without one (the server refuses 提交审核 until each has it or a caption). */
(function () {
  "use strict";
  var HINT = "请用一句话写出画面内容（如“劳模代表在大会上发言”），给看不见图片的读者使用。提交审核前每张图片都要填写。";

  function parse(html) {
    return new DOMParser().parseFromString(html, "text/html").body;
  }

  function withoutAlt(body) {
    var missing = 0;
    body.querySelectorAll("img").forEach(function (img) {
      var figure = img.closest("figure");
      var caption = figure && figure.querySelector("figcaption");
      if (!(img.getAttribute("alt") || "").trim() && !(caption && caption.textContent.trim())) {
        missing += 1;
      }
    });
    return missing;
  }

  function askForAlt(editor, image) {
    if (!image || !image.root || image.root.rootName === "$graveyard") {
      return;  // removed meanwhile
    }
    editor.model.change(function (writer) { writer.setSelection(image, "on"); });
    editor.editing.view.focus();
    // The image toolbar's own button: pressing it opens the 替换文本 form on the selected picture.
    editor.ui.componentFactory.create("imageTextAlternative").fire("execute");
    var form = document.querySelector(".ck-text-alternative-form");
    if (form && !form.querySelector(".alt-hint")) {
      var hint = document.createElement("p");
      hint.className = "alt-hint";
      hint.textContent = HINT;
      form.insertBefore(hint, form.firstChild);
    }
  }

  function attach(textarea, editor) {
    var status = textarea.closest(".ck-editor-container").querySelector(".word-count");
    function update() {
      var body = parse(editor.getData());
      var text = "字数：" + body.textContent.replace(/\s+/g, "").length;
      var missing = withoutAlt(body);
      if (missing) {
        text += "　｜　" + missing + " 张图片还没有替代文字：点击图片，再点图片上方的“更改图片替换文本”填写。";
      }
      status.textContent = text;
      status.classList.toggle("has-missing-alt", missing > 0);
    }
    editor.model.document.on("change:data", update);
    update();
    if (editor.plugins.has("ImageUploadEditing")) {
      editor.plugins.get("ImageUploadEditing").on("uploadComplete", function (event, data) {
        window.setTimeout(function () { askForAlt(editor, data.imageElement); }, 0);
      });
    }
  }

  var tries = 0;
  function findEditors() {
    var waiting = false;
    document.querySelectorAll("textarea.django_ckeditor_5").forEach(function (textarea) {
      if (textarea.dataset.articleEditor) {
        return;
      }
      var editor = window.editors && window.editors[textarea.id];
      if (editor) {
        textarea.dataset.articleEditor = "1";
        attach(textarea, editor);
      } else {
        waiting = true;
      }
    });
    if (waiting && tries++ < 300) {
      window.setTimeout(findEditors, 100);
    }
  }
  document.addEventListener("DOMContentLoaded", findEditors);
})();
