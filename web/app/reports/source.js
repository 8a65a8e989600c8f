// Where a report is asked (docs/WORKSPACE.md "Reports"): the server's REST API for the central
// team and administrators (`api` → GET /api/v1/reports/<name>, the whole record for their
// scope), or the device's own replica for everyone else (`report`, the façade over the same
// core code; the worker adds the user's scope, so the figures are the ones the server gives
// that user). Both answer {ok, value} with the report's JSON, or its CSV text.
import { apiPath, deviceArgs, csvName } from './model.js';

export async function fetchReport(app, source, name, params) {
  if (source === 'server') {
    const r = await app.call('api', { path: apiPath(name, params) });
    return r.ok ? { ok: true, value: r.value.body } : r;
  }
  return app.call('report', deviceArgs(name, params));
}

// The CSV of one table (or every table, `table` ''), from the same source as the figures.
export async function fetchCsv(app, source, name, params, table = '') {
  if (source === 'server') {
    const r = await app.call('api', { path: apiPath(name, params, { format: 'csv', table }) });
    return r.ok ? { ok: true, value: String(r.value.body) } : r;
  }
  return app.call('report', deviceArgs(name, params, { format: 'csv', table }));
}

// Saves `text` as a file the browser downloads (no server round trip: the text is here).
export function saveCsv(text, report, table, from, to) {
  const file = csvName(report, table, from, to);
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return file;
}
