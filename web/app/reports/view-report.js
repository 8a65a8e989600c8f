// One report's page (docs/USER-GUIDE.md "Reports"): its filters (kept in the address, so a
// view is a link), where its figures come from, its period, currency, model and settings, its
// caveats and notes, then each table — with its chart beside it when the report hints at one —
// and a CSV download of each table and of all. Drawn from the report's JSON alone
// (core/query/reports.hpp): every column says its unit, formula and caveat, so the reports that
// land after this screen are drawn by it unchanged.
//
// A figure's cell carries data-value (the JSON the report gave) and data-formula; a column's
// header shows its formula ("amec.posts/1") and a mark for its caveat, whose text is printed
// under the table and at the top of the report.
import { h, fill, field, select } from '../common/dom.js';
import { t, label, formatNumber, formatDateTime } from '../common/i18n.js';
import { formatMoney } from '../programmes/model.js';
import {
  REPORTS, EXTRA, GROUPS, MODELS, METRICS, parseParams, viewPath, sourceFor, unitOf, currencyOf, formulaOf,
  tableCaveats, shownColumns, isEmptyReport, chartSpec, isNumberUnit,
} from './model.js';
import { fetchReport, fetchCsv, saveCsv } from './source.js';
import { filterLists } from './lists.js';
import { drawLater } from './chart.js';

// A translation when the room has one for `prefix.value`, else `fallback` (the core's English).
function known(prefix, value, fallback) {
  const s = label(prefix, value);
  return s === String(value) ? fallback : s;
}

// The device recomputes on its own data's changes at most this often (a first sync announces
// a change per page).
const DEVICE_REFRESH_MS = 10000;
// The core's defaults (core/query/reports.hpp): an address leaves them out.
const DEFAULTS = { model: 'last_click', metric: 'engagements' };

const decimals = (max) => ({ maximumFractionDigits: max });
function number(v, max = 4) {
  return new Intl.NumberFormat(document.documentElement.lang || 'en', decimals(max)).format(v);
}

// A cell as the screen writes it.
export function cellText(value, unit, currency) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value !== 'number') return unit === 'text' ? known('rp.v', value, String(value)) : String(value);
  switch (unit) {
    case 'count': return formatNumber(value);
    case 'money': return formatMoney(value, currency || '', document.documentElement.lang || 'en');
    case 'percent': return `${number(value, 2)} %`;
    case 'days': return number(value, 1);
    default: return number(value, 4);
  }
}

function headerCell(report, col, marks) {
  const mark = col.caveat ? marks.get(col.caveat) : null;
  return h('th', { scope: 'col', 'data-col': col.id },
    known('rp.col', col.id, col.label),
    mark ? h('span', { class: 'rp-mark', title: caveatText(report, col.caveat) }, `*${mark}`,
      h('span', { class: 'visually-hidden' }, ` (${t('rp.caveatMark')} ${mark})`)) : null,
    col.formula ? h('span', { class: 'rp-formula' }, col.formula) : null);
}

function caveatText(report, id) {
  const c = (report.caveats || []).find((x) => x.id === id);
  return known('rp.caveat', id, (c && c.text) || id);
}

// The table of a report: a real <table> with a caption and headers, for screen readers and
// copy-paste; the first column heads its row.
function tableEl(report, table, marks) {
  const cols = shownColumns(table);
  const caption = known('rp.table', table.id, table.title);
  return h('table', { class: 'grid rp-grid', 'data-testid': `rp-grid-${table.id}` },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, cols.map((i) => headerCell(report, table.columns[i], marks)))),
    h('tbody', {}, table.rows.map((row) => h('tr', {}, cols.map((i) => {
      const col = table.columns[i];
      const unit = unitOf(table, row, i);
      const text = col.id === 'formula' ? h('code', {}, row[i]) : cellText(row[i], unit, currencyOf(report, table, row));
      const attrs = { 'data-col': col.id, 'data-value': JSON.stringify(row[i]), 'data-formula': formulaOf(table, row, i) || null };
      if (i === 0) return h('th', { scope: 'row', ...attrs }, text);
      return h('td', { ...attrs, class: isNumberUnit(unit) && typeof row[i] === 'number' ? 'num' : null }, text);
    })))));
}

export function reportView(app, route) {
  const name = REPORTS.includes(route.sub) ? route.sub : 'amec';
  const params = parseParams(route.query);
  const source = sourceFor(app.status && app.status.user && app.status.user.role);
  let lists = null, report = null, loading = false, loadedAt = 0, charts = [], gone = false;

  const title = h('h1', { id: 'rp-h' }, t(`rp.name.${name}`));
  const sourceNote = h('p', { class: 'rp-source', 'data-testid': 'rp-source', 'data-source': source }, t(`rp.source.${source}`));
  const status = h('p', { class: 'loading', role: 'status', 'aria-live': 'polite' });
  const errorBox = h('div', { class: 'error', role: 'alert', 'data-testid': 'rp-error', hidden: true });
  const body = h('div', { 'data-testid': 'rp-body', 'aria-busy': 'true' });
  const form = h('form', { class: 'rp-filters', 'data-testid': 'rp-filters', 'aria-label': t('rp.filters') });

  // ---- Filters ------------------------------------------------------------------------
  function idSelect(key, items) {
    const list = [...(items || [])];
    if (params[key] && !list.some((x) => x.id === params[key])) list.push({ id: params[key], name: params[key] });
    const el = select(list.map((x) => x.id), (id) => (list.find((x) => x.id === id) || {}).name || id, params[key] || '', t('rp.any'));
    el.name = key;
    el.dataset.testid = `rp-${key}`;
    return field(t(`rp.f.${key}`), el);
  }
  function drawForm() {
    const l = lists || {};
    const campaigns = params.programme && l.campaigns ? l.campaigns.filter((c) => c.programme === params.programme) : l.campaigns;
    const from = h('input', { type: 'date', name: 'from', value: params.from || '', 'data-testid': 'rp-from' });
    const to = h('input', { type: 'date', name: 'to', value: params.to || '', 'data-testid': 'rp-to' });
    const group = select(GROUPS, (g) => t(`rp.group.${g}`), params.group_by || '', t('rp.group.none'));
    group.name = 'group_by';
    group.dataset.testid = 'rp-group_by';
    const currency = h('input', { type: 'text', name: 'currency', value: params.currency || '', maxlength: 3, size: 4, autocomplete: 'off', 'data-testid': 'rp-currency' });
    const extra = [];
    if (EXTRA[name].includes('model')) {
      const m = select(MODELS, (v) => t(`rp.model.${v}`), params.model || 'last_click');
      m.name = 'model';
      m.dataset.testid = 'rp-model';
      // The model is a switch: the report follows it at once.
      m.addEventListener('change', () => submit());
      extra.push(field(t('rp.f.model'), m));
    }
    if (EXTRA[name].includes('metric')) {
      const m = select(METRICS, (v) => t(`rp.metric.${v}`), params.metric || 'engagements');
      m.name = 'metric';
      m.dataset.testid = 'rp-metric';
      m.addEventListener('change', () => submit());
      extra.push(field(t('rp.f.metric'), m));
    }
    if (EXTRA[name].includes('market')) {
      extra.push(field(t('rp.f.market'), h('input', { type: 'text', name: 'market', value: params.market || '', maxlength: 2, size: 3, autocomplete: 'off', 'data-testid': 'rp-market' })));
    }
    fill(form,
      idSelect('programme', l.programmes), idSelect('campaign', campaigns), idSelect('brand', l.brands),
      idSelect('region', l.regions), idSelect('store', l.stores),
      field(t('rp.f.from'), from), field(t('rp.f.to'), to), field(t('rp.f.group_by'), group),
      field(t('rp.f.currency'), currency, t('rp.currencyHint')), extra,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', 'data-testid': 'rp-apply' }, t('rp.apply')),
        h('a', { href: `#/reports/${name}`, class: 'rp-reset' }, t('rp.reset'))));
  }
  function submit() {
    const next = {};
    for (const el of form.elements) {
      if (!el.name || !el.value || DEFAULTS[el.name] === el.value) continue;
      next[el.name] = el.name === 'currency' || el.name === 'market' ? el.value.trim().toUpperCase() : el.value;
    }
    app.navigate(viewPath(name, next));
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(); });

  // ---- The report ---------------------------------------------------------------------
  async function load() {
    if (loading) return;
    loading = true;
    body.setAttribute('aria-busy', 'true');
    status.textContent = t('rp.loading');
    const r = await fetchReport(app, source, name, params);
    loading = false;
    if (gone) return;
    status.textContent = '';
    body.setAttribute('aria-busy', 'false');
    loadedAt = Date.now();
    if (!r.ok) {
      report = null;
      destroyCharts();
      fill(body);
      errorBox.hidden = false;
      errorBox.dataset.code = r.code || '';
      errorBox.textContent = r.code === 'offline' ? t('rp.offline')
        : r.code === 'internal' ? t('rp.notBuilt', { message: r.message || r.code })
          : t('rp.failed', { message: app.errorText(r) });
      return;
    }
    errorBox.hidden = true;
    report = r.value;
    draw();
  }

  function destroyCharts() {
    for (const c of charts) c.destroy();
    charts = [];
  }

  function meta() {
    const filters = report.filters || {};
    const settings = Object.entries(report.settings || {});
    const nameOf = (key, id) => {
      const l = lists && lists[`${key}s`];
      const x = l && l.find((e) => e.id === id);
      return x ? x.name : id;
    };
    const filterText = Object.entries(filters).filter(([k]) => k !== 'attribution_model')
      .map(([k, v]) => `${known('rp.f', k, k)}: ${['programme', 'campaign', 'brand', 'region', 'store'].includes(k) ? nameOf(k, v) : v}`);
    const period = report.from || report.to ? `${report.from || t('rp.open')} – ${report.to || t('rp.open')}` : t('rp.periodAll');
    return h('dl', { class: 'rp-meta', 'data-testid': 'rp-meta' },
      h('dt', {}, t('rp.period')), h('dd', { 'data-testid': 'rp-period' }, period),
      h('dt', {}, t('rp.currency')), h('dd', { 'data-testid': 'rp-currency-used' }, report.currency || t('rp.perCurrency')),
      filters.attribution_model ? [h('dt', {}, t('rp.modelUsed')),
        h('dd', { 'data-testid': 'rp-model-used', 'data-model': filters.attribution_model }, t(`rp.model.${filters.attribution_model}`))] : null,
      filterText.length ? [h('dt', {}, t('rp.filtersUsed')), h('dd', {}, filterText.join(' · '))] : null,
      settings.length ? [h('dt', {}, t('rp.settings')), h('dd', { 'data-testid': 'rp-settings' }, settings.map(([k, v]) => `${k} = ${v}`).join(' · '))] : null,
      h('dt', {}, t('rp.formulas')), h('dd', { 'data-testid': 'rp-formulas' }, (report.formulas || []).map((f) => h('code', {}, f, ' '))),
      h('dt', {}, t('rp.computed')), h('dd', {}, formatDateTime(loadedAt)));
  }

  function draw() {
    if (!report) return;
    destroyCharts();
    const campaign = params.campaign && lists && lists.campaigns.find((c) => c.id === params.campaign);
    const programme = !campaign && params.programme && lists && lists.programmes.find((p) => p.id === params.programme);
    title.textContent = `${t(`rp.name.${name}`)}${campaign ? ` — ${campaign.name}` : programme ? ` — ${programme.name}` : ''}`;
    // Caveats numbered once for the whole report: a column's mark, the list at the top and
    // the lines under each table use the same number.
    const marks = new Map((report.caveats || []).map((c, i) => [c.id, i + 1]));
    const caveats = (report.caveats || []).length ? h('section', { class: 'rp-caveats', 'data-testid': 'rp-caveats', 'aria-labelledby': 'rp-cv-h' },
      h('h2', { id: 'rp-cv-h' }, t('rp.caveats')),
      h('ol', {}, report.caveats.map((c) => h('li', { 'data-caveat': c.id }, caveatText(report, c.id))))) : null;
    const notes = (report.notes || []).length ? h('section', { 'data-testid': 'rp-notes', 'aria-labelledby': 'rp-nt-h' },
      h('h2', { id: 'rp-nt-h' }, t('rp.notes')), h('ul', { class: 'rp-list' }, report.notes.map((n) => h('li', {}, n)))) : null;
    const empty = isEmptyReport(report) ? h('p', { class: 'notice', role: 'status', 'data-testid': 'rp-empty' }, t('rp.empty')) : null;
    const actions = h('div', { class: 'rp-actions' },
      h('button', { type: 'button', class: 'secondary', 'data-testid': 'rp-csv-all', onclick: () => downloadCsv('') }, t('rp.csvAll')),
      h('button', { type: 'button', class: 'secondary', onclick: () => window.print() }, t('rp.print')));
    const blocks = (report.tables || []).map((table) => {
      const spec = chartSpec(report, table);
      const heading = known('rp.table', table.id, table.title);
      let figure = null;
      if (spec) {
        const canvas = h('canvas', { role: 'img', 'aria-label': t('rp.chartOf', { title: heading }) });
        figure = h('figure', { class: 'rp-chart', 'data-testid': `rp-chart-${table.id}` }, h('div', { class: 'rp-chart-box' }, canvas));
        const format = (v) => cellText(v, spec.unit, report.currency);
        drawLater(canvas, spec, format, (chart) => { if (gone || !canvas.isConnected) chart.destroy(); else charts.push(chart); },
          () => fill(figure, h('p', { class: 'hint' }, t('rp.chartFailed'))));
      }
      const own = tableCaveats(report, table);
      return h('section', { class: 'rp-block', 'data-table': table.id, 'data-testid': `rp-table-${table.id}`, 'aria-labelledby': `rp-t-${table.id}` },
        h('h2', { id: `rp-t-${table.id}` }, heading),
        table.rows.length
          ? h('div', { class: `rp-pair${figure ? ' has-chart' : ''}` }, figure, h('div', { class: 'table-scroll' }, tableEl(report, table, marks)))
          : h('p', { class: 'hint', 'data-testid': `rp-norows-${table.id}` }, t('rp.noRows')),
        own.length ? h('ul', { class: 'rp-table-caveats' }, own.map((c) => h('li', {}, `*${marks.get(c.id) || ''} ${caveatText(report, c.id)}`))) : null,
        h('button', { type: 'button', class: 'linkish rp-csv', 'data-testid': `rp-csv-${table.id}`, onclick: () => downloadCsv(table.id) }, t('rp.csvTable')));
    });
    fill(body, meta(), empty, caveats, notes, actions, blocks);
  }

  async function downloadCsv(table) {
    const r = await fetchCsv(app, source, name, params, table);
    if (!r.ok) { app.toast(r.code === 'offline' ? t('rp.offline') : t('rp.failed', { message: app.errorText(r) })); return; }
    const file = saveCsv(r.value, name, table, report ? report.from : params.from, report ? report.to : params.to);
    app.toast(t('rp.csvDone', { file }));
  }

  drawForm();
  filterLists(app, source).then((l) => { if (gone) return; lists = l; drawForm(); draw(); });
  load();

  const tabs = h('nav', { class: 'rp-tabs', 'aria-label': t('rp.tabs') },
    h('a', { href: '#/reports', class: 'rp-back' }, t('rp.all')),
    REPORTS.map((r) => h('a', { href: `#${viewPath(r, params)}`, 'aria-current': r === name ? 'page' : null }, t(`rp.name.${r}`))));
  const el = h('section', { class: 'workspace rp', 'aria-labelledby': 'rp-h', 'data-testid': 'rp-report', 'data-report': name },
    tabs, title, sourceNote, form, status, errorBox, body);
  return {
    el,
    // The device's figures follow its data (a sync, a write), at most every 10 s; the server's
    // are asked again when the person asks (Show).
    refresh: () => { if (source === 'device' && !loading && Date.now() - loadedAt > DEVICE_REFRESH_MS) load(); },
    dispose: () => { gone = true; destroyCharts(); },
  };
}
