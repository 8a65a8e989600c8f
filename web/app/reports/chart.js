// A chart beside its table: the charting library (chart-lib.js) is imported the first time a
// chart is drawn, as a chunk of its own, and kept by the service worker once fetched (a device
// that opened a report online draws its charts offline afterwards).
let lib = null;

// Draws when the library is there; `done(chart)` gets the chart, `failed()` is called when
// the library could not be loaded or the chart not drawn (the table still has the figures).
export function drawLater(canvas, spec, format, done, failed) {
  lib = lib || import('./chart-lib.js');
  lib.then((m) => {
    if (!canvas.isConnected) return;
    done(m.drawChart(canvas, spec, format));
  }).catch((e) => {
    lib = null;
    console.warn('chart not drawn:', e && e.message);
    failed();
  });
}
