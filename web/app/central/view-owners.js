// Owners and follow-ups (docs/WORKSPACE.md, "Owners and follow-ups"): the caller's own
// influencers by days since the last contact, the open follow-ups across the record with a
// "Done" button, and the hand-over of one owner's relationships to another. The "No owner" tab
// is the directory itself (room.js), filtered to top-tier and expert people with no owner.
import { h, fill, field } from '../common/dom.js';
import { t, label, formatNumber, formatDate } from '../common/i18n.js';
import { refs } from './refs.js';

const PAGE = 50;
const DAY_MS = 86400000;
const enc = encodeURIComponent;

function personLink(id, name) {
  return h('a', { href: `#/central/person/${enc(id)}` }, name || id);
}

function pager(offset, next, go) {
  return h('div', { class: 'actions pager' },
    h('button', { type: 'button', class: 'secondary', disabled: offset === 0, onclick: () => go(Math.max(0, offset - PAGE)) }, t('dir.prev')),
    h('button', { type: 'button', class: 'secondary', disabled: next === null, onclick: () => go(next) }, t('dir.next')));
}

// "owner: 'me' needs a user linked to a staff member" in the user's words.
function meError(app, r) {
  return r.code === 'invalid_argument' && /^owner:/.test(r.message || '') ? t('own.noStaff') : app.errorText(r);
}

// ---- My influencers: owner = me, the longest without contact first ----
export function mineView(app) {
  let offset = 0;
  const status = h('p', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'mine-count' });
  const table = h('table', { class: 'grid', 'data-testid': 'mine-table' });
  const nav = h('div');
  async function load() {
    // Ascending last contact: the oldest first; people never contacted come last, marked.
    const r = await app.call('api', { path: `/api/v1/directory?owner=me&sort=last_contact&limit=${PAGE}&offset=${offset}` });
    if (!r.ok) { status.textContent = r.code === 'offline' ? t('ws.offline') : meError(app, r); fill(table); return; }
    const page = r.value.body;
    status.textContent = page.total ? t('own.mineCount', { n: formatNumber(page.total) }) : t('own.mineNone');
    status.dataset.total = String(page.total);
    const now = Date.now();
    fill(table, h('caption', { class: 'visually-hidden' }, t('own.mine')),
      h('thead', {}, h('tr', {}, ['name', 'tier', 'days', 'lastContact', 'contacts'].map((c) => h('th', { scope: 'col' }, t(`own.col.${c}`))))),
      h('tbody', {}, page.items.map((p) => h('tr', { 'data-id': p.id },
        h('td', {}, personLink(p.id, p.name)),
        h('td', {}, p.tier ? label('tier', p.tier) : ''),
        h('td', { class: 'num', 'data-days': p.last_contact ? String(Math.floor((now - p.last_contact) / DAY_MS)) : 'never' },
          p.last_contact ? formatNumber(Math.max(0, Math.floor((now - p.last_contact) / DAY_MS)))
            : h('span', { class: 'badge warn' }, t('own.neverContacted'))),
        h('td', {}, p.last_contact ? formatDate(p.last_contact) : t('dir.never')),
        h('td', { class: 'num' }, formatNumber(p.contacts))))));
    fill(nav, pager(offset, page.next_offset, (o) => { offset = o; load(); }));
  }
  load();
  const el = h('section', { class: 'workspace', 'aria-labelledby': 'mine-h' },
    h('h1', { id: 'mine-h' }, t('own.mine')), h('p', { class: 'hint' }, t('own.mineHint')),
    status, h('div', { class: 'table-scroll' }, table), nav);
  return { el, refresh: load };
}

// ---- Follow-ups due: every open follow-up, due date first, with its owner ----
export function followUpsView(app, route) {
  const params = new URLSearchParams(route.query || '');
  const state = { owner: params.get('owner') ?? 'me', due_before: params.get('due_before') || '', offset: 0 };
  const status = h('p', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'fu-count' });
  const msg = h('p', { 'aria-live': 'polite', 'data-testid': 'fu-message' });
  const table = h('table', { class: 'grid', 'data-testid': 'fu-table' });
  const nav = h('div');
  const names = {};

  const ownerSel = h('select', { 'data-testid': 'fu-owner' },
    h('option', { value: 'me' }, t('dir.ownerMe')), h('option', { value: '' }, t('dir.ownerAny')), h('option', { value: 'none' }, t('dir.ownerNone')));
  refs(app, 'staff').then((r) => {
    if (!r.ok) return;
    for (const s of r.value) { names[s.id] = s.name; ownerSel.append(h('option', { value: s.id }, s.name || s.id)); }
    ownerSel.value = state.owner;
  });
  ownerSel.value = state.owner;
  ownerSel.addEventListener('change', () => { state.owner = ownerSel.value; state.offset = 0; load(); });
  const due = h('input', { type: 'date', value: state.due_before, 'data-testid': 'fu-due' });
  due.addEventListener('change', () => { state.due_before = due.value; state.offset = 0; load(); });

  async function done(item, button) {
    button.disabled = true;
    const r = await app.call('api', { method: 'PATCH', path: `/api/v1/interactions/${enc(item.interaction.id)}`, body: { follow_up_done: true } });
    if (!r.ok) { button.disabled = false; msg.textContent = app.errorText(r); return; }
    msg.textContent = t('own.doneFor', { name: item.person.name });
    load();
  }

  async function load() {
    const q = new URLSearchParams({ limit: String(PAGE), offset: String(state.offset) });
    if (state.owner) q.set('owner', state.owner);
    if (state.due_before) q.set('due_before', state.due_before);
    history.replaceState(null, '', `#/central/follow-ups?${new URLSearchParams({ owner: state.owner, ...(state.due_before ? { due_before: state.due_before } : {}) })}`);
    const r = await app.call('api', { path: `/api/v1/follow-ups?${q}` });
    if (!r.ok) { status.textContent = r.code === 'offline' ? t('ws.offline') : meError(app, r); fill(table); fill(nav); return; }
    const page = r.value.body;
    Object.assign(names, page.names);
    const today = new Date().toISOString().slice(0, 10);
    status.textContent = page.total ? t('own.fuCount', { n: formatNumber(page.total) }) : t('own.fuNone');
    status.dataset.total = String(page.total);
    fill(table, h('caption', { class: 'visually-hidden' }, t('own.followUps')),
      h('thead', {}, h('tr', {}, ['due', 'person', 'owner', 'department', 'followUp', 'asked', 'action'].map((c) => h('th', { scope: 'col' }, t(`own.col.${c}`))))),
      h('tbody', {}, page.items.map((item) => {
        const e = item.interaction || {};
        const button = h('button', { type: 'button', class: 'secondary small', 'data-testid': 'fu-done',
          'aria-label': t('own.doneOf', { name: item.person.name }), disabled: !item.interaction }, t('person.done'));
        button.addEventListener('click', () => done(item, button));
        return h('tr', { 'data-id': e.id || '', 'data-person': item.person.id },
          h('td', {}, item.due ? [formatDate(item.due), item.due < today ? [' ', h('span', { class: 'badge warn' }, t('own.overdue'))] : null] : t('own.undated')),
          h('td', {}, personLink(item.person.id, item.person.name)),
          h('td', {}, item.person.owner ? names[item.person.owner] || item.person.owner : t('dir.ownerNone')),
          h('td', {}, e.department ? label('dep', e.department) : ''),
          h('td', {}, e.follow_up || ''),
          h('td', {}, formatDate(item.at)),
          h('td', {}, button));
      })));
    fill(nav, pager(state.offset, page.next_offset, (o) => { state.offset = o; load(); }));
  }
  load();
  const el = h('section', { class: 'workspace', 'aria-labelledby': 'fu-h' },
    h('h1', { id: 'fu-h' }, t('own.followUps')),
    h('form', { class: 'filters inline-form', 'aria-label': t('dir.filters'), onsubmit: (e) => e.preventDefault() },
      field(t('dir.owner'), ownerSel), field(t('own.dueBefore'), due)),
    status, msg, h('div', { class: 'table-scroll' }, table), nav);
  return { el, refresh: load };
}

// ---- Hand over: all of one owner's relationships to another ----
export function handoverView(app) {
  const from = h('select', { 'data-testid': 'ho-from' }, h('option', { value: '' }, '—'));
  const to = h('select', { 'data-testid': 'ho-to' }, h('option', { value: '' }, '—'));
  const count = h('p', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'ho-count' });
  const msg = h('p', { 'aria-live': 'polite', 'data-testid': 'ho-message' });
  const button = h('button', { type: 'submit', 'data-testid': 'ho-go' }, t('own.handover'));
  refs(app, 'staff').then((r) => {
    if (!r.ok) { msg.textContent = app.errorText(r); return; }
    for (const s of r.value) for (const sel of [from, to]) sel.append(h('option', { value: s.id }, s.name || s.id));
  });
  let owned = 0;
  from.addEventListener('change', async () => {
    count.textContent = '';
    if (!from.value) return;
    const r = await app.call('api', { path: `/api/v1/directory?owner=${enc(from.value)}&limit=1` });
    if (!r.ok) { count.textContent = app.errorText(r); return; }
    owned = r.value.body.total;
    count.textContent = t('own.owns', { n: formatNumber(owned) });
    count.dataset.n = String(owned);
  });
  const form = h('form', { class: 'person-form', onsubmit: async (e) => {
    e.preventDefault();
    if (!from.value || !to.value) { msg.textContent = t('own.pickBoth'); (from.value ? to : from).focus(); return; }
    if (from.value === to.value) { msg.textContent = t('own.same'); to.focus(); return; }
    button.disabled = true;
    msg.textContent = t('own.handingOver', { n: formatNumber(owned) });
    const r = await app.call('api', { method: 'POST', path: '/api/v1/owners/handover', body: { from: from.value, to: to.value } });
    button.disabled = false;
    if (!r.ok) { msg.textContent = app.errorText(r); return; }
    msg.textContent = t('own.handedOver', { n: formatNumber(r.value.body.moved) });
    msg.dataset.moved = String(r.value.body.moved);
    from.dispatchEvent(new Event('change'));
  } }, field(t('own.from'), from), count, field(t('own.to'), to), h('div', { class: 'actions' }, button), msg);
  const el = h('section', { class: 'workspace', 'aria-labelledby': 'ho-h' },
    h('h1', { id: 'ho-h' }, t('own.handoverTitle')), h('p', { class: 'hint' }, t('own.handoverHint')), form);
  return { el };
}
