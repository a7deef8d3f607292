/* The door's camera loop: each new camera frame is decoded as soon as it arrives
   (requestVideoFrameCallback, else one look per animation frame), never after a fixed sleep, at
   a reduced resolution that still reads a ticket held at arm's length. bench/scanner_latency.py
   measures it on a throttled CPU. And the filter that keeps a code still in front of the camera
   from being scanned again. */
(function () {
  "use strict";

  // Decoding cost grows with the pixels; 480 px across still leaves several pixels per module
  // for a ticket's QR code filling a third of the picture (bench/RESULTS.md, scanner latency).
  var DECODE_WIDTH = 480;

  /* A code read by the camera is passed on once, then ignored while it stays in view and for
     `quietMs` after it was last seen: the person who was just admitted is still standing there.
     Another code passes at once. Typed codes do not go through this filter. */
  function RepeatFilter(quietMs) {
    this.quietMs = quietMs;
    this.lastSeen = {};
  }

  // True when `text` was passed on or seen less than quietMs ago; seeing it again extends that.
  RepeatFilter.prototype.recent = function (text, now) {
    var last = this.lastSeen[text];
    if (last === undefined || now - last >= this.quietMs) return false;
    this.lastSeen[text] = now;
    return true;
  };

  RepeatFilter.prototype.passed = function (text, now) {
    var quietMs = this.quietMs, lastSeen = this.lastSeen;
    Object.keys(lastSeen).forEach(function (old) {  // a day at the door: keep the map small
      if (now - lastSeen[old] >= quietMs) delete lastSeen[old];
    });
    lastSeen[text] = now;
  };

  /* Calls onText(text) for each QR code decoded from `video`'s frames, skipping frames while
     paused() says so (a request in flight, a code being typed: the phone's CPU goes to them).
     Returns a function that stops the loop. */
  function decodeLoop(video, canvas, options) {
    var stopped = false;
    var lastTime = -1;
    var context = null;
    var nextFrame = "requestVideoFrameCallback" in video
      ? function (step) { video.requestVideoFrameCallback(step); }
      : function (step) { window.requestAnimationFrame(step); };

    function decodeWithJsQR() {
      var scale = Math.min(1, DECODE_WIDTH / video.videoWidth);
      var width = Math.round(video.videoWidth * scale), height = Math.round(video.videoHeight * scale);
      if (canvas.width !== width || canvas.height !== height || !context) {
        canvas.width = width; canvas.height = height;
        context = canvas.getContext("2d", { willReadFrequently: true });
      }
      context.drawImage(video, 0, 0, width, height);
      var image = context.getImageData(0, 0, width, height);
      var code = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
      return code && code.data ? code.data : null;
    }

    function step(now, frame) {
      if (stopped) return;
      // requestVideoFrameCallback hands over each frame once (with its metadata); an animation
      // frame may show the same video frame again.
      var fresh = video.readyState >= 2 && video.videoWidth && (frame || video.currentTime !== lastTime);
      if (!fresh || options.paused()) { nextFrame(step); return; }
      lastTime = video.currentTime;
      if (window.jsQR) {
        var text = decodeWithJsQR();
        if (text) options.onText(text);
        nextFrame(step);
        return;
      }
      options.detector.detect(video).then(function (codes) {
        if (codes.length) options.onText(codes[0].rawValue);
      }).catch(function () {}).then(function () { nextFrame(step); });
    }

    nextFrame(step);
    return function stop() { stopped = true; };
  }

  window.MultaqaCamera = { RepeatFilter: RepeatFilter, decodeLoop: decodeLoop };
})();
