/* examkit: ordering items on screen, a list the student reorders. A step moves by dragging it
   (pointer: mouse, pen or touch on its grip), by its Move up / Move down buttons, or by Alt+Up /
   Alt+Down while it has focus. Each move marks the item as answered (data-moved on its
   fieldset), is announced to screen readers, and is reported to `onMove(step)`; `locked()`
   turns moving off (after checking). Used by the practice and study pages. */
var examkitReorder = function (root, onMove, locked) {
  "use strict";

  function steps(list) { return Array.prototype.slice.call(list.querySelectorAll(".step")); }

  function moved(step) {
    var list = step.parentNode, all = steps(list), note = list.nextElementSibling;
    step.closest("fieldset").setAttribute("data-moved", "1");
    if (note && note.classList.contains("moved")) {
      note.textContent = step.getAttribute("aria-label") + ": place " + (all.indexOf(step) + 1) + " of " + all.length + ".";
    }
    onMove(step);
  }

  function move(step, down) {
    var list = step.parentNode, other = down ? step.nextElementSibling : step.previousElementSibling;
    if (!other) { return; }
    list.insertBefore(step, down ? other.nextElementSibling : other);
    moved(step);
  }

  root.addEventListener("click", function (event) {
    var button = event.target.closest(".reorder button");
    if (!button || locked()) { return; }
    move(button.closest(".step"), button.classList.contains("down"));
    button.focus();  // moving the step took the focus away
  });

  root.addEventListener("keydown", function (event) {
    var step = event.target.closest && event.target.closest(".reorder .step");
    if (!step || !event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown") || locked()) { return; }
    event.preventDefault();
    move(step, event.key === "ArrowDown");
    event.target.focus();
  });

  var dragging = null;
  root.addEventListener("pointerdown", function (event) {
    var step = event.target.closest(".reorder .step");
    if (!step || event.target.closest("button") || locked()) { return; }
    dragging = step;
    step.classList.add("dragging");
    step.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  root.addEventListener("pointermove", function (event) {
    if (!dragging) { return; }
    var list = dragging.parentNode;
    var target = steps(list).filter(function (s) {
      var r = s.getBoundingClientRect();
      return s !== dragging && event.clientY >= r.top && event.clientY <= r.bottom;
    })[0];
    if (!target) { return; }
    var r = target.getBoundingClientRect();
    list.insertBefore(dragging, event.clientY > r.top + r.height / 2 ? target.nextElementSibling : target);
  });
  function drop() {
    if (!dragging) { return; }
    var step = dragging;
    dragging = null;
    step.classList.remove("dragging");
    moved(step);
  }
  root.addEventListener("pointerup", drop);
  root.addEventListener("pointercancel", drop);
};
