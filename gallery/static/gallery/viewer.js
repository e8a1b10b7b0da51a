/* Album photo viewer (progressive enhancement for gallery/album_detail.html; no library).
 *
 * Markup it reads: <a data-viewer-item href="LARGE.jpg" data-webp="LARGE.webp" data-width data-height> holding
 * the thumbnail <img>, inside a <figure> whose <figcaption> is the caption. Without this script each link simply
 * opens the large JPEG.
 *
 * With it, a click opens a full-screen <dialog>: the large picture (WebP where supported), caption, "第 n / N 张",
 * buttons 上一张 / 下一张 / 关闭. Keys ← → Esc, swipe left/right, Tab stays inside; closing (also with the phone's
 * Back button) returns focus to the photo that was clicked. Only the photos of the current page; no auto-advance.
 */
(function () {
  "use strict";
  var links = [].slice.call(document.querySelectorAll("a[data-viewer-item]"));
  var root = document.documentElement;
  if (!links.length || typeof HTMLDialogElement !== "function" || !root.replaceChildren) return;

  var index = 0;
  var opener = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function button(className, label, text) {
    var node = el("button", "viewer-button " + className, text);
    node.type = "button";
    node.setAttribute("aria-label", label);
    return node;
  }

  var dialog = el("dialog", "viewer");
  dialog.setAttribute("aria-label", "查看大图");
  var bar = el("div", "viewer-bar");
  var counter = el("p", "viewer-counter");
  counter.setAttribute("aria-live", "polite");
  var close = button("viewer-close", "关闭", "× 关闭");
  var stage = el("div", "viewer-stage");
  var caption = el("p", "viewer-caption");
  var nav = el("div", "viewer-nav");
  var prev = button("viewer-prev", "上一张", "‹ 上一张");
  var next = button("viewer-next", "下一张", "下一张 ›");
  bar.append(counter, close);
  nav.append(prev, next);
  dialog.append(bar, stage, caption, nav);
  document.body.append(dialog);

  function show(i) {
    index = i;
    var link = links[index];
    var thumb = link.querySelector("img");
    var picture = el("picture");
    if (link.dataset.webp) {
      var source = el("source");
      source.type = "image/webp";
      source.srcset = link.dataset.webp;
      picture.append(source);
    }
    var img = el("img");
    img.alt = thumb ? thumb.alt : "";
    img.draggable = false;
    if (link.dataset.width) img.width = +link.dataset.width;
    if (link.dataset.height) img.height = +link.dataset.height;
    img.src = link.href;
    picture.append(img);
    stage.replaceChildren(picture);

    var figcaption = link.closest("figure") && link.closest("figure").querySelector("figcaption");
    caption.replaceChildren(...(figcaption ? figcaption.cloneNode(true).childNodes : []));
    counter.textContent = "第 " + (index + 1) + " / " + links.length + " 张";

    var focused = document.activeElement;
    prev.disabled = index === 0;
    next.disabled = index === links.length - 1;
    if (focused && focused.disabled) (prev.disabled ? next : prev).focus();
  }

  function go(step) {
    if (links[index + step]) show(index + step);
  }

  function open(i) {
    opener = links[i];
    show(i);
    root.classList.add("viewer-open");
    dialog.showModal();
    close.focus();
    history.pushState({ albumViewer: true }, "");
  }

  dialog.addEventListener("close", function () {
    root.classList.remove("viewer-open");
    stage.replaceChildren();
    if (opener) opener.focus();
    if (history.state && history.state.albumViewer) history.back();
  });

  // The phone's Back button closes the viewer instead of leaving the album.
  window.addEventListener("popstate", function () {
    if (dialog.open) dialog.close();
  });

  links.forEach(function (link, i) {
    link.addEventListener("click", function (event) {
      if (event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      open(i);
    });
  });
  close.addEventListener("click", function () {
    dialog.close();
  });
  prev.addEventListener("click", function () {
    go(-1);
  });
  next.addEventListener("click", function () {
    go(1);
  });

  dialog.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") go(-1);
    else if (event.key === "ArrowRight") go(1);
    else if (event.key === "Tab") {
      var items = [close, prev, next].filter(function (b) {
        return !b.disabled;
      });
      var at = items.indexOf(document.activeElement);
      var to = event.shiftKey ? (at <= 0 ? items.length - 1 : at - 1) : (at + 1) % items.length;
      items[to].focus();
    } else return;
    event.preventDefault();
  });

  // Swipe: a mostly horizontal drag of at least 50px. A second finger (pinch) cancels it.
  var start = null;
  stage.addEventListener("pointerdown", function (event) {
    stage.setPointerCapture(event.pointerId); // the pointerup comes here even if the finger ends off the picture
    start = start ? false : { x: event.clientX, y: event.clientY };
  });
  stage.addEventListener("pointerup", function (event) {
    if (start) {
      var dx = event.clientX - start.x;
      var dy = event.clientY - start.y;
      if (Math.abs(dx) > 50 && Math.abs(dx) > Math.abs(dy)) go(dx < 0 ? 1 : -1);
    }
    start = null;
  });
  stage.addEventListener("pointercancel", function () {
    start = null;
  });
})();
