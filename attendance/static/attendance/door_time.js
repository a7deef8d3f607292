/* Dates and times on the scanner, always on the event's clock, never the phone's: a phone set to
   another zone must not show "last sync 04:12" beside a server message saying "admitted at
   10:12". The server gives the event clock's offset from UTC (data-utc-offset, minutes) rather
   than its zone's name, because phones' own zone data lag behind Morocco's changes (the
   Chromium of our tests puts Casablanca at UTC+0 in winter; the server's tzdata says +1).
   Latin digits in every language, as on the tickets. */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  var offsetMs = (parseInt(root && root.dataset.utcOffset, 10) || 0) * 60000;
  var locale = (document.documentElement.lang || "fr") + "-u-nu-latn";
  // Instants are shifted by the offset, then read at UTC.
  var clock = new Intl.DateTimeFormat(locale, {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC",
  });
  // A session's date is a calendar day, not an instant: formatted as such, at UTC.
  var day = new Intl.DateTimeFormat(locale, {
    weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC",
  });

  // "2026-11-29": the event's calendar day at the instant `now` (milliseconds).
  function dayAt(now) { return new Date(now + offsetMs).toISOString().slice(0, 10); }

  // "10:42" for an ISO instant, on the event's clock.
  function timeOf(iso) { return clock.format(new Date(Date.parse(iso) + offsetMs)); }

  // "samedi 29 novembre 2026" for "2026-11-29".
  function dayOf(isoDate) {
    var parts = isoDate.split("-");
    return day.format(new Date(Date.UTC(+parts[0], +parts[1] - 1, +parts[2])));
  }

  // "10:00–12:00" for a session's wall-clock times ("10:00:00", "12:00:00").
  function hours(start, end) { return start.slice(0, 5) + "–" + end.slice(0, 5); }

  window.MultaqaDoorTime = { timeOf: timeOf, dayOf: dayOf, dayAt: dayAt, hours: hours };
})();
