/* Sound and vibration on each result, so that the volunteer need not look at the screen: one
   short high beep for a welcome, two middle beeps for "already admitted", one long low buzz for
   a problem. Tones are generated with the Web Audio API (nothing to download, works offline).
   The volunteer can switch them off (a quiet room, a crying child); the choice stays on the
   device. */
(function () {
  "use strict";

  var KEY = "multaqa.doorSignals";
  // Tones as [hertz, seconds] (0 Hz: a pause); vibrations as navigator.vibrate patterns.
  var SIGNALS = {
    ok: { wave: "sine", tones: [[880, 0.12]], vibrate: [80] },
    warn: { wave: "sine", tones: [[620, 0.1], [0, 0.08], [620, 0.1]], vibrate: [100, 80, 100] },
    bad: { wave: "square", tones: [[200, 0.5]], vibrate: [400] },
  };
  var audio = null;

  function enabled() { return localStorage.getItem(KEY) !== "off"; }

  function setEnabled(on) {
    localStorage.setItem(KEY, on ? "on" : "off");
    if (on) unlock();
  }

  // Browsers start sound only after a tap: call this from one (the start button, the switch).
  function unlock() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
    } catch (e) { audio = null; }
  }

  function beep(wave, tones) {
    if (!audio) return;
    var at = audio.currentTime;
    tones.forEach(function (tone) {
      if (tone[0]) {
        var oscillator = audio.createOscillator();
        var gain = audio.createGain();
        oscillator.type = wave;
        oscillator.frequency.value = tone[0];
        gain.gain.value = 0.2;
        oscillator.connect(gain); gain.connect(audio.destination);
        oscillator.start(at); oscillator.stop(at + tone[1]);
      }
      at += tone[1];
    });
  }

  // `tone` is the result box's: ok, warn or bad.
  function play(tone) {
    if (!enabled()) return;
    var signal = SIGNALS[tone] || SIGNALS.bad;
    if (navigator.vibrate) navigator.vibrate(signal.vibrate);
    try { beep(signal.wave, signal.tones); } catch (e) { /* the colours still say it */ }
  }

  window.MultaqaSignals = { play: play, enabled: enabled, setEnabled: setEnabled, unlock: unlock };
})();
