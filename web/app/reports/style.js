// The reports room's styles, the print stylesheet among them, carried by the room's own chunk
// so that a device that never opens a report installs none of it (the shell is at its 700 KB
// budget, docs/PERFORMANCE.md). The server's Content-Security-Policy allows no inline <style>;
// a constructed stylesheet (document.adoptedStyleSheets) is not markup and is allowed. A
// browser without constructed stylesheets shows the screens with the app's own styles only.
const CSS = `
.rp-tabs { display: flex; flex-wrap: wrap; gap: .3rem .8rem; margin: 0 0 .6rem; }
.rp-tabs a[aria-current="page"] { font-weight: 700; color: var(--ink); text-decoration: none; }
.rp-filters { display: grid; gap: .3rem .8rem; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); align-items: end;
  background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: .5rem .8rem; margin: 0 0 .8rem; }
.rp-filters .field { margin: 0; }
.rp-filters .actions { grid-column: 1 / -1; }
.rp-source { border-left: 4px solid var(--accent); padding: .2rem .6rem; margin: .4rem 0; }
.rp-source[data-source="device"] { border-color: var(--ok); }
.rp-meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; margin: .4rem 0; font-size: .95rem; }
.rp-meta dt { font-weight: 600; }
.rp-meta dd { margin: 0; }
.rp-caveats { background: var(--warn-bg); color: var(--warn); border-radius: var(--radius); padding: .4rem .8rem; margin: .6rem 0; }
.rp-caveats h2 { margin: .2rem 0; font-size: 1.05rem; }
.rp-caveats ol, .rp-table-caveats { margin: .2rem 0; padding-left: 1.3rem; }
.rp-table-caveats { font-size: .9rem; color: var(--warn); }
.rp-block { margin: 1rem 0 1.4rem; break-inside: avoid; }
.rp-pair { display: grid; gap: .8rem; }
@media (min-width: 1000px) { .rp-pair.has-chart { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); align-items: start; } }
.rp-chart { margin: 0; }
.rp-chart-box { position: relative; height: 16rem; }
.rp-formula { display: block; font-weight: 400; font-size: .78rem; color: var(--muted); font-family: ui-monospace, monospace; }
.rp-mark { color: var(--warn); font-weight: 700; margin-left: .2rem; }
table.rp-grid caption { text-align: left; font-weight: 600; padding: .2rem 0; }
table.rp-grid td code { font-size: .8rem; color: var(--muted); }
.rp-actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
.rp-list { padding-left: 1.2rem; }
.rp-list li { margin: .2rem 0; }
@media print {
  #top, #syncbar, .skip, .toast, .update, .ws-tabs, .rp-tabs, .rp-filters, .rp-actions, .rp-back, .rp-csv { display: none !important; }
  body { font-size: 11pt; }
  main { padding: 0 !important; }
  a { color: inherit; text-decoration: none; }
  .rp-block, .rp-caveats, .rp-meta { break-inside: avoid; page-break-inside: avoid; }
  .rp-pair.has-chart { grid-template-columns: 1fr; }
  .rp-chart-box { height: 12rem; }
  .table-scroll { overflow: visible !important; }
  table.grid thead th { position: static; background: none; }
  table.grid { font-size: 9.5pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}
`;

let installed = false;
export function installStyles() {
  if (installed || typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in document)) return;
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    installed = true;
  } catch {
    /* an older browser: the app's own styles only */
  }
}
