// Live scanning on the Scan page: where the browser has a camera and the
// BarcodeDetector API (Chrome on Android, for one), codes are read from the
// video as the phone is pointed at them, without taking a photo. Everywhere
// else this script does nothing and the photo upload (a plain file input)
// and the code field work as they do without JavaScript.
//
// What is read goes to /scan/code, the same place a keyboard-wedge scanner
// leads: one code opens its page, several (a shelf of boxes) give a list.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) return;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var start = document.getElementById("live-start");
  var stop = document.getElementById("live-stop");
  var video = document.getElementById("live-video");
  var status = document.getElementById("live-status");
  var stream = null;
  var timer = null;
  var WANTED = ["qr_code", "data_matrix"];
  // How often a frame is looked at, and how long several codes are
  // gathered after the first one is seen (a shelf comes into view a label
  // at a time).
  var EVERY_MS = 200;
  var GATHER_MS = 600;

  live.hidden = false;

  function say(text) {
    status.textContent = text;
  }

  function close() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function go(texts) {
    close();
    say("Found " + (texts.length === 1 ? "a code" : texts.length + " codes") + ", opening…");
    var query = texts.map(function (t) { return "text=" + encodeURIComponent(t); }).join("&");
    window.location.assign("/scan/code?" + query);
  }

  async function open() {
    var detector;
    try {
      var supported = await window.BarcodeDetector.getSupportedFormats();
      var formats = WANTED.filter(function (f) { return supported.indexOf(f) >= 0; });
      if (formats.length === 0) {
        say("This browser cannot read QR codes from the camera. Take a photo instead.");
        return;
      }
      detector = new window.BarcodeDetector({ formats: formats });
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" } },
        audio: false,
      });
    } catch (e) {
      close();
      say("The camera could not be opened (" + (e && e.name ? e.name : "error") + "). Take a photo instead.");
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    start.hidden = true;
    stop.hidden = false;
    try {
      await video.play();
    } catch (e) {
      // Autoplay refused: the frames still arrive for the detector.
    }
    say("Point the camera at a label or a bag…");
    var seen = [];
    var firstAt = 0;
    async function look() {
      timer = null;
      if (!stream) return;
      try {
        var codes = await detector.detect(video);
        codes.forEach(function (c) {
          if (c.rawValue && seen.indexOf(c.rawValue) < 0) seen.push(c.rawValue);
        });
      } catch (e) {
        // No frame yet: look again.
      }
      if (!stream) return;
      if (seen.length > 0 && firstAt === 0) firstAt = Date.now();
      if (seen.length > 0 && Date.now() - firstAt >= GATHER_MS) {
        go(seen);
        return;
      }
      timer = setTimeout(look, EVERY_MS);
    }
    look();
  }

  start.addEventListener("click", function () {
    say("Opening the camera…");
    open();
  });
  stop.addEventListener("click", function () {
    close();
    say("");
  });
  window.addEventListener("pagehide", close);
})();
