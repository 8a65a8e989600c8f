// What the programmes room knows of the record model (docs/PROGRAMMES.md): the KPI targets a
// campaign may set, in the core's table order, and money entered as a decimal and kept in
// minor units with its currency. Pure functions: tests/web/programmes_test.mjs runs them under
// node and compares TARGET_METRICS with the core's table.

// core/model/targets.cpp target_metrics(): [stage, metric, unit], in the table's order. A
// metric is added there first (tests/web/programmes_test.mjs fails until it is added here).
export const TARGET_METRICS = [
  ['inputs', 'people_contacted', 'count'],
  ['activities', 'contacts', 'count'],
  ['activities', 'collaborations', 'count'],
  ['activities', 'events', 'count'],
  ['outputs', 'posts', 'count'],
  ['outputs', 'mentions', 'count'],
  ['outputs', 'impressions', 'count'],
  ['outputs', 'reach', 'count'],
  ['outputs', 'video_views', 'count'],
  ['outtakes', 'engagements', 'count'],
  ['outtakes', 'engagement_rate', 'basis_points'],
  ['outtakes', 'clicks', 'count'],
  ['outtakes', 'click_through_rate', 'basis_points'],
  ['outcomes', 'conversions', 'count'],
  ['outcomes', 'conversion_rate', 'basis_points'],
  ['outcomes', 'revenue', 'money'],
  ['impact', 'attributed_revenue', 'money'],
  ['impact', 'roi', 'basis_points'],
].map(([stage, metric, unit]) => ({ stage, metric, unit }));

export const STAGES = [...new Set(TARGET_METRICS.map((m) => m.stage))];

export function metricOf(stage, metric) {
  return TARGET_METRICS.find((m) => m.stage === stage && m.metric === metric) || null;
}

// A campaign's `targets` text as rows {stage, metric, value} (value: the stored whole number).
// Lines the table does not know are kept as they are, so that an edit here never drops a
// target a newer build wrote.
export function parseTargets(text) {
  const rows = [];
  for (const line of String(text || '').split(/[;\n]/)) {
    const m = /^\s*([a-z_]+)\.([a-z_]+)\s*=\s*(\d+)\s*$/.exec(line);
    if (m && metricOf(m[1], m[2])) rows.push({ stage: m[1], metric: m[2], value: Number(m[3]) });
    else if (line.trim()) rows.push({ raw: line.trim() });
  }
  return rows;
}

// The rows back as the field's text, one "stage.metric=value" per line (the server puts them
// in the table's order and refuses a metric set twice, naming it).
export function targetsText(rows) {
  return rows.map((r) => (r.raw ? r.raw : `${r.stage}.${r.metric}=${r.value}`)).join('\n');
}

// ---- Money -----------------------------------------------------------------------------------

// The digits after the decimal point of `currency` (2 for EUR, 0 for JPY, 3 for KWD), as
// Intl knows them; 2 for a code Intl does not know.
export function currencyDigits(currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return 2;
  }
}

// "1 234,50" or "1234.5" in `currency` -> 123450 (minor units); null for an empty text;
// {error: 'bad_format'} for a text that is not an amount or has more decimals than the
// currency has.
export function toMinor(text, currency) {
  const s = String(text ?? '').replace(/[\s\u00a0\u202f']/g, '');
  if (s === '') return null;
  const m = /^(\d+)(?:[.,](\d*))?$/.exec(s);
  const digits = currencyDigits(currency);
  if (!m || (m[2] || '').length > digits) return { error: 'bad_format' };
  const minor = Number(m[1]) * 10 ** digits + Number((m[2] || '').padEnd(digits, '0') || 0);
  return Number.isSafeInteger(minor) ? minor : { error: 'bad_format' };
}

// 123450 in EUR -> "1234.50": the value an amount field shows for editing.
export function fromMinor(minor, currency) {
  if (minor === null || minor === undefined || minor === '') return '';
  const digits = currencyDigits(currency);
  if (!digits) return String(minor);
  const s = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${minor < 0 ? '-' : ''}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

// 123450, EUR -> "€1,234.50" in `locale`; the bare number when there is no currency.
export function formatMoney(minor, currency, locale) {
  if (minor === null || minor === undefined) return '—';
  if (!currency) return new Intl.NumberFormat(locale).format(minor);
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** digits);
  } catch {
    return `${fromMinor(minor, currency)} ${currency}`;
  }
}

// A rate in basis points as a percentage for editing (350 -> "3.50") and back.
export function fromBasisPoints(bp) { return fromMinor(bp, 'EUR'); }
export function toBasisPoints(text) { return toMinor(text, 'EUR'); }
