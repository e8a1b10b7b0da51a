/* Small enhancements; every page works without this file. */
(function () {
  "use strict";
  var reduced = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches;

  // 打印
  document.querySelectorAll("[data-print]").forEach(function (link) {
    var tool = link.closest("[data-print-tool]");
    if (tool) tool.hidden = false;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  });

  // 复制链接: the address stays in a read-only field for those who copy it by hand.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector(".copy-status");
    button.hidden = false;
    function say(text) {
      status.textContent = text;
    }
    function byHand() {
      field.select();
      try {
        say(document.execCommand("copy") ? "已复制" : "请长按上面的链接复制");
      } catch (e) {
        say("请长按上面的链接复制");
      }
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          say("已复制");
        }, byHand);
      } else byHand();
    });
    field.addEventListener("focus", function () {
      field.select();
    });
  });

  // 栏目导航 on phones (a <details>): Escape closes it and returns to the button.
  document.querySelectorAll(".nav-menu").forEach(function (menu) {
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });

  // 图片新闻: 上一张/下一张 buttons, numbered links that scroll the row only. Never moves by itself.
  document.querySelectorAll("[data-carousel]").forEach(function (carousel) {
    var track = carousel.querySelector(".carousel-track");
    var slides = track.children;
    var pager = carousel.querySelector(".carousel-pager");
    if (!pager || slides.length < 2) return;
    var dots = pager.querySelectorAll("a");
    function button(text, step) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "carousel-button";
      b.textContent = text;
      b.addEventListener("click", function () {
        go(current() + step);
      });
      return b;
    }
    var prev = button("‹ 上一张", -1);
    var next = button("下一张 ›", 1);
    pager.prepend(prev);
    pager.append(next);
    function current() {
      return Math.round(track.scrollLeft / track.clientWidth);
    }
    function go(i) {
      i = Math.max(0, Math.min(slides.length - 1, i));
      track.scrollTo({ left: slides[i].offsetLeft, behavior: reduced ? "auto" : "smooth" });
      mark(i);
    }
    function mark(i) {
      dots.forEach(function (dot, n) {
        if (n === i) dot.setAttribute("aria-current", "true");
        else dot.removeAttribute("aria-current");
      });
      var focused = document.activeElement;
      prev.disabled = i === 0;
      next.disabled = i === slides.length - 1;
      if (focused && focused.disabled) (focused === prev ? next : prev).focus();
    }
    dots.forEach(function (dot, n) {
      dot.addEventListener("click", function (event) {
        event.preventDefault();
        go(n);
      });
    });
    var timer;
    track.addEventListener("scroll", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        mark(current());
      }, 100);
    });
    mark(0);
  });
})();
