// Bulk review of possible duplicates from the keyboard: j / k move between rows, m merges the
// current row keeping the first participant, d marks it as different people, u undoes the last
// merge. Every action submits the row's ordinary form (the page works the same without JS).
(function () {
  "use strict";
  var queue = document.getElementById("duplicates-queue");
  if (!queue) { return; }
  var rows = Array.prototype.slice.call(queue.querySelectorAll(".dup-row"));
  var current = -1;

  function select(index) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.classList.toggle("is-current", i === current); });
    rows[current].focus();
    rows[current].scrollIntoView({ block: "nearest" });
  }

  function submit(form, button) {
    if (!form) { return; }
    if (form.requestSubmit) { form.requestSubmit(button || undefined); } else if (button) { button.click(); } else { form.submit(); }
  }

  function act(action) {
    if (current < 0) { select(0); }
    var form = rows[current] && rows[current].querySelector('form[data-action="' + action + '"]');
    submit(form, form && form.querySelector("button"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) { return; }
    switch (event.key) {
      case "j": select(current + 1); break;
      case "k": select(current - 1); break;
      case "m": if (rows.length) { act("merge"); } break;
      case "d": if (rows.length) { act("distinct"); } break;
      case "u":
        var undo = document.querySelector('form[data-action="undo-last"]');
        submit(undo, undo && undo.querySelector("button"));
        break;
      default: return;
    }
    event.preventDefault();
  });

  if (rows.length) { select(0); }
}());
