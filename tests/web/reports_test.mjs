// The reports room's model (web/app/reports/model.js), under node without a browser: its lists
// are the core's (report names, group_by, models, metrics: core/query/reports/reports.cpp) and
// the parameters the REST API and the façade accept (report_params); an address keeps only valid
// parameters; a cell reads its unit, currency and formula from the report's JSON as
// core/query/reports.hpp describes it; the chart draws one unit's columns.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const M = await import(join(root, 'web', 'app', 'reports', 'model.js'));
const problems = [];
const same = (what, got, want) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
};

// ---- The core's lists.
const cpp = readFileSync(join(root, 'core', 'query', 'reports', 'reports.cpp'), 'utf8');
const quoted = (fn) => {
  const m = new RegExp(`bool ${fn}\\(std::string_view \\w\\) \\{([\\s\\S]*?)\\n\\}`).exec(cpp);
  return m ? [...m[1].matchAll(/== "(\w+)"/g)].map((x) => x[1]) : null;
};
same('group_by (model.js GROUPS vs reports.cpp is_group)', M.GROUPS, quoted('is_group'));
same('models (model.js MODELS vs reports.cpp is_model)', M.MODELS, quoted('is_model'));
same('pyramid metrics (model.js METRICS vs reports.cpp is_metric)', M.METRICS, quoted('is_metric'));
const names = /report_names\(\) \{[\s\S]*?\{([^}]*)\}/.exec(cpp);
same('report names (model.js REPORTS vs reports.cpp report_names)', M.REPORTS, names ? [...names[1].matchAll(/"(\w+)"/g)].map((x) => x[1]) : null);
const params = /report_params\(\) \{[\s\S]*?\{([^}]*)\}/.exec(cpp);
const list = params ? [...params[1].matchAll(/"(\w+)"/g)].map((x) => x[1]).filter((p) => p !== 'format' && p !== 'table') : null;
same('parameters (model.js PARAMS vs reports.cpp report_params)', [...M.PARAMS].sort(), list && list.sort());

// ---- Addresses.
const camp = '01JQ7ZK4N8W5V3T2S1R0P9M8KA';
same('parse keeps valid parameters only', M.parseParams(`campaign=${camp}&from=2026-03-01&to=nope&group_by=month&model=bogus&x=1&currency=EUR`),
  { campaign: camp, from: '2026-03-01', group_by: 'month', currency: 'EUR' });
same('a bad id is dropped', M.parseParams('campaign=123'), {});
same('query in PARAMS order, the report\'s own extras only', M.queryOf('amec', { to: '2026-03-31', model: 'linear', metric: 'reach', campaign: camp }),
  `campaign=${camp}&to=2026-03-31&model=linear`);
same('the pyramid takes its metric, not the model', M.queryOf('pyramid', { model: 'linear', metric: 'reach' }), 'metric=reach');
same('view path', M.viewPath('sov', { market: 'FR' }), '/reports/sov?market=FR');
same('view path without filters', M.viewPath('health', {}), '/reports/health');
same('REST path, CSV of one table', M.apiPath('amec', { campaign: camp }, { format: 'csv', table: 'impact' }),
  `/api/v1/reports/amec?campaign=${camp}&format=csv&table=impact`);
same('façade args', M.deviceArgs('amec', { region: camp, from: '2026-01-01' }, { format: 'csv' }), { report: 'amec', region: camp, from: '2026-01-01', format: 'csv' });
same('sources', ['central', 'admin', 'regional', 'store', 'field'].map(M.sourceFor), ['server', 'server', 'device', 'device', 'device']);
same('CSV file name as the server names it', M.csvName('amec', '', '2026-03-01', ''), 'liaison-amec-2026-03-01-open.csv');

// ---- Cells of a metric/value table (core/query/reports/amec.cpp stage_table).
const stage = {
  id: 'impact', title: 'Impact', chart: '',
  columns: [
    { id: 'metric', label: 'Metric', unit: 'text', formula: '', caveat: '' },
    { id: 'value', label: 'Value', unit: 'value', formula: '', caveat: 'roi_model' },
    { id: 'unit', label: 'Unit', unit: 'text', formula: '', caveat: '' },
    { id: 'currency', label: 'Currency', unit: 'text', formula: '', caveat: '' },
    { id: 'target', label: 'Target', unit: 'value', formula: '', caveat: '' },
    { id: 'attainment', label: 'Attainment', unit: 'percent', formula: 'amec.attainment/1', caveat: '' },
    { id: 'formula', label: 'Formula', unit: 'text', formula: '', caveat: '' },
  ],
  rows: [
    ['attributed_revenue', 12000, 'money', 'EUR', null, null, 'amec.attributed_revenue/1'],
    ['roi', -0.25, 'ratio', 'EUR', null, null, 'amec.roi/1'],
  ],
};
const report = { currency: '', caveats: [{ id: 'roi_model', text: 'ROI …' }], tables: [stage] };
same('a value cell takes its row\'s unit', [M.unitOf(stage, stage.rows[0], 1), M.unitOf(stage, stage.rows[1], 1)], ['money', 'ratio']);
same('a percent column keeps its own', M.unitOf(stage, stage.rows[0], 5), 'percent');
same('currency from the row', M.currencyOf(report, stage, stage.rows[0]), 'EUR');
same('formula from the row', M.formulaOf(stage, stage.rows[1], 1), 'amec.roi/1');
same('formula from the column', M.formulaOf(stage, stage.rows[1], 5), 'amec.attainment/1');
same('no formula for a label', M.formulaOf(stage, stage.rows[1], 0), '');
same('empty columns are not shown', M.shownColumns(stage), [0, 1, 2, 3, 6]);
same('the table\'s caveats', M.tableCaveats(report, stage), [{ id: 'roi_model', text: 'ROI …' }]);
same('no chart without a hint', M.chartSpec(report, stage), null);
same('a report with a figure is not empty', M.isEmptyReport(report), false);
same('a report of zeros is empty', M.isEmptyReport({ tables: [{ ...stage, rows: [['roi', 0, 'ratio', '', null, null, 'amec.roi/1']] }] }), true);

// ---- A breakdown's chart: the first unit's columns only.
const by = {
  id: 'by_month', title: 'By month', chart: 'bar',
  columns: [
    { id: 'month', label: 'Month', unit: 'text', formula: '', caveat: '' },
    { id: 'contacts', label: 'Contacts', unit: 'count', formula: 'amec.contacts/1', caveat: '' },
    { id: 'engagement_rate', label: 'Engagement rate', unit: 'percent', formula: 'amec.engagement_rate/1', caveat: '' },
    { id: 'posts', label: 'Posts', unit: 'count', formula: 'amec.posts/1', caveat: '' },
  ],
  rows: [['2026-02', 3, 12.5, 1], ['2026-03', 5, null, 0]],
};
same('chart spec', M.chartSpec(report, by), { type: 'bar', unit: 'count', labels: ['2026-02', '2026-03'],
  series: [{ id: 'contacts', label: 'Contacts', values: [3, 5] }, { id: 'posts', label: 'Posts', values: [1, 0] }] });
same('nothing to draw when every figure is zero', M.chartSpec(report, { ...by, rows: [['2026-02', 0, null, 0]] }), null);

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('reports model: lists agree with the core and the server, addresses and cells read as the JSON says');
