/* The live door panel: asks the panel's JSON every few seconds and shows it. Every sentence with a
   count comes translated (and pluralised) from the server; the few words here from
   #door-panel-labels. Nothing personal is in the data. */
(function () {
  "use strict";

  var root = document.getElementById("door-panel");
  if (!root) return;
  var L = JSON.parse(document.getElementById("door-panel-labels").textContent);
  var $ = function (id) { return document.getElementById(id); };

  function item(parts, className) {
    var li = document.createElement("li");
    if (className) li.className = className;
    parts.forEach(function (part) {
      var span = document.createElement("span");
      if (part.className) span.className = part.className;
      span.textContent = part.text === undefined ? part : part.text;
      li.appendChild(span);
    });
    return li;
  }

  function fill(id, rows, render, empty) {
    var list = $(id);
    list.textContent = "";
    if (!rows.length) { list.appendChild(item([empty])); return; }
    rows.forEach(function (row) { list.appendChild(render(row)); });
  }

  function show(data) {
    $("panel-time").textContent = data.generated_at;
    $("panel-stale").hidden = true;
    fill("panel-sessions", data.sessions, function (s) {
      var parts = [s.label, L.admitted + ": " + s.admitted + " / " + s.registered,
                   L.per_minute + ": " + s.per_minute];
      if (s.inside_now !== null) parts.push(L.inside_now + ": " + s.inside_now);
      parts.push({ text: s.estimate, className: "estimate" });
      return item(parts);
    }, L.none);
    fill("panel-gates", data.gates, function (g) {
      return item([g.gate, L.per_minute + ": " + g.per_minute]);
    }, L.none);
    $("panel-devices-summary").textContent = data.devices_summary;
    fill("panel-devices", data.devices, function (d) {
      return item([d.label + " · " + d.device + (d.gate ? " · " + d.gate : ""),
                   (d.offline ? L.offline : L.online) + " · " + L.last_seen + " " + d.last_seen,
                   L.unsynced + ": " + d.unsynced], d.offline ? "offline" : "");
    }, L.none);
    fill("panel-refusals", data.refusals, function (r) { return item([r.label, String(r.count)]); }, L.none);
    fill("panel-recent", data.recent_refusals, function (r) {
      return item([r.time + (r.gate ? " · " + r.gate : ""), r.label]);
    }, L.none);
  }

  function refresh() {
    fetch(root.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(show)
      .catch(function () { $("panel-stale").hidden = false; });
  }

  // The page arrives with the figures of its own moment; the first refresh comes one period later.
  setInterval(refresh, (parseInt(root.dataset.refresh, 10) || 5) * 1000);
})();
