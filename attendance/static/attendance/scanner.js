/* Door scanner for volunteers: token login, session choice, continuous camera scanning (jsQR, or
   the browser's BarcodeDetector), handheld-scanner/typed input, walk-ins and lookup.
   All visible text comes from the page (translated by Django) through #scanner-labels. */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  if (!root) return;
  var L = JSON.parse(document.getElementById("scanner-labels").textContent);

  // A counted message in the page's language: the server sends its plural forms and the form
  // of each count up to 199; above, the last two digits decide (core/plurals.py says why).
  function counted(label, n) {
    var form = n < label.index.length ? label.index[n] : label.index[100 + (n % 100)];
    return label.forms[form].replace("%(count)s", n);
  }
  var API = root.dataset.api;
  var TOKEN_KEY = "multaqa.doorToken";
  var SETUP_KEY = "multaqa.doorSetup";
  var ME_KEY = "multaqa.doorMe";  // the token's sessions, for a page opened with no network
  var DEVICE_KEY = "multaqa.deviceId";
  var SYNC_KEY = "multaqa.lastSync";
  var SYNC_EVERY_MS = 30000;
  var PACK_EVERY_MS = 300000;
  var offline = window.MultaqaOffline;
  var camera = window.MultaqaCamera;
  var clock = window.MultaqaDoorTime;
  var picker = window.MultaqaSessions;
  var signals = window.MultaqaSignals;
  // The camera sees the same code many times a second while the person stands there.
  var repeats = new camera.RepeatFilter(3000);
  var $ = function (id) { return document.getElementById(id); };

  var state = { token: null, me: null, session: null, gate: "", busy: false, stream: null,
                detector: null, stopDecoding: null, painting: false, typedAt: -Infinity,
                countsTimer: null, syncing: false, packTimer: null, packRetry: null };

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function api(method, path, body) {
    var options = { method: method, headers: {
      "Authorization": "Bearer " + state.token,
      "Accept-Language": document.documentElement.lang || "fr",
    } };
    if (body) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    return fetch(API + path, options).catch(function () {
      var error = new Error(L.offline_error);
      error.network = true;  // no answer at all: the scanner goes on offline
      throw error;
    }).then(function (response) {
      if (response.status === 401) { logout(L.token_invalid); throw new Error("unauthenticated"); }
      return response.json().then(function (data) {
        if (!response.ok) {
          var error = new Error(typeof data.detail === "string" ? data.detail : L.error);
          error.status = response.status;
          error.body = data;
          error.retryAfter = parseInt(response.headers.get("Retry-After"), 10) || 0;
          throw error;
        }
        return data;
      });
    });
  }

  function show(section) {
    ["login", "setup", "scan"].forEach(function (id) { $(id).hidden = id !== section; });
  }

  // Login ---------------------------------------------------------------------------------------
  function tokenFromLink() {
    // The organizer's link carries the token in the URL fragment, which browsers never send to
    // the server; we keep it on this device and wipe it from the address bar and history.
    var match = /[#&]token=([^&]+)/.exec(window.location.hash || "");
    if (!match) return null;
    history.replaceState(null, "", window.location.pathname + window.location.search);
    return decodeURIComponent(match[1]);
  }

  function login(token) {
    state.token = token;
    return api("GET", "/checkin/me").catch(function (error) {
      var saved = localStorage.getItem(ME_KEY);
      if (error.network && saved && localStorage.getItem(TOKEN_KEY) === token) return JSON.parse(saved);
      throw error;
    }).then(function (me) {
      localStorage.setItem(TOKEN_KEY, token);
      localStorage.setItem(ME_KEY, JSON.stringify(me));
      state.me = me;
      $("volunteer-label").textContent = me.label;
      fillSessions(me.sessions);
      show("setup");
    }).catch(function (error) {
      if (error.message !== "unauthenticated") $("login-error").textContent = error.message;
    });
  }

  function logout(message) {
    stopCamera();
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(ME_KEY);
    state.token = null;
    $("login-error").textContent = message || "";
    show("login");
  }

  function fillSessions(sessions) {
    var saved = JSON.parse(localStorage.getItem(SETUP_KEY) || "{}");
    picker.fill($("session-select"), sessions, saved.session, Date.now());
    describeChosenSession();
    if (!sessions.length) $("login-error").textContent = L.no_sessions;
    $("gate-input").value = saved.gate || "";
  }

  // A select on a small phone cuts its text: the chosen session is spelt out under it.
  function describeChosenSession() {
    var session = picker.byId(state.me.sessions, $("session-select").value);
    $("session-detail").textContent = session ? picker.describe(session) : "";
  }

  // Scanning ------------------------------------------------------------------------------------
  function start() {
    var id = $("session-select").value;
    state.session = state.me.sessions.filter(function (s) { return String(s.id) === id; })[0];
    if (!state.session) return;
    state.gate = $("gate-input").value.trim();
    localStorage.setItem(SETUP_KEY, JSON.stringify({ session: id, gate: state.gate }));
    $("session-title").textContent = picker.describe(state.session) + (state.gate ? " · " + state.gate : "");
    $("direction-box").hidden = !state.session.exit_scans_enabled;
    $("inside-box").hidden = !state.session.exit_scans_enabled;
    show("scan");
    focusInput();
    refreshCounts();
    clearInterval(state.countsTimer);
    state.countsTimer = setInterval(refreshCounts, 10000);
    downloadPack();
    clearInterval(state.packTimer);
    state.packTimer = setInterval(downloadPack, PACK_EVERY_MS);
    startCamera();
  }

  function startCamera() {
    $("camera").hidden = false;
    if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) {
      $("camera").hidden = true;
      $("camera-status").textContent = L.camera_unavailable;
      return;
    }
    if ("BarcodeDetector" in window) {
      try { state.detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { state.detector = null; }
    }
    if (!window.jsQR && !state.detector) {
      $("camera").hidden = true;
      $("camera-status").textContent = L.camera_unavailable;
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (stream) {
        state.stream = stream;
        var video = $("camera");
        video.srcObject = stream;
        return video.play();
      })
      .then(function () {
        $("camera-status").textContent = L.camera_ready;
        if (state.stopDecoding) state.stopDecoding();
        state.stopDecoding = camera.decodeLoop($("camera"), $("frame"), {
          detector: state.detector, onText: onDecoded, paused: cameraPaused,
        });
      })
      .catch(function () { $("camera").hidden = true; $("camera-status").textContent = L.camera_denied; });
  }

  function stopCamera() {
    if (state.stopDecoding) state.stopDecoding();
    state.stopDecoding = null;
    clearInterval(state.countsTimer);
    if (state.stream) state.stream.getTracks().forEach(function (track) { track.stop(); });
    state.stream = null;
  }

  // Frames are not decoded while a scan is on its way, while the frame that paints its result is
  // due (a decode then would hold the paint back), or while a code is being typed (a key in
  // the last second and a half): a cheap phone's CPU goes to the answer and the keyboard.
  var TYPING_MS = 1500;
  function cameraPaused() {
    return state.busy || state.painting || performance.now() - state.typedAt < TYPING_MS;
  }

  function holdCameraUntilPainted() {
    state.painting = true;
    afterPaint(function () { state.painting = false; });
  }

  // Runs `callback` once the next frame is painted: a setTimeout queued from requestAnimationFrame
  // fires after that frame.
  function afterPaint(callback) {
    requestAnimationFrame(function () { setTimeout(callback, 0); });
  }

  function onDecoded(text) {
    var now = performance.now();
    if (state.busy || repeats.recent(text, now)) return;
    repeats.passed(text, now);
    // The quiet time runs from the result too: an answer slower than it must not let the same
    // ticket, still in front of the camera, through a second time.
    submitScan(text, false, function () { repeats.passed(text, performance.now()); });
  }

  function submitScan(text, fromLookup, afterResult) {
    if (!text || state.busy) return;
    state.busy = true;
    var body = { text: text, session_id: state.session.id, gate: state.gate, nonce: uuid(),
                 client_time: new Date().toISOString(), from_lookup: !!fromLookup,
                 direction: $("exit-mode").checked ? "exit" : "entry" };
    var done = function () {
      state.busy = false;
      if (afterResult) afterResult();
      focusInput(); afterPaint(updateSyncBar);
    };
    if (!navigator.onLine) {
      // Offline, entries are checked against the ticket list on this device; exits need the server.
      if (body.direction === "entry") { scanOffline(body).then(done, done); } else { showFeedback("bad", L.error, "", L.offline_error); done(); }
      return;
    }
    api("POST", "/checkin/scan", body)
      .then(function (result) {
        showResult(result); showInside(result); offerGroup(result, text, null);
        // The volunteer waits for the colour; the bookkeeping waits for it to be painted.
        afterPaint(function () {
          refreshCounts();
          if (result.status === "admitted") {
            offline.rememberOnlineAdmission(state.session.event_id, state.session.id, text, state.gate);
          }
        });
      })
      .catch(function (error) {
        if (error.network && body.direction === "entry") return scanOffline(body);
        showFeedback("bad", L.error, "", error.message);
      })
      .then(done, done);
  }

  // Feedback ------------------------------------------------------------------------------------
  var TONE = { admitted: "ok", exited: "ok", recorded: "ok", already_admitted: "warn" };

  function showResult(result) {
    var person = "";
    if (result.attendee) {
      person = (result.attendee.first_name || "") + " · " + result.attendee.gender_label +
        " · " + result.attendee.age_band;
      if (result.attendee.group_size > 1) person += " · " + counted(L.group_of, result.attendee.group_size);
    }
    showFeedback(TONE[result.status] || "bad", L.statuses[result.status] || result.status, person, result.message);
  }

  function showFeedback(tone, title, person, message) {
    var box = $("feedback");
    box.className = "feedback " + tone;
    box.dataset.status = tone;
    $("feedback-title").textContent = title;
    $("feedback-person").textContent = person;
    $("feedback-message").textContent = message;
    holdCameraUntilPainted();
    // The colour first: the tone and buzz follow a frame later, which no one hears as late.
    afterPaint(function () { signals.play(tone); });
  }

  function refreshCounts() {
    if (!state.session) return;
    api("GET", "/checkin/sessions/" + state.session.id + "/counts").then(function (counts) {
      $("count-total").textContent = counts.total;
      $("count-female").textContent = counts.by_gender.female || 0;
      $("count-male").textContent = counts.by_gender.male || 0;
      $("count-other").textContent = (counts.by_gender.other || 0) + (counts.by_gender.undisclosed || 0);
      if (counts.inside_now !== null) $("count-inside").textContent = counts.inside_now;
    }).catch(function () {});
  }

  // Handheld scanners type into a focused field and press Enter; keep that field focused.
  function focusInput() {
    if ($("scan").hidden) return;
    var active = document.activeElement;
    // Leave the focus alone only while the volunteer types in another visible field.
    var typing = active && active !== $("code-input") && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName) &&
      active.offsetParent !== null;
    if (!typing) $("code-input").focus();
  }

  // Walk-ins and lookup ---------------------------------------------------------------------------
  function walkIn(button) {
    var count = parseInt($("walk-in-count").value, 10) || 1;
    var body = {
      session_id: state.session.id, gate: state.gate, nonce: uuid(), client_time: new Date().toISOString(),
      gender: button.dataset.gender, age_band: button.dataset.ageBand,
      profile: $("walk-in-profile").value, count: count,
    };
    var offlineWalkIn = function () {
      return offline.checkWalkIn({
        eventId: state.session.event_id, sessionId: state.session.id, gate: state.gate, nonce: body.nonce,
        deviceId: deviceId(), groups: [{ gender: body.gender, age_band: body.age_band, profile: body.profile, count: count }],
      }).then(function (answer) {
        if (answer.status === "recorded") {
          showFeedback("ok", L.statuses.recorded, button.textContent, counted(L.offline_walk_in, count));
          bumpCounts(body.gender, count);
        } else {
          showFeedback("bad", L.statuses.session_not_open, button.textContent, L.offline_not_open);
        }
        $("walk-in-count").value = 1;
        updateSyncBar();
      });
    };
    if (!navigator.onLine) { offlineWalkIn(); return; }
    api("POST", "/checkin/walk-in", body).then(function (result) {
      showFeedback(TONE[result.status] || "bad", L.statuses[result.status] || result.status,
        button.textContent, result.message);
      $("walk-in-count").value = 1;
      refreshCounts();
    }).catch(function (error) {
      if (error.network) return offlineWalkIn();
      showFeedback("bad", L.error, "", error.message);
    });
  }

  var lookupTimer = null;
  function lookup() {
    clearTimeout(lookupTimer);
    lookupTimer = setTimeout(function () {
      var q = $("lookup-input").value.trim();
      var list = $("lookup-results");
      if (q.length < 2) { list.textContent = ""; return; }
      api("GET", "/checkin/lookup?session_id=" + state.session.id + "&q=" + encodeURIComponent(q))
        .then(function (rows) {
          list.textContent = "";
          if (!rows.length) { var none = document.createElement("li"); none.textContent = L.no_match; list.appendChild(none); }
          rows.forEach(function (row) {
            var item = document.createElement("li");
            var text = document.createElement("span");
            text.textContent = row.first_name + " · " + row.gender_label + " · " + row.age_band + " · " +
              row.short_code.slice(0, 4) + "-" + row.short_code.slice(4);
            item.appendChild(text);
            var admit = document.createElement("button");
            admit.type = "button";
            admit.textContent = row.admitted ? L.already : L.admit;
            admit.disabled = row.admitted;
            admit.addEventListener("click", function () { submitScan(row.short_code, true); lookup(); });
            item.appendChild(admit);
            list.appendChild(item);
          });
        }).catch(function () {});
    }, 250);
  }

  // Offline ---------------------------------------------------------------------------------------
  function deviceId() {
    var id = localStorage.getItem(DEVICE_KEY);
    if (!id) { id = uuid(); localStorage.setItem(DEVICE_KEY, id); }
    return id;
  }

  function time(iso) { return iso ? clock.timeOf(iso) : L.never; }

  function scanOffline(body) {
    return offline.checkScan({
      eventId: state.session.event_id, sessionId: state.session.id, gate: state.gate, text: body.text,
      nonce: body.nonce, deviceId: deviceId(),
    }).then(function (answer) {
      var row = answer.row, person = "";
      if (row) {
        person = (row.first_name || "") + " · " + (L.genders[row.gender] || row.gender) + " · " + row.age_band;
        if (row.group_size > 1) person += " · " + counted(L.group_of, row.group_size);
      }
      var lastSync = time(localStorage.getItem(SYNC_KEY));
      var tone = { admitted: "ok", already_admitted: "warn" }[answer.status] || "bad";
      var message = {
        admitted: L.offline_admitted,
        already_admitted: L.offline_already + (answer.at ? " " + time(answer.at) + (answer.gate ? " · " + answer.gate : "") : ""),
        unknown_ticket: L.offline_unknown.replace("%s", lastSync),
        cancelled: L.offline_cancelled.replace("%s", lastSync),
        wrong_session: L.offline_wrong_session,
        session_not_open: L.offline_not_open,
        no_pack: L.offline_no_pack,
      }[answer.status];
      if (answer.known_walk_in) message = L.offline_known_walk_in;
      showFeedback(tone, L.statuses[answer.status] || L.offline, person, message);
      offerGroup(answer, body.text, row ? row.id : null);
      if (answer.status === "admitted" && row) bumpCounts(row.gender, 1);
    }).catch(function () { showFeedback("bad", L.error, "", L.offline_no_pack); });
  }

  function bumpCounts(gender, count) {
    // Offline, the counters go on locally; the next online refresh replaces them.
    var add = function (id) { $(id).textContent = (parseInt($(id).textContent, 10) || 0) + count; };
    add("count-total");
    if (state.session && state.session.exit_scans_enabled) add("count-inside");
    add(gender === "female" ? "count-female" : gender === "male" ? "count-male" : "count-other");
  }

  function showStoredPack(note) {
    return offline.loadPack(state.session.event_id).then(function (indexed) {
      var info = indexed
        ? counted(L.pack_info, indexed.count) : L.offline_no_pack;
      $("pack-info").textContent = note ? info + " " + note : info;
    });
  }

  function packNotDownloaded(error) {
    // The server is still preparing the list (503): keep the stored one, say so, and ask again
    // when it says to rather than at the next regular download.
    if (error && error.status === 503) {
      clearTimeout(state.packRetry);
      state.packRetry = setTimeout(downloadPack, (error.retryAfter || 60) * 1000);
      return showStoredPack(L.pack_preparing);
    }
    return showStoredPack();
  }

  function downloadPack() {
    if (!state.session) return Promise.resolve();
    if (!navigator.onLine) return showStoredPack();
    return api("GET", "/checkin/offline-pack?event_id=" + state.session.event_id)
      .then(function (pack) { return offline.savePack(pack); })
      .then(function (indexed) {
        clearTimeout(state.packRetry);
        localStorage.setItem(SYNC_KEY, new Date().toISOString());
        $("pack-info").textContent = counted(L.pack_info, indexed.count);
        root.dataset.packVersion = indexed.pack.version;
        updateSyncBar();
      })
      .catch(packNotDownloaded);
  }

  function updateSyncBar() {
    var online = navigator.onLine;
    $("net-status").textContent = online ? L.online : L.offline;
    $("net-status").className = "net " + (online ? "online" : "offline");
    $("last-sync").textContent = time(localStorage.getItem(SYNC_KEY));
    return offline.pending().then(function (items) {
      $("pending-count").textContent = items.length;
    }).catch(function () {});
  }

  function syncNow(byHand) {
    if (state.syncing || !state.token) return Promise.resolve();
    if (!navigator.onLine) { if (byHand) $("sync-message").textContent = L.sync_failed; return Promise.resolve(); }
    state.syncing = true;
    $("sync-now").disabled = true;
    if (byHand) $("sync-message").textContent = L.syncing;
    return offline.sync(function (items) {
      return api("POST", "/checkin/sync", { items: items });
    }).then(function (summary) {
      if (summary.sent || byHand) {
        $("sync-message").textContent = L.sync_done.replace("{sent}", summary.sent).replace("{conflicts}", summary.conflicts);
      }
      if (summary.refused) $("sync-message").textContent += " " + counted(L.sync_set_aside, summary.refused);
      localStorage.setItem(SYNC_KEY, new Date().toISOString());
      if (summary.sent) { refreshCounts(); return downloadPack(); }
      return null;
    }).catch(function (error) {
      $("sync-message").textContent = error.network ? L.sync_failed : L.sync_refused.replace("%s", error.message);
    }).then(function () {
      state.syncing = false;
      $("sync-now").disabled = false;
      updateSyncBar();
    });
  }

  // Where people go out and back in, every movement's answer says who is inside now.
  function showInside(result) {
    if (result.inside_now !== null && result.inside_now !== undefined) $("count-inside").textContent = result.inside_now;
  }

  // Group panel (group.js): a household's or class's members, admitted together ---------------------
  var group = window.MultaqaGroup;

  function offerGroup(answer, text, scannedId) {
    if (group) group.offer(answer, { text: text, scannedId: scannedId });
  }

  if (group) {
    group.attach({
      api: api, uuid: uuid, deviceId: deviceId, showFeedback: showFeedback,
      refreshCounts: refreshCounts, bumpCounts: bumpCounts, showInside: showInside,
      session: function () { return state.session; },
      gate: function () { return state.gate; },
      after: function () { focusInput(); updateSyncBar(); },
    });
  }

  if (window.MultaqaHeartbeat) {
    window.MultaqaHeartbeat.attach({
      api: api, deviceId: deviceId, pending: offline.pending,
      session: function () { return state.session; },
      gate: function () { return state.gate; },
    });
  }

  // Wiring ----------------------------------------------------------------------------------------
  $("login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    login($("token-input").value.trim());
  });
  $("logout").addEventListener("click", function () {
    offline.pending().then(function (items) {
      if (items.length && !window.confirm(L.logout_pending)) return;
      logout("");
    });
  });
  $("sync-now").addEventListener("click", function () { syncNow(true); });
  window.addEventListener("online", function () { updateSyncBar(); syncNow(false); });
  window.addEventListener("offline", updateSyncBar);
  setInterval(function () { syncNow(false); }, SYNC_EVERY_MS);
  if ("serviceWorker" in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(function () {});
  }
  updateSyncBar();
  $("start").addEventListener("click", function () { signals.unlock(); start(); });
  $("signals-on").checked = signals.enabled();
  $("signals-on").addEventListener("change", function () { signals.setEnabled($("signals-on").checked); });
  $("session-select").addEventListener("change", describeChosenSession);
  $("change-session").addEventListener("click", function () { stopCamera(); show("setup"); });
  $("code-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("code-input");
    var text = input.value.trim();
    input.value = "";
    submitScan(text, false);
  });
  document.addEventListener("click", function () { setTimeout(focusInput, 0); });
  $("code-input").addEventListener("blur", function () { setTimeout(focusInput, 200); });
  $("code-input").addEventListener("input", function () { state.typedAt = performance.now(); });
  Array.prototype.forEach.call(document.querySelectorAll(".walk-in"), function (button) {
    button.addEventListener("click", function () { walkIn(button); });
  });
  $("lookup-input").addEventListener("input", lookup);

  var token = tokenFromLink() || localStorage.getItem(TOKEN_KEY);
  if (token) { show("login"); login(token); } else { show("login"); }
})();
