// The drawn signature of a fault report's approval (TKT-06): wires each
// <canvas data-signature-pad="<hidden input id>"> to signature_pad (vendored, no CDN) and
// keeps the hidden input filled with the PNG data URL. No inline script, so the strict
// Content-Security-Policy holds.
(function () {
  "use strict";
  function setup(canvas) {
    const input = document.getElementById(canvas.getAttribute("data-signature-pad"));
    if (!input || typeof window.SignaturePad !== "function") {
      return;
    }
    const pad = new window.SignaturePad(canvas, { penColor: "#000", minWidth: 1, maxWidth: 2.5 });
    function store() {
      input.value = pad.isEmpty() ? "" : pad.toDataURL("image/png");
    }
    function resize() {
      // Match the canvas's pixels to its displayed size, so strokes land under the pointer.
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const data = pad.toData();
      canvas.width = canvas.offsetWidth * ratio;
      canvas.height = canvas.offsetHeight * ratio;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      pad.fromData(data);
      store();
    }
    pad.addEventListener("endStroke", store);
    window.addEventListener("resize", resize);
    resize();
    document.querySelectorAll('[data-signature-clear="' + canvas.id + '"]').forEach((button) => {
      button.addEventListener("click", () => {
        pad.clear();
        store();
      });
    });
    const form = canvas.closest("form");
    if (form) {
      form.addEventListener("submit", store);
    }
  }
  function init() {
    document.querySelectorAll("canvas[data-signature-pad]").forEach(setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
