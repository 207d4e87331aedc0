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
// Saved filters (issue 16): a list's filters kept under a name, per user and list, in this
// browser's storage; shown as chips above the list, each a link that applies them again.
(function () {
  "use strict";
  function key(user) {
    return `weibao:filters:${user}:${window.location.pathname}`;
  }
  function load(user) {
    try {
      return JSON.parse(window.localStorage.getItem(key(user)) || "[]");
    } catch (error) {
      return [];
    }
  }
  function store(user, saved) {
    window.localStorage.setItem(key(user), JSON.stringify(saved));
  }
  function render(box) {
    const user = box.getAttribute("data-saved-filters");
    const saved = load(user);
    box.replaceChildren();
    box.hidden = saved.length === 0;
    saved.forEach((entry, index) => {
      const chip = document.createElement("span");
      chip.className = "badge bg-blue-lt d-inline-flex align-items-center gap-1";
      const link = document.createElement("a");
      link.href = `${window.location.pathname}?${entry.query}`;
      link.textContent = entry.name;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn-close btn-close-sm";
      remove.setAttribute("aria-label", `${box.getAttribute("data-remove")} ${entry.name}`);
      remove.addEventListener("click", () => {
        saved.splice(index, 1);
        store(user, saved);
        render(box);
      });
      chip.append(link, remove);
      box.append(chip);
    });
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-save-filter]");
    if (!button) {
      return;
    }
    const form = button.closest("form");
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form).entries()) {
      if (typeof value === "string" && value !== "" && value !== "unknown") {
        params.append(name, value);
      }
    }
    const name = window.prompt(button.getAttribute("data-prompt"), "");
    if (!name) {
      return;
    }
    const user = button.getAttribute("data-save-filter");
    const saved = load(user).filter((entry) => entry.name !== name);
    saved.push({ name: name.slice(0, 40), query: params.toString() });
    store(user, saved);
    form.querySelectorAll("[data-saved-filters]").forEach(render);
  });
  function start() {
    document.querySelectorAll("[data-saved-filters]").forEach(render);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
