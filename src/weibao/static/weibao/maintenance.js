// The visit page on a phone (PM-01/02): the browser's location on check-in when allowed,
// photo inputs emptied once their item is saved (HTMX), and one submission per tap. No
// inline script, so the strict Content-Security-Policy holds.
(function () {
  "use strict";
  function geolocate(form) {
    const status = form.querySelector("[data-geolocate-status]");
    if (!("geolocation" in navigator)) {
      return;
    }
    navigator.geolocation.getCurrentPosition((position) => {
      const lat = form.querySelector("input[name=latitude]");
      const lon = form.querySelector("input[name=longitude]");
      if (lat && lon) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        if (status) {
          status.textContent = lat.value + ", " + lon.value;
        }
      }
    }, () => {}, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  }
  // A double tap sends the form once; the idempotency key covers a retry after a timeout.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-submit-once")) {
      return;
    }
    if (form.dataset.sent === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    window.setTimeout(() => {
      form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
    }, 0);
  });
  // A photo saved with its item is stored: empty the input so the final save does not
  // send it again.
  document.addEventListener("htmx:afterRequest", (event) => {
    const item = event.detail && event.detail.elt;
    if (event.detail.successful && item instanceof HTMLElement && item.matches(".checklist-item")) {
      item.querySelectorAll("input[type=file]").forEach((input) => { input.value = ""; });
    }
  });
  // A refused answer (400) or a visit changed meanwhile (409) comes with the message to show
  // under the item: swap it in like a success.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    const status = event.detail.xhr.status;
    if ((status === 400 || status === 409) && elt instanceof HTMLElement
        && elt.closest(".checklist-item")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  function init() {
    document.querySelectorAll("form[data-geolocate]").forEach(geolocate);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
