// The room's forms: a field is a small object {name, el, get(), show(entity)} made by one of the
// constructors below, and entityForm() saves a list of them as a create (POST) or as a PATCH of
// what changed, then the sets' additions and removals. A value the server refuses is shown
// beside its field, as the events form does (web/app/central/view-events.js); an amount that is
// not one in its currency is refused here before anything is sent.
import { h, fill, field, uid } from '../common/dom.js';
import { t, label, formatLocale } from '../common/i18n.js';
import { markInvalid, clearInvalid } from '../common/refusal.js';
import { refs } from '../central/refs.js';
import { refusedField } from '../central/view-person.js';
import { toMinor, fromMinor, formatMoney } from './model.js';

const enc = encodeURIComponent;
export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'CNY', 'HKD', 'SGD', 'AED', 'KRW', 'CAD', 'AUD', 'SEK', 'DKK', 'NOK', 'PLN', 'BRL', 'MXN', 'INR', 'KWD'];

export const money = (minor, currency) => formatMoney(minor, currency, formatLocale());
export function offlineOr(app, r) { return r.code === 'offline' ? t('ws.offline') : app.errorText({ ...r, field: undefined }); }
// "2026-01-01 → 2026-12-31", or one end alone.
export function period(e) {
  if (!e.starts && !e.ends) return '—';
  return `${e.starts || '…'} → ${e.ends || '…'}`;
}

function control(name, el) { el.dataset.field = name; return el; }
const textOf = (el) => { const v = el.value.trim(); return v === '' ? null : v; };

// ---- Field constructors --------------------------------------------------------------------

export function textField(name, { long = false, required = false, type = 'text' } = {}) {
  const el = control(name, long ? h('textarea', { rows: 3, required }) : h('input', { type, required }));
  return { name, el, wide: long, wrap: field(t(`pg.f.${name}`), el), get: () => textOf(el), show: (e) => { el.value = e[name] ?? ''; } };
}

export function dateField(name) { return textField(name, { type: 'date' }); }

// A moment (ms since the epoch) typed in local time.
export function timeField(name) {
  const el = control(name, h('input', { type: 'datetime-local' }));
  const toLocal = (ms) => (ms == null ? '' : new Date(ms - new Date(ms).getTimezoneOffset() * 60000).toISOString().slice(0, 16));
  return { name, el, wrap: field(t(`pg.f.${name}`), el), get: () => (el.value ? new Date(el.value).getTime() : null), show: (e) => { el.value = toLocal(e[name]); } };
}

export function intField(name) {
  const el = control(name, h('input', { type: 'number', min: 0, step: 1, inputmode: 'numeric' }));
  return {
    name, el, wrap: field(t(`pg.f.${name}`), el),
    get: () => (el.value.trim() === '' ? null : Number.isSafeInteger(Number(el.value)) ? Number(el.value) : { error: 'pg.badNumber' }),
    show: (e) => { el.value = e[name] == null ? '' : String(e[name]); },
  };
}

export function boolField(name) {
  const el = control(name, h('input', { type: 'checkbox' }));
  const wrap = h('div', { class: 'field' }, h('label', {}, el, ' ', t(`pg.f.${name}`)));
  return { name, el, wrap, get: () => el.checked, show: (e) => { el.checked = !!e[name]; } };
}

export function choiceField(name, values, prefix, { empty = true } = {}) {
  const el = control(name, h('select', {}, empty ? h('option', { value: '' }, '—') : null,
    values.map((v) => h('option', { value: v }, label(prefix, v)))));
  return { name, el, wrap: field(t(`pg.f.${name}`), el), get: () => textOf(el), show: (e) => { el.value = e[name] ?? (empty ? '' : values[0]); } };
}

// A brand, region or store, from the workspace's reference lists.
export function refField(app, name, collection) {
  const el = control(name, h('select', {}, h('option', { value: '' }, '—')));
  let want = '';
  refs(app, collection).then((r) => {
    if (!r.ok) return;
    for (const item of r.value) el.append(h('option', { value: item.id }, item.name || item.id));
    el.value = want;
  });
  return { name, el, wrap: field(t(`pg.f.${name}`), el), get: () => textOf(el), show: (e) => { want = e[name] || ''; el.value = want; } };
}

export function currencyField(name = 'currency') {
  const listId = uid('currencies');
  const el = control(name, h('input', { list: listId, autocapitalize: 'characters', size: 4, value: 'EUR' }));
  const list = h('datalist', { id: listId }, CURRENCIES.map((c) => h('option', { value: c })));
  return {
    name, el, wrap: h('div', {}, field(t(`pg.f.${name}`), el), list),
    get: () => { const v = textOf(el); return v && v.toUpperCase(); },
    show: (e) => { el.value = e[name] || 'EUR'; },
  };
}

// An amount typed as a decimal in the currency of `currency` (a currencyField), kept in minor
// units.
export function moneyField(name, currency) {
  const el = control(name, h('input', { inputmode: 'decimal', autocomplete: 'off' }));
  return {
    name, el, wrap: field(t(`pg.f.${name}`), el, t('pg.inCurrency')),
    get: () => {
      const v = toMinor(el.value, currency.get() || 'EUR');
      return v && v.error ? { error: 'pg.badAmount', params: { currency: currency.get() || 'EUR' } } : v;
    },
    show: (e) => { el.value = fromMinor(e[name], e[currency.name] || 'EUR'); },
  };
}

// A set of references chosen by ticking them in a reference list (a post's brands mentioned,
// competitors included: docs/PROGRAMMES.md, "Content").
export function refsSetField(app, name, collection) {
  const list = h('div', { class: 'checks' });
  const el = control(name, h('fieldset', { class: 'field' }, h('legend', {}, t(`pg.f.${name}`)), list));
  let want = [];
  const tick = () => { for (const box of list.querySelectorAll('input')) box.checked = want.includes(box.value); };
  refs(app, collection).then((r) => {
    if (!r.ok) return;
    fill(list, r.value.map((item) => h('label', {}, h('input', { type: 'checkbox', value: item.id }), ' ', item.name || item.id,
      item.competitor ? h('span', { class: 'hint' }, ` (${t('pg.competitor')})`) : null)));
    tick();
  });
  return {
    name, el, set: true, wrap: el,
    get: () => [...list.querySelectorAll('input:checked')].map((box) => box.value),
    show: (e) => { want = e[name] || []; tick(); },
  };
}

// A set of country codes typed as "FR, BE".
export function countriesField(name) {
  const el = control(name, h('input', { autocapitalize: 'characters', placeholder: 'FR, BE' }));
  return {
    name, el, set: true, wrap: field(t(`pg.f.${name}`), el),
    get: () => [...new Set(el.value.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean))],
    show: (e) => { el.value = (e[name] || []).join(', '); },
  };
}

// Rows of a date and a text: the set `deliverables_due` ("YYYY-MM-DD text").
export function datedItemsField(name) {
  const rows = h('div', { class: 'dated-rows' });
  const box = h('fieldset', { class: 'field', 'data-testid': `rows-${name}` }, h('legend', {}, t(`pg.f.${name}`)), rows);
  const el = control(name, h('button', { type: 'button', class: 'secondary small', onclick: () => addRow('', '') }, t('pg.addRow')));
  function addRow(date, text) {
    const d = h('input', { type: 'date', value: date, 'aria-label': t('pg.dueDate') });
    const x = h('input', { value: text, 'aria-label': t('pg.dueWhat') });
    const row = h('div', { class: 'inline-form' }, d, x, h('button', { type: 'button', class: 'secondary small', onclick: () => row.remove() }, t('pg.removeRow')));
    rows.append(row);
  }
  box.append(el);
  return {
    name, el, set: true, wide: true, wrap: box,
    get: () => [...rows.children].map((r) => { const [d, x] = r.querySelectorAll('input'); return d.value && x.value.trim() ? `${d.value} ${x.value.trim()}` : null; }).filter(Boolean),
    show: (e) => { fill(rows); for (const item of e[name] || []) addRow(item.slice(0, 10), item.slice(11)); },
  };
}

// ---- The form ----------------------------------------------------------------------------------

// fields: from the constructors above; path: the collection ("/api/v1/campaigns"); entity: the
// entity being edited, or null for a new one; extra(): fields every create adds (a campaign's
// programme); onSaved(id).
export function entityForm(app, { path, entity, fields, extra = () => ({}), onSaved, testid, layout }) {
  for (const f of fields) if (entity) f.show(entity);
  const msg = h('p', { 'aria-live': 'polite', 'data-testid': `${testid}-status` });
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
  function refuse(name, text) {
    const f = byName[name];
    if (!f) return false;
    markInvalid(f.el, text);
    f.el.closest('.field')?.querySelector('.field-error')?.setAttribute('data-testid', `error-${name}`);
    return true;
  }
  async function save(e) {
    e.preventDefault();
    clearInvalid(form);
    msg.textContent = '';
    const body = entity ? {} : extra();
    const sets = {};
    for (const f of fields) {
      const now = f.get();
      if (now && now.error) { refuse(f.name, t(now.error, now.params || {})); return; }
      if (f.set) {
        const was = entity ? entity[f.name] || [] : [];
        const add = now.filter((x) => !was.includes(x)), remove = was.filter((x) => !now.includes(x));
        if (!entity) { if (add.length) body[f.name] = add; } else if (add.length || remove.length) sets[f.name] = { add, remove };
      } else if (entity ? now !== (entity[f.name] ?? (f.el.type === 'checkbox' ? false : null)) : now !== null && now !== false) {
        body[f.name] = now;
      }
    }
    if (entity && !Object.keys(body).length && !Object.keys(sets).length) { msg.textContent = t('pg.unchanged'); return; }
    let id = entity && entity.id;
    if (!entity || Object.keys(body).length) {
      const r = await app.call('api', entity ? { method: 'PATCH', path: `${path}/${enc(id)}`, body } : { method: 'POST', path, body });
      if (!r.ok) {
        const name = refusedField(r, fields.map((f) => f.name));
        if (!name || !refuse(name, offlineOr(app, r))) msg.textContent = offlineOr(app, r);
        return;
      }
      if (!entity) id = r.value.body.id;
    }
    for (const [name, change] of Object.entries(sets)) {
      const r = await app.call('api', { method: 'POST', path: `${path}/${enc(id)}/sets/${name}`, body: change });
      if (!r.ok) { if (!refuse(name, offlineOr(app, r))) msg.textContent = offlineOr(app, r); return; }
    }
    msg.textContent = t('pg.saved');
    onSaved(id);
  }
  // novalidate: the server's refusal is shown beside its field, in the app's language.
  const form = h('form', { class: 'ws-form', novalidate: true, 'data-testid': testid, onsubmit: save },
    layout ? layout(byName) : [h('div', { class: 'person-grid' }, fields.filter((f) => !f.wide).map((f) => f.wrap)), fields.filter((f) => f.wide).map((f) => f.wrap)],
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-testid': `${testid}-save` }, t(entity ? 'pg.save' : 'pg.create'))), msg);
  return form;
}

// Draws `box` as the entity's facts or, while `editing`, its form: a refresh (a sync's, every
// few seconds) leaves a form being filled in alone, and the facts alone while one of their
// controls has the focus.
export function factsOrForm(box, editing, facts, form) {
  const mode = editing ? 'edit' : 'view';
  if (box.dataset.mode === mode && (editing || box.contains(document.activeElement))) return;
  box.dataset.mode = mode;
  fill(box, editing ? form() : facts());
}

// A box that opens a form with a button (New programme, New campaign …).
export function opener(label, testid, make) {
  const box = h('div', { hidden: true, 'data-testid': `${testid}-box` });
  const button = h('button', { type: 'button', 'data-testid': `${testid}-open`, onclick: () => {
    box.hidden = !box.hidden;
    if (!box.hidden) { fill(box, h('h2', {}, label), make(() => { box.hidden = true; })); box.querySelector('input, select')?.focus(); }
  } }, label);
  return { button, box };
}
