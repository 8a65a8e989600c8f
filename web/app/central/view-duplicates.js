// The duplicates queue (docs/WORKSPACE.md, "Duplicates"): the likely pairs the server finds
// across the whole record (GET /api/v1/duplicates), one pair side by side, and two decisions:
// - Merge: the user picks the record to keep, then, field by field and set by set, the value
//   the person keeps (by default the kept record's). The server merges the two and writes the
//   chosen values on the survivor in the same submit (POST …/merge with "values" and "sets"),
//   so a newer edit of the other record cannot overwrite them.
// - Not the same person: each person's id is added to the other's `distinct_from`; the pair
//   leaves the queue, on every device, for good.
import { h, fill } from '../common/dom.js';
import { t, label, formatNumber } from '../common/i18n.js';
import { refs } from './refs.js';

const PAGE = 20;
// Profile fields compared, with how a value is shown: [field, kind] (kind: text, enum prefix,
// or a reference collection).
const FIELDS = [
  ['name', 'text'], ['email', 'text'], ['phone', 'text'], ['country', 'text'],
  ['tier', 'enum:tier'], ['status', 'enum:status'], ['consent', 'enum:consent'],
  ['consent_basis', 'enum:basis'], ['vetting', 'enum:vetting'], ['vetting_notes', 'text'], ['notes', 'text'],
  ['owner', 'ref:staff'], ['region', 'ref:regions'], ['store', 'ref:stores'], ['brand', 'ref:brands'],
];
const SETS = [['handles', null], ['roles', 'role'], ['topics', null], ['languages', null], ['brands', 'ref:brands'], ['tags', null]];

const same = (x, y) => JSON.stringify(x ?? null) === JSON.stringify(y ?? null);
const sorted = (list) => [...(list || [])].sort();

export function duplicatesView(app) {
  const state = { offset: 0, page: null, pair: null, keep: 'a', choice: {}, names: {} };
  let seq = 0;
  const status = h('p', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'dupq-count' });
  const errorBox = h('div', { class: 'error', role: 'alert', hidden: true });
  const table = h('table', { class: 'grid', 'data-testid': 'dupq-table' });
  const pager = h('div', { class: 'actions pager' });
  const panel = h('section', { class: 'dupq-pair', 'aria-labelledby': 'dupq-pair-h', 'data-testid': 'dupq-pair', hidden: true });

  for (const collection of ['staff', 'regions', 'stores', 'brands']) {
    refs(app, collection).then((r) => {
      if (!r.ok) return;
      for (const item of r.value) state.names[item.id] = item.name;
      if (state.pair) drawPair();
    });
  }

  async function load() {
    const mine = ++seq;
    table.setAttribute('aria-busy', 'true');
    const r = await app.call('api', { path: `/api/v1/duplicates?limit=${PAGE}&offset=${state.offset}` });
    if (mine !== seq) return;
    table.removeAttribute('aria-busy');
    if (!r.ok) {
      errorBox.hidden = false;
      errorBox.textContent = r.code === 'offline' ? t('ws.offline') : app.errorText(r);
      return;
    }
    errorBox.hidden = true;
    state.page = r.value.body;
    if (state.page.items.length === 0 && state.offset > 0) { state.offset = Math.max(0, state.offset - PAGE); load(); return; }
    drawQueue();
  }

  function reasonsText(reasons) { return reasons.map((r) => t(`dupq.reason.${r}`)).join(', '); }

  function drawQueue() {
    const page = state.page;
    status.textContent = page.total === 0 ? t('dupq.none')
      : t('dupq.count', { from: formatNumber(state.offset + 1), to: formatNumber(state.offset + page.items.length), total: formatNumber(page.total) });
    status.dataset.total = String(page.total);
    const rows = page.items.map((p) => h('tr', { 'data-a': p.a.id, 'data-b': p.b.id },
      h('td', {}, p.a.name), h('td', {}, p.b.name), h('td', {}, reasonsText(p.reasons)),
      h('td', {}, h('button', {
        type: 'button', class: 'secondary small', 'data-testid': 'dupq-review',
        'aria-label': t('dupq.reviewPair', { a: p.a.name, b: p.b.name }),
        onclick: () => open(p),
      }, t('dupq.review')))));
    fill(table, h('caption', { class: 'visually-hidden' }, t('dupq.title')),
      h('thead', {}, h('tr', {}, ['dupq.col.a', 'dupq.col.b', 'dupq.col.reasons', 'dupq.col.action'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows));
    fill(pager,
      h('button', { type: 'button', class: 'secondary', disabled: state.offset === 0,
        onclick: () => { state.offset = Math.max(0, state.offset - PAGE); load(); } }, t('dir.prev')),
      h('button', { type: 'button', class: 'secondary', disabled: page.next_offset === null,
        onclick: () => { state.offset = page.next_offset; load(); } }, t('dir.next')));
  }

  // The rows that differ: [name, kind, isSet].
  function differences(pair) {
    const out = [];
    for (const [name, kind] of FIELDS) if (!same(pair.a[name], pair.b[name])) out.push([name, kind, false]);
    for (const [name, kind] of SETS) if (!same(sorted(pair.a[name]), sorted(pair.b[name]))) out.push([name, kind, true]);
    return out;
  }

  function open(pair) {
    state.pair = pair;
    state.keep = 'a';
    state.choice = {};
    for (const [name] of differences(pair)) state.choice[name] = 'a';
    panel.hidden = false;
    drawPair();
    panel.querySelector('h2').focus();
  }

  function shown(value, kind) {
    if (value === undefined || value === null || value === '') return t('dupq.empty');
    if (Array.isArray(value)) return value.length ? value.map((v) => shown(v, kind)).join(', ') : t('dupq.empty');
    if (kind && kind.startsWith('enum:')) return label(kind.slice(5), value);
    if (kind && kind.startsWith('ref:')) return state.names[value] || value;
    if (kind === 'role') return label('role', value);
    return String(value);
  }

  function drawPair() {
    const pair = state.pair;
    if (!pair) { panel.hidden = true; fill(panel); return; }
    const side = (s) => pair[s];
    const rows = differences(pair);
    const msg = h('div', { class: 'error', role: 'alert', hidden: true, 'data-testid': 'dupq-error' });
    const keepGroup = h('fieldset', { class: 'dupq-keep' }, h('legend', {}, t('dupq.keep')),
      ['a', 'b'].map((s) => h('label', {}, h('input', {
        type: 'radio', name: 'dupq-keep', value: s, checked: state.keep === s, 'data-testid': `dupq-keep-${s}`,
        onchange: () => {
          state.keep = s;
          for (const k of Object.keys(state.choice)) state.choice[k] = s;
          drawPair();
          panel.querySelector(`input[name="dupq-keep"][value="${s}"]`).focus();
        },
      }), side(s).name, h('span', { class: 'hint' }, ` ${side(s).id}`))));
    const fieldRows = rows.map(([name, kind]) => {
      const errId = `dupq-err-${name}`;
      return h('fieldset', { class: 'dupq-field', 'data-field': name, 'aria-describedby': errId },
        h('legend', {}, t(`dupq.field.${name}`)),
        h('div', { class: 'choices' }, ['a', 'b'].map((s) => h('label', {}, h('input', {
          type: 'radio', name: `dupq-${name}`, value: s, checked: state.choice[name] === s,
          onchange: () => { state.choice[name] = s; },
        }), shown(side(s)[name], kind)))),
        h('p', { class: 'field-error', id: errId, hidden: true, 'data-testid': `dupq-err-${name}` }),
      );
    });
    const mergeButton = h('button', { type: 'button', 'data-testid': 'dupq-merge', onclick: () => merge(mergeButton, msg) }, t('dupq.merge'));
    const dismissButton = h('button', { type: 'button', class: 'secondary', 'data-testid': 'dupq-dismiss', onclick: () => dismiss(dismissButton, msg) }, t('dupq.dismiss'));
    fill(panel,
      h('h2', { id: 'dupq-pair-h', tabindex: '-1' }, t('dupq.pairTitle', { a: pair.a.name, b: pair.b.name })),
      h('p', { class: 'hint' }, t('dupq.why', { reasons: reasonsText(pair.reasons) })),
      keepGroup,
      rows.length ? h('form', { class: 'dupq-fields', 'aria-label': t('dupq.values'), onsubmit: (e) => e.preventDefault() },
        h('p', { class: 'hint' }, t('dupq.valuesHint')), fieldRows) : h('p', { class: 'hint' }, t('dupq.noDifference')),
      msg,
      h('div', { class: 'actions' }, mergeButton, dismissButton,
        h('button', { type: 'button', class: 'secondary', onclick: () => { state.pair = null; drawPair(); } }, t('dupq.close'))));
  }

  function showError(r, msg) {
    const row = r.field && panel.querySelector(`.dupq-field[data-field="${r.field}"] .field-error`);
    if (row) {
      row.hidden = false;
      row.textContent = app.errorText(r);
      const input = panel.querySelector(`.dupq-field[data-field="${r.field}"] input:checked`);
      if (input) input.focus();
    }
    msg.hidden = false;
    msg.textContent = app.errorText(r);
  }

  function after(text) {
    app.toast(text);
    state.pair = null;
    drawPair();
    load();
  }

  async function merge(button, msg) {
    const pair = state.pair;
    const keep = pair[state.keep], other = pair[state.keep === 'a' ? 'b' : 'a'];
    const values = {}, sets = {};
    for (const [name, , isSet] of differences(pair)) {
      const v = pair[state.choice[name]][name];
      if (isSet) sets[name] = v || [];
      else values[name] = v === undefined || v === '' ? null : v;
    }
    button.disabled = true;
    const r = await app.call('api', {
      method: 'POST', path: `/api/v1/influencers/${encodeURIComponent(other.id)}/merge`,
      body: { into: keep.id, values, sets },
    });
    button.disabled = false;
    if (!r.ok) { showError(r, msg); return; }
    after(t('dupq.merged', { name: values.name ?? keep.name }));
  }

  async function dismiss(button, msg) {
    const { a, b } = state.pair;
    button.disabled = true;
    for (const [x, y] of [[a, b], [b, a]]) {
      const r = await app.call('api', {
        method: 'POST', path: `/api/v1/influencers/${encodeURIComponent(x.id)}/sets/distinct_from`, body: { add: [y.id] },
      });
      if (!r.ok) { button.disabled = false; showError(r, msg); return; }
    }
    after(t('dupq.dismissed', { a: a.name, b: b.name }));
  }

  load();
  const el = h('section', { class: 'workspace', 'aria-labelledby': 'dupq-h' },
    h('h1', { id: 'dupq-h' }, t('dupq.title')),
    h('p', { class: 'hint' }, t('dupq.intro')),
    h('div', { class: 'actions' }, status), errorBox,
    h('div', { class: 'table-scroll' }, table), pager, panel);
  return { el, refresh: load };
}
