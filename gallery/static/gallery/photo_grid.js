/* The album's photo cards (admin/gallery/album/photo_grid.html): drag a card onto another to move it there; the
 * 排序 numbers of the cards on this page are then given out again in the new order (the same numbers, so the page
 * keeps its place among the album's other pages). Without JavaScript the numbers are typed. Also 全选本页.
 */
(function () {
  "use strict";
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  function start() {
  var list = document.querySelector(".photo-cards");
  if (!list) return;
  var dragged = null;

  function cards() {
    return Array.prototype.slice.call(list.querySelectorAll(".photo-card"));
  }

  function renumber() {
    var inputs = cards().map(function (card) {
      return card.querySelector(".photo-order");
    });
    var numbers = inputs.map(function (input) {
      return parseInt(input.value, 10) || 0;
    });
    numbers.sort(function (a, b) {
      return a - b;
    });
    var next = numbers[0] || 1;
    inputs.forEach(function (input, index) {
      // the page's own numbers in order; where they repeat (old rows all at 0), counted on from the last one
      next = index === 0 ? next : Math.max(numbers[index], next + 1);
      input.value = next;
    });
  }

  cards().forEach(function (card) {
    card.setAttribute("draggable", "true");
    card.addEventListener("dragstart", function (event) {
      if (event.target.closest("input, textarea, select, a, label")) return;
      dragged = card;
      card.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.id);
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("dragging");
      cards().forEach(function (other) {
        other.classList.remove("drop-target");
      });
      dragged = null;
    });
    card.addEventListener("dragover", function (event) {
      if (!dragged || dragged === card) return;
      event.preventDefault();
      card.classList.add("drop-target");
    });
    card.addEventListener("dragleave", function () {
      card.classList.remove("drop-target");
    });
    card.addEventListener("drop", function (event) {
      if (!dragged || dragged === card) return;
      event.preventDefault();
      var all = cards();
      var before = all.indexOf(dragged) > all.indexOf(card) ? card : card.nextSibling;
      list.insertBefore(dragged, before);
      renumber();
    });
  });

  var bulk = document.querySelector(".photo-bulk");
  if (bulk) {
    var label = document.createElement("label");
    var all = document.createElement("input");
    all.type = "checkbox";
    label.appendChild(all);
    label.appendChild(document.createTextNode(" 全选本页"));
    bulk.insertBefore(label, bulk.querySelector("label"));
    all.addEventListener("change", function () {
      list.querySelectorAll(".photo-card-check input[type=checkbox]").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }
  }
})();
