/* The scanner's session picker: sessions grouped by day, each with its hours in full, and the
   session to start with: the one this device chose last if it is today's and not over yet,
   else the one whose door is open now, else the next to open, else the last chosen. */
(function () {
  "use strict";

  var clock = window.MultaqaDoorTime;

  function isOpen(session, now) {
    return Date.parse(session.opens) <= now && now <= Date.parse(session.closes);
  }

  function byId(sessions, id) {
    return sessions.filter(function (s) { return String(s.id) === String(id); })[0] || null;
  }

  function preferred(sessions, savedId, now) {
    var saved = byId(sessions, savedId);
    if (saved && saved.date === clock.dayAt(now) && Date.parse(saved.closes) >= now) return saved;
    var open = sessions.filter(function (s) { return isOpen(s, now); });
    if (open.length) return open[0];
    var coming = sessions.filter(function (s) { return Date.parse(s.opens) > now; });
    coming.sort(function (a, b) { return Date.parse(a.opens) - Date.parse(b.opens); });
    if (coming.length) return coming[0];
    return saved || sessions[sessions.length - 1] || null;
  }

  function optionLabel(session) {
    return clock.hours(session.start_time, session.end_time) + " · " + session.event_title +
      " — " + session.label;
  }

  // Everything about a session on one line that may wrap: under the picker and in the header.
  function describe(session) {
    return session.event_title + " — " + session.label + " · " + clock.dayOf(session.date) +
      ", " + clock.hours(session.start_time, session.end_time);
  }

  // Fill `select` with one group per day; select the preferred session and return it.
  function fill(select, sessions, savedId, now) {
    select.textContent = "";
    var chosen = preferred(sessions, savedId, now);
    var group = null;
    sessions.forEach(function (session) {
      if (!group || group.dataset.date !== session.date) {
        group = document.createElement("optgroup");
        group.dataset.date = session.date;
        group.label = clock.dayOf(session.date);
        select.appendChild(group);
      }
      var option = document.createElement("option");
      option.value = session.id;
      option.textContent = optionLabel(session);
      option.title = describe(session);
      option.selected = session === chosen;
      group.appendChild(option);
    });
    return chosen;
  }

  window.MultaqaSessions = { fill: fill, describe: describe, byId: byId };
})();
