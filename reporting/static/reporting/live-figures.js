// Live event dashboard: polls the figures API (same origin, session cookie) and refreshes the
// numbers and bars in place. Loaded only while the event is on; no inline script (CSP).
(function () {
  "use strict";
  var root = document.getElementById("event-figures");
  if (!root || root.dataset.live !== "1") { return; }
  var url = root.dataset.url;
  var interval = Math.max(5, parseInt(root.dataset.interval, 10) || 15) * 1000;

  function setText(element, value) {
    if (element && element.textContent !== String(value)) { element.textContent = String(value); }
  }

  function widthOf(count, largest) {
    return largest ? (100 * count / largest).toFixed(1) + "%" : "0%";
  }

  function updateBars(shares, dimension) {
    var largest = Math.max.apply(null, shares.map(function (s) { return s.count; }).concat([0]));
    shares.forEach(function (share) {
      root.querySelectorAll('[data-bar="' + dimension + ":" + share.value + '"]').forEach(function (item) {
        setText(item.querySelector("[data-count]"), share.count);
        setText(item.querySelector("[data-percent]"), share.percent === null ? "—" : share.percent + " %");
        var fill = item.querySelector(".figure-bars__fill");
        if (fill) { fill.style.inlineSize = widthOf(share.count, largest); }
      });
    });
  }

  function updatePyramid(crossings) {
    var largest = Math.max.apply(null, crossings.map(function (c) { return c.count; }).concat([0]));
    crossings.forEach(function (crossing) {
      var key = crossing.values.gender + ":" + crossing.values.age_band;
      var cell = root.querySelector('[data-pyramid="people"] [data-cell="' + key + '"]');
      if (!cell) { return; }
      setText(cell.querySelector("[data-count]"), crossing.count);
      cell.querySelector(".pyramid__bar").style.inlineSize = widthOf(crossing.count, largest);
    });
  }

  function render(data) {
    var totals = data.totals;
    root.querySelectorAll("[data-measure]").forEach(function (element) {
      setText(element, totals[element.dataset.measure]);
    });
    root.querySelectorAll("[data-base]").forEach(function (element) {
      setText(element, totals[element.dataset.base]);
    });
    var people = totals.breakdowns.people_reached;
    updateBars(people.by_dimension.gender, "gender");
    updateBars(people.by_dimension.profile, "profile");
    updatePyramid(people.crossings.gender_x_age_band);
    (data.groups.session || []).forEach(function (group) {
      var row = root.querySelector('[data-group="' + group.key + '"]');
      if (!row) { return; }
      ["people_reached", "children_reached", "attendances"].forEach(function (field) {
        setText(row.querySelector('[data-field="' + field + '"]'), group.figures[field]);
      });
    });
    setText(root.querySelector("[data-updated]"), new Date().toLocaleTimeString(document.documentElement.lang));
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { window.setTimeout(poll, interval); });
  }

  window.setTimeout(poll, interval);
})();
