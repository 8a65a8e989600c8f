// The charting library, in a chunk of its own (web/tools/bundle-app.mjs splits what import()
// reaches): Chart.js 4 (MIT, pinned in package-lock.json; docs/WORKSPACE.md "Reports" says why
// this one), only its bar and line charts on a category axis, registered here so that the rest
// of the library is left out of the chunk. Loaded by chart.js the first time a chart is drawn:
// a device that never shows a chart never downloads it.
import {
  Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

// Series colours: each reaches 4.5:1 on white (the legend and the bars read on paper too).
const COLOURS = ['#0b57d0', '#146c2e', '#9b1020', '#6b4a00', '#1d3557', '#6a1b9a', '#00695c', '#5d4037'];

// Draws `spec` (model.js chartSpec) on `canvas`; `format(value)` writes a value as the table
// does. Returns the chart (destroy() it when the screen goes). No animation: a report is read,
// printed and compared, and the figures must be there at once.
export function drawChart(canvas, spec, format) {
  return new Chart(canvas, {
    type: spec.type,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((s, i) => ({
        label: s.label, data: s.values, backgroundColor: COLOURS[i % COLOURS.length], borderColor: COLOURS[i % COLOURS.length],
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: spec.series.length > 1, labels: { color: '#1b1f24' } },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${format(c.parsed.y)}` } },
      },
      scales: {
        x: { ticks: { color: '#1b1f24' } },
        y: { beginAtZero: true, ticks: { color: '#1b1f24', callback: (v) => format(v) } },
      },
    },
  });
}
