// Explain view: forwards button and link clicks to the extension. No data from the page is trusted
// beyond the small action vocabulary below.
(function () {
  const vscode = acquireVsCodeApi();
  document.addEventListener('click', (event) => {
    const el = event.target instanceof Element ? event.target.closest('[data-action]') : null;
    if (!el) return;
    event.preventDefault();
    const num = (v) => (v === undefined || v === null || v === '' ? undefined : Number(v));
    vscode.postMessage({ type: el.getAttribute('data-action'), finding: num(el.getAttribute('data-finding')), fix: num(el.getAttribute('data-fix')) });
  });
})();
