// weibao's own behaviour; no inline scripts, so a strict Content-Security-Policy works.
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit")) {
    target.form.submit();
  }
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
// A list filtered through HTMX pushes its filters into the address bar; its Excel export link
// ("?…&export=xlsx", rendered with the page) must follow, or it exports the unfiltered list.
document.addEventListener("htmx:pushedIntoHistory", () => {
  const params = new URLSearchParams(window.location.search);
  params.delete("export");
  params.append("export", "xlsx");
  for (const link of document.querySelectorAll('a[href^="?"][href*="export=xlsx"]')) {
    link.setAttribute("href", `?${params}`);
  }
});
// Saved filters (issue 16): a list's filters kept under a name for the signed-in user on the
// server (weibao.core.saved_filters), shown as chips above the list, each a link that applies
// them again; the chips are drawn by the page, this only saves and removes.
(function () {
  "use strict";
  function post(url, token, body) {
    return window.fetch(url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRFToken": token, "X-Requested-With": "fetch" },
    });
  }
  document.addEventListener("click", (event) => {
    const save = event.target.closest("[data-save-filter]");
    const remove = event.target.closest("[data-remove-filter]");
    const token = (document.querySelector("[data-csrf]") || {}).dataset?.csrf || "";
    if (save) {
      const form = save.closest("form");
      const params = new URLSearchParams();
      for (const [name, value] of new FormData(form).entries()) {
        if (typeof value === "string" && value !== "" && value !== "unknown") {
          params.append(name, value);
        }
      }
      const name = window.prompt(save.getAttribute("data-prompt"), "");
      if (!name) {
        return;
      }
      const body = new FormData();
      body.append("name", name);
      body.append("path", window.location.pathname);
      body.append("query", params.toString());
      post(save.getAttribute("data-save-filter"), save.dataset.csrf, body).then((response) => {
        if (response.ok) {
          window.location.reload();
        } else {
          response.json().then((data) => window.alert(Object.values(data.errors || {}).join(" ")));
        }
      });
    } else if (remove) {
      post(remove.getAttribute("data-remove-filter"), token, new FormData()).then((response) => {
        if (response.ok) {
          const chip = remove.closest("[data-saved-filter]");
          const box = chip.parentElement;
          chip.remove();
          box.hidden = box.children.length === 0;
        }
      });
    }
  });
})();
