/* Door scanner for volunteers: token login, session choice, continuous camera scanning (jsQR, or
   the browser's BarcodeDetector), handheld-scanner/typed input, walk-ins and lookup.
   All visible text comes from the page (translated by Django) through #scanner-labels. */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  if (!root) return;
  var L = JSON.parse(document.getElementById("scanner-labels").textContent);
  var API = root.dataset.api;
  var TOKEN_KEY = "multaqa.doorToken";
  var SETUP_KEY = "multaqa.doorSetup";
  var REPEAT_MS = 3000;  // the camera sees the same code many times a second
  var $ = function (id) { return document.getElementById(id); };

  var state = { token: null, me: null, session: null, gate: "", lastText: "", lastAt: 0,
                busy: false, stream: null, detector: null, timer: null, countsTimer: null };

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
    return fetch(API + path, options).then(function (response) {
      if (response.status === 401) { logout(L.token_invalid); throw new Error("unauthenticated"); }
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.detail || L.error);
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
    return api("GET", "/checkin/me").then(function (me) {
      localStorage.setItem(TOKEN_KEY, token);
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
    state.token = null;
    $("login-error").textContent = message || "";
    show("login");
  }

  function fillSessions(sessions) {
    var select = $("session-select");
    select.textContent = "";
    var saved = JSON.parse(localStorage.getItem(SETUP_KEY) || "{}");
    sessions.forEach(function (s) {
      var option = document.createElement("option");
      option.value = s.id;
      option.textContent = s.event_title + " — " + s.label + " — " + s.date + " " + s.start_time.slice(0, 5);
      if (String(s.id) === String(saved.session)) option.selected = true;
      select.appendChild(option);
    });
    if (!sessions.length) $("login-error").textContent = L.no_sessions;
    $("gate-input").value = saved.gate || "";
  }

  // Scanning ------------------------------------------------------------------------------------
  function start() {
    var id = $("session-select").value;
    state.session = state.me.sessions.filter(function (s) { return String(s.id) === id; })[0];
    if (!state.session) return;
    state.gate = $("gate-input").value.trim();
    localStorage.setItem(SETUP_KEY, JSON.stringify({ session: id, gate: state.gate }));
    $("session-title").textContent = state.session.event_title + " — " + state.session.label +
      (state.gate ? " · " + state.gate : "");
    $("direction-box").hidden = !state.session.exit_scans_enabled;
    $("inside-box").hidden = !state.session.exit_scans_enabled;
    show("scan");
    focusInput();
    refreshCounts();
    clearInterval(state.countsTimer);
    state.countsTimer = setInterval(refreshCounts, 10000);
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
      .then(function () { $("camera-status").textContent = L.camera_ready; scheduleFrame(); })
      .catch(function () { $("camera").hidden = true; $("camera-status").textContent = L.camera_denied; });
  }

  function stopCamera() {
    clearTimeout(state.timer);
    clearInterval(state.countsTimer);
    if (state.stream) state.stream.getTracks().forEach(function (track) { track.stop(); });
    state.stream = null;
  }

  function scheduleFrame() { state.timer = setTimeout(readFrame, 150); }

  function readFrame() {
    var video = $("camera");
    if (!state.stream || video.readyState < 2 || !video.videoWidth) { scheduleFrame(); return; }
    if (window.jsQR) {
      var canvas = $("frame");
      var scale = Math.min(1, 640 / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      var context = canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (code && code.data) onDecoded(code.data);
      scheduleFrame();
    } else {
      state.detector.detect(video).then(function (codes) {
        if (codes.length) onDecoded(codes[0].rawValue);
      }).catch(function () {}).then(scheduleFrame);
    }
  }

  function onDecoded(text) {
    var now = Date.now();
    if (text === state.lastText && now - state.lastAt < REPEAT_MS) return;
    state.lastText = text; state.lastAt = now;
    submitScan(text, false);
  }

  function submitScan(text, fromLookup) {
    if (!text || state.busy) return;
    state.busy = true;
    var body = { text: text, session_id: state.session.id, gate: state.gate, nonce: uuid(),
                 client_time: new Date().toISOString(), from_lookup: !!fromLookup,
                 direction: $("exit-mode").checked ? "exit" : "entry" };
    api("POST", "/checkin/scan", body)
      .then(function (result) { showResult(result); refreshCounts(); })
      .catch(function (error) { showFeedback("bad", L.error, "", error.message); })
      .then(function () { state.busy = false; focusInput(); });
  }

  // Feedback ------------------------------------------------------------------------------------
  var TONE = { admitted: "ok", exited: "ok", recorded: "ok", already_admitted: "warn" };

  function showResult(result) {
    var person = "";
    if (result.attendee) {
      person = (result.attendee.first_name || "") + " · " + result.attendee.gender_label +
        " · " + result.attendee.age_band;
      if (result.attendee.group_size > 1) person += " · " + L.group_of.replace("%s", result.attendee.group_size);
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
    signal(tone);
  }

  function signal(tone) {
    if (navigator.vibrate) navigator.vibrate(tone === "ok" ? 80 : [120, 60, 120]);
    try {
      var audio = signal.context || (signal.context = new (window.AudioContext || window.webkitAudioContext)());
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = tone === "ok" ? 880 : tone === "warn" ? 520 : 220;
      gain.gain.value = 0.15;
      oscillator.connect(gain); gain.connect(audio.destination);
      oscillator.start(); oscillator.stop(audio.currentTime + (tone === "ok" ? 0.12 : 0.35));
    } catch (e) { /* sound is a bonus; the colours say it all */ }
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
    api("POST", "/checkin/walk-in", {
      session_id: state.session.id, gate: state.gate, nonce: uuid(), client_time: new Date().toISOString(),
      gender: button.dataset.gender, age_band: button.dataset.ageBand,
      profile: $("walk-in-profile").value, count: count,
    }).then(function (result) {
      showFeedback(TONE[result.status] || "bad", L.statuses[result.status] || result.status,
        button.textContent, result.message);
      $("walk-in-count").value = 1;
      refreshCounts();
    }).catch(function (error) { showFeedback("bad", L.error, "", error.message); });
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

  // Wiring ----------------------------------------------------------------------------------------
  $("login-form").addEventListener("submit", function (event) {
    event.preventDefault();
    login($("token-input").value.trim());
  });
  $("logout").addEventListener("click", function () { logout(""); });
  $("start").addEventListener("click", start);
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
  Array.prototype.forEach.call(document.querySelectorAll(".walk-in"), function (button) {
    button.addEventListener("click", function () { walkIn(button); });
  });
  $("lookup-input").addEventListener("input", lookup);

  var token = tokenFromLink() || localStorage.getItem(TOKEN_KEY);
  if (token) { show("login"); login(token); } else { show("login"); }
})();
