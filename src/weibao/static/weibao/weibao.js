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
