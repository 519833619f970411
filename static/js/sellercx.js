// Small progressive enhancements; every page works without them.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]")) event.target.form.requestSubmit();
});
// A form that cannot be undone asks first (without JavaScript it simply submits).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset?.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const target = document.getElementById(button.dataset.copy);
  navigator.clipboard?.writeText(target.textContent.trim());
  button.textContent = button.dataset.copied || "Copied";
});

// UX-2: the address bar always names the marketplace, so a copied link shows the same thing.
document.addEventListener("DOMContentLoaded", () => {
  const chosen = document.body.dataset.marketplace;
  const url = new URL(window.location.href);
  if (chosen && !url.searchParams.has("marketplace")) {
    url.searchParams.set("marketplace", chosen);
    history.replaceState(history.state, "", url);
  }
});
