// The statement's Print button: shown only where a script can press the browser's own print; the
// page prints the same from the browser's menu without it.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
