// A campaign's KPI targets by AMEC stage (docs/PROGRAMMES.md, "Targets"): an editor with one
// row per target — its stage, a metric of that stage from the core's table (model.js
// TARGET_METRICS) and its value — written as the campaign's `targets` text. Counts are typed
// as whole numbers, amounts as decimals in the campaign's currency, rates as percentages
// (kept in basis points: 3.50 % is 350).
import { h, fill } from '../common/dom.js';
import { t, label, formatNumber } from '../common/i18n.js';
import { STAGES, TARGET_METRICS, metricOf, parseTargets, targetsText, toMinor, fromMinor, toBasisPoints, fromBasisPoints } from './model.js';
import { money } from './forms.js';

function valueText(row, currency) {
  const m = metricOf(row.stage, row.metric);
  if (m.unit === 'money') return fromMinor(row.value, currency);
  if (m.unit === 'basis_points') return fromBasisPoints(row.value);
  return String(row.value);
}

function valueOf(text, unit, currency) {
  if (unit === 'money') return toMinor(text, currency);
  if (unit === 'basis_points') return toBasisPoints(text);
  const s = text.trim();
  return s === '' ? null : /^\d{1,16}$/.test(s) ? Number(s) : { error: 'bad_format' };
}

// A target in words: "Reach (outputs): 2,000,000".
export function targetText(row, currency) {
  const m = metricOf(row.stage, row.metric);
  const v = m.unit === 'money' ? money(row.value, currency) : m.unit === 'basis_points' ? `${formatNumber(row.value / 100)} %` : formatNumber(row.value);
  return t('pg.targetLine', { metric: label('pg.metric', row.metric), stage: label('pg.stage', row.stage), value: v });
}

export function targetsList(campaign) {
  const rows = parseTargets(campaign.targets).filter((r) => !r.raw);
  if (!rows.length) return '—';
  return h('ul', { class: 'plain', 'data-testid': 'targets' }, rows.map((r) => h('li', {}, targetText(r, campaign.currency))));
}

export function targetsField(name, currency) {
  const rows = h('div', { 'data-testid': 'targets-rows' });
  let kept = []; // lines the table does not know (a newer build's), kept as they are
  const el = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'target-add', onclick: () => addRow({ stage: 'outputs', metric: 'reach', value: null }) }, t('pg.addTarget'));
  el.dataset.field = name;
  const box = h('fieldset', { class: 'field targets' }, h('legend', {}, t(`pg.f.${name}`)), rows, el);
  function addRow(row) {
    const stage = h('select', { 'aria-label': t('pg.targetStage'), 'data-testid': 'target-stage' }, STAGES.map((s) => h('option', { value: s }, label('pg.stage', s))));
    const metric = h('select', { 'aria-label': t('pg.targetMetric'), 'data-testid': 'target-metric' });
    const value = h('input', { inputmode: 'decimal', 'aria-label': t('pg.targetValue'), 'data-testid': 'target-value' });
    const unit = h('span', { class: 'hint' });
    const metrics = () => {
      const was = metric.value || row.metric;
      fill(metric, TARGET_METRICS.filter((m) => m.stage === stage.value).map((m) => h('option', { value: m.metric }, label('pg.metric', m.metric))));
      if ([...metric.options].some((o) => o.value === was)) metric.value = was;
      units();
    };
    const units = () => { unit.textContent = t(`pg.unit.${metricOf(stage.value, metric.value).unit}`); };
    stage.value = row.stage;
    stage.addEventListener('change', metrics);
    metric.addEventListener('change', units);
    metrics();
    if (row.value !== null) value.value = valueText(row, currency.get() || 'EUR');
    const line = h('div', { class: 'inline-form', 'data-testid': 'target-row' }, stage, metric, value, unit,
      h('button', { type: 'button', class: 'secondary small', onclick: () => line.remove() }, t('pg.removeRow')));
    line.read = () => {
      const m = metricOf(stage.value, metric.value);
      const v = valueOf(value.value, m.unit, currency.get() || 'EUR');
      if (v === null) return null;
      return v.error ? v : { stage: m.stage, metric: m.metric, value: v };
    };
    rows.append(line);
  }
  return {
    name, el, wide: true, wrap: box,
    get: () => {
      const out = [];
      for (const line of rows.children) {
        const r = line.read();
        if (r && r.error) return { error: 'pg.badTarget' };
        if (r) out.push(r);
      }
      const text = targetsText([...out, ...kept]);
      return text === '' ? null : text;
    },
    show: (e) => {
      fill(rows);
      const all = parseTargets(e[name]);
      kept = all.filter((r) => r.raw);
      for (const r of all.filter((x) => !x.raw)) addRow(r);
    },
  };
}
