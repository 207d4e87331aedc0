// Site list: the header check box selects or clears every row of the page (bulk edit).
document.addEventListener("change", (event) => {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-select-all")) {
    return;
  }
  const group = box.getAttribute("data-select-all");
  document.querySelectorAll(`input[data-select="${group}"]`).forEach((row) => {
    row.checked = box.checked;
  });
});
