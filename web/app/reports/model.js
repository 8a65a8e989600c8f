// What the reports room knows of a report (core/query/reports.hpp, docs/METRICS.md), as pure
// functions: the reports and the parameters each takes, the address of a report's view and of
// its REST form, and how a cell is read (its unit, currency, formula and caveat). Nothing here
// knows which report it draws: every report is tables of columns and rows, each column naming
// its unit, formula ("amec.posts/1") and caveat, so a report that lands later is drawn by the
// same code. tests/web/reports_test.mjs runs these under node.

// The reports, in the order the room lists them (core report_names()), and the parameters
// beyond the common filters that each one reads.
export const REPORTS = ['amec', 'sov', 'pyramid', 'emv', 'attribution', 'health'];
export const EXTRA = { amec: ['model'], sov: ['market'], pyramid: ['metric'], emv: [], attribution: ['model'], health: [] };
// The filters every report takes (server/api/reports.hpp), in the order addresses name them.
export const FILTERS = ['programme', 'campaign', 'brand', 'region', 'store', 'from', 'to', 'group_by', 'currency'];
export const PARAMS = [...FILTERS, 'model', 'metric', 'market'];
export const GROUPS = ['tier', 'region', 'store', 'platform', 'department', 'month'];
export const MODELS = ['last_click', 'first_click', 'linear', 'position', 'time_decay'];
export const METRICS = ['engagements', 'reach', 'revenue'];
const IDS = new Set(['programme', 'campaign', 'brand', 'region', 'store']);

// Whether `value` may stand for parameter `name`; what the core would refuse is left out of
// an address read from the bar, so a hand-edited link shows the report without it.
export function validParam(name, value) {
  const v = String(value ?? '');
  if (!v) return false;
  if (IDS.has(name)) return /^[0-9A-HJKMNP-TV-Z]{26}$/i.test(v);
  if (name === 'from' || name === 'to') return /^\d{4}-\d{2}-\d{2}$/.test(v);
  if (name === 'group_by') return GROUPS.includes(v);
  if (name === 'currency') return /^[A-Z]{3}$/.test(v);
  if (name === 'model') return MODELS.includes(v);
  if (name === 'metric') return METRICS.includes(v);
  if (name === 'market') return /^[A-Z]{2}$/.test(v);
  return false;
}

// "campaign=01J…&from=2026-03-01" -> {campaign: '01J…', from: '2026-03-01'} (known and valid
// parameters only).
export function parseParams(query) {
  const out = {};
  for (const [k, v] of new URLSearchParams(query || '')) if (PARAMS.includes(k) && validParam(k, v)) out[k] = v;
  return out;
}

// The parameters of `report` as an address's query, in PARAMS order, without the empty ones
// and without those the report does not read.
export function queryOf(report, params) {
  const keep = [...FILTERS, ...(EXTRA[report] || [])];
  const q = new URLSearchParams();
  for (const k of PARAMS) if (keep.includes(k) && params[k]) q.set(k, params[k]);
  return q.toString();
}

// The room's address of a report: #/reports/<name>?<query>.
export function viewPath(report, params) {
  const q = queryOf(report, params);
  return `/reports/${report}${q ? `?${q}` : ''}`;
}

// GET /api/v1/reports/<name>?…[&format=csv][&table=<id>] (server/api/reports.hpp).
export function apiPath(report, params, { format = 'json', table = '' } = {}) {
  const q = new URLSearchParams(queryOf(report, params));
  if (format !== 'json') q.set('format', format);
  if (table) q.set('table', table);
  const s = q.toString();
  return `/api/v1/reports/${report}${s ? `?${s}` : ''}`;
}

// The façade's `report` arguments for the same question (the worker adds the scope).
export function deviceArgs(report, params, { format = 'json', table = '' } = {}) {
  const args = { report };
  for (const [k, v] of new URLSearchParams(queryOf(report, params))) args[k] = v;
  if (format !== 'json') args.format = format;
  if (table) args.table = table;
  return args;
}

// Where a role's figures come from: the central team and administrators ask the server, which
// holds the whole record; everyone else computes over the device's own replica (offline too),
// which holds exactly their scope (docs/WORKSPACE.md "Reports").
export function sourceFor(role) {
  return role === 'central' || role === 'admin' ? 'server' : 'device';
}

// The file a table's CSV is saved as: liaison-<report>[-<table>]-<from>-<to>.csv, as the
// server names it.
export function csvName(report, table, from, to) {
  return `liaison-${report}${table ? `-${table}` : ''}-${from || 'open'}-${to || 'open'}.csv`;
}

// ---- Cells ----------------------------------------------------------------------------------

const columnIndex = (table, id) => table.columns.findIndex((c) => c.id === id);

// How cell `i` of `row` reads: its column's unit, except a metric/value table's "value"
// column, whose unit is the row's own (its `unit` column: count, money, percent, ratio).
export function unitOf(table, row, i) {
  const col = table.columns[i];
  if (col.unit !== 'value') return col.unit;
  const u = columnIndex(table, 'unit');
  const rowUnit = u >= 0 ? row[u] : '';
  return rowUnit || 'value';
}

// The currency of a money cell: the row's `currency` column, else the report's.
export function currencyOf(report, table, row) {
  const c = columnIndex(table, 'currency');
  return (c >= 0 && row[c]) || report.currency || '';
}

// The formula ("<id>/<version>") behind cell `i`: its column's, else the row's `formula`
// column (metric/value tables name it per row). '' for a label.
export function formulaOf(table, row, i) {
  const col = table.columns[i];
  if (col.unit === 'text' || col.id === 'formula') return '';
  if (col.formula) return col.formula;
  const f = columnIndex(table, 'formula');
  return f >= 0 ? String(row[f] || '') : '';
}

export const isNumberUnit = (unit) => ['count', 'money', 'percent', 'ratio', 'days', 'value'].includes(unit);

// The caveats a table's columns name, each once, in column order.
export function tableCaveats(report, table) {
  const ids = [...new Set(table.columns.map((c) => c.caveat).filter(Boolean))];
  return ids.map((id) => (report.caveats || []).find((c) => c.id === id) || { id, text: '' });
}

// Columns worth showing: a column every row leaves empty (a target where none was set, a
// currency where the report has one) is left out of the screen; the CSV keeps them all.
export function shownColumns(table) {
  return table.columns.map((c, i) => i).filter((i) => i === 0 || table.rows.some((r) => r[i] !== null && r[i] !== ''));
}

// Whether the report has nothing to show: no table with a row, or every figure zero or empty.
export function isEmptyReport(report) {
  for (const table of report.tables || [])
    for (const row of table.rows)
      for (let i = 0; i < table.columns.length; i++)
        if (isNumberUnit(table.columns[i].unit) && typeof row[i] === 'number' && row[i] !== 0) return false;
  return true;
}

// What a chart draws of a table whose `chart` hint is set: the first column labels the points,
// and the number columns of the first number column's unit are the series (a count and a
// percentage on one axis would mislead; the table beside it has every column). A money table
// with a currency per row labels each point with it. null when there is nothing to draw.
export function chartSpec(report, table) {
  if (!table.chart || !table.rows.length) return null;
  const numeric = table.columns.map((c, i) => i).filter((i) => i > 0 && isNumberUnit(table.columns[i].unit) && table.columns[i].unit !== 'value');
  if (!numeric.length) return null;
  const unit = table.columns[numeric[0]].unit;
  const series = numeric.filter((i) => table.columns[i].unit === unit);
  const cur = columnIndex(table, 'currency');
  const labels = table.rows.map((r) => (cur > 0 && r[cur] ? `${r[0]} (${r[cur]})` : String(r[0] ?? '')));
  const data = series.map((i) => ({ id: table.columns[i].id, label: table.columns[i].label, values: table.rows.map((r) => (typeof r[i] === 'number' ? r[i] : null)) }));
  if (data.every((s) => s.values.every((v) => !v))) return null;
  return { type: table.chart === 'line' ? 'line' : 'bar', unit, labels, series: data };
}
