/* The scanner's heartbeat for the organizers' live door panel: while it has a network, every
   30 seconds (and as soon as the network is back) the scanner says which session and gate it
   scans and how many scans it holds unsynced (POST /checkin/heartbeat). A device that stops
   calling shows as offline on the panel, with the count it last reported. scanner.js hands over
   what it needs through attach(). */
(function () {
  "use strict";

  var EVERY_MS = 30000;
  var LOOK_MS = 2000;  // how often to look whether the session or gate changed (no request)
  var door = null;  // hooks: api(method, path, body), session(), gate(), deviceId(), pending()
  var last = { key: "", at: 0 };

  function beat() {
    if (!door || !navigator.onLine) return Promise.resolve();
    var session = door.session();
    if (!session) return Promise.resolve();
    last = { key: session.id + "|" + door.gate(), at: Date.now() };
    return door.pending().then(function (items) {
      return door.api("POST", "/checkin/heartbeat", {
        device_id: door.deviceId(), session_id: session.id, gate: door.gate(), unsynced: items.length,
      });
    }).catch(function () { /* the next beat tries again */ });
  }

  // A session started or changed is told at once; otherwise every EVERY_MS.
  function look() {
    var session = door.session();
    if (!session) return;
    if (session.id + "|" + door.gate() !== last.key || Date.now() - last.at >= EVERY_MS) beat();
  }

  function attach(hooks) {
    door = hooks;
    setInterval(look, LOOK_MS);
    window.addEventListener("online", beat);
  }

  window.MultaqaHeartbeat = { attach: attach, beat: beat };
})();
