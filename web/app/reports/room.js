// The reports room (docs/WORKSPACE.md "Reports"; docs/USER-GUIDE.md "Reports"; the formulas in
// docs/METRICS.md): AMEC dashboards per programme and campaign, share of voice, the influence
// pyramid, EMV, attribution side by side, relationship health. Loaded on demand by the app's
// router (web/tools/bundle-app.mjs splits it into app/chunks/), as is the charting library it
// draws with (chart-lib.js), only when a chart is drawn: nothing of it is in the shell a device
// installs. Every signed-in role opens it: the central team and administrators read the server,
// the others compute on the device, offline too (model.js sourceFor).
//
// Routes: #/reports (the list and the dashboards), #/reports/<report>?<filters>.
import './words.js';
import { installStyles } from './style.js';
import { indexView } from './view-index.js';
import { reportView } from './view-report.js';

export function reportsView(app, route) {
  installStyles();
  return route.sub ? reportView(app, route) : indexView(app, route);
}
