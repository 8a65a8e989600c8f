// The workspace's events (docs/WORKSPACE.md, "Events"): the agenda with each event's counts
// (GET /api/v1/agenda), a form to create one, and an event's page — its form to edit it, its
// counts against the capacity and its guest list (GET /api/v1/events/<id>/guests), each
// guest's answer recorded as an edit of her invitation, and people invited by name. The page
// asks the server again every LIVE_MS while it is open, so check-ins made at the door on the
// tablets appear once those have synced.
import { h, fill, field, uid } from '../common/dom.js';
import { t, label, formatNumber, formatDateTime } from '../common/i18n.js';
import { refs } from './refs.js';
import { refusedField } from './view-person.js';

const enc = encodeURIComponent;
const PAGE = 50;
const LIVE_MS = 5000;
const ANSWERS = ['invited', 'accepted', 'declined', 'cancelled'];
const FIELDS = ['name', 'starts', 'ends', 'venue', 'store', 'region', 'capacity'];

const day = (d) => d.toISOString().slice(0, 10);
// <input type=datetime-local> speaks local time without a zone.
const toLocalInput = (ms) => (ms == null ? '' : new Date(ms - new Date(ms).getTimezoneOffset() * 60000).toISOString().slice(0, 16));
const fromLocalInput = (v) => (v ? new Date(v).getTime() : null);

function offlineOr(app, r) { return r.code === 'offline' ? t('ws.offline') : app.errorText(r); }

// The event's form: a new event (`event` null) or an existing one, saved as a create or as a
// PATCH of what changed. A refused value is shown beside its field.
function eventForm(app, event, onSaved) {
  const c = {
    name: h('input', { required: true, maxlength: 200, value: event ? event.name || '' : '' }),
    starts: h('input', { type: 'datetime-local', required: true, value: toLocalInput(event && event.starts) }),
    ends: h('input', { type: 'datetime-local', value: toLocalInput(event && event.ends) }),
    venue: h('input', { maxlength: 200, value: event ? event.venue || '' : '' }),
    store: h('select', {}, h('option', { value: '' }, '—')),
    region: h('select', {}, h('option', { value: '' }, '—')),
    capacity: h('input', { type: 'number', min: 0, max: 1000000, inputmode: 'numeric', value: event && event.capacity != null ? String(event.capacity) : '' }),
  };
  for (const [name, collection] of [['store', 'stores'], ['region', 'regions']]) {
    refs(app, collection).then((r) => {
      if (!r.ok) return;
      for (const item of r.value) c[name].append(h('option', { value: item.id }, item.name || item.id));
      c[name].value = (event && event[name]) || '';
    });
  }
  for (const [name, control] of Object.entries(c)) control.dataset.field = name;
  const msg = h('p', { 'aria-live': 'polite', 'data-testid': 'event-form-status' });
  const value = (name) => {
    const v = c[name].value.trim();
    if (name === 'starts' || name === 'ends') return fromLocalInput(v);
    if (name === 'capacity') return v === '' ? null : Number(v);
    return v === '' ? null : v;
  };
  async function save(e) {
    e.preventDefault();
    for (const el of form.querySelectorAll('.field-error')) el.remove();
    for (const control of Object.values(c)) control.removeAttribute('aria-invalid');
    const body = {};
    for (const name of FIELDS) {
      const now = value(name);
      if (event ? now !== (event[name] ?? null) : now !== null) body[name] = now;
    }
    // An event in a store is in that store's region.
    if (body.store && !value('region')) {
      const stores = await refs(app, 'stores');
      const st = stores.ok && stores.value.find((s) => s.id === body.store);
      if (st && st.region) body.region = st.region;
    }
    if (!Object.keys(body).length) { msg.textContent = t('ev.unchanged'); return; }
    const r = await app.call('api', event
      ? { method: 'PATCH', path: `/api/v1/events/${enc(event.id)}`, body }
      : { method: 'POST', path: '/api/v1/events', body });
    if (!r.ok) {
      const name = refusedField(r, FIELDS);
      if (name && c[name]) {
        const errId = uid('err');
        c[name].setAttribute('aria-invalid', 'true');
        c[name].setAttribute('aria-describedby', errId);
        c[name].closest('.field').append(h('p', { class: 'field-error error', role: 'alert', id: errId, 'data-testid': `error-${name}` }, app.errorText(r)));
        c[name].focus();
      } else {
        msg.textContent = offlineOr(app, r);
      }
      return;
    }
    msg.textContent = t('ev.saved');
    onSaved(event ? event.id : r.value.body.id);
  }
  // novalidate: the server's refusal is shown beside its field, in the app's language.
  const form = h('form', { class: 'ws-form', novalidate: true, 'data-testid': 'event-form', onsubmit: save },
    FIELDS.map((name) => field(t(`ev.f.${name}`), c[name])),
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-testid': 'event-save' }, t(event ? 'ev.save' : 'ev.create'))), msg);
  return form;
}

// The agenda: upcoming events first (or past ones, or all), with their counts.
export function eventsView(app) {
  const state = { when: 'upcoming', offset: 0, names: {} };
  const status = h('p', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'ev-count' });
  const errorBox = h('div', { class: 'error', role: 'alert', hidden: true });
  const table = h('table', { class: 'grid', 'data-testid': 'ev-table' });
  const pager = h('div', { class: 'actions pager' });
  const whenSel = h('select', { 'data-testid': 'ev-when', onchange: () => { state.when = whenSel.value; state.offset = 0; load(); } },
    ['upcoming', 'past', 'all'].map((w) => h('option', { value: w }, t(`ev.when.${w}`))));
  const newBox = h('div', { hidden: true, 'data-testid': 'ev-new' });
  const newButton = h('button', { type: 'button', 'data-testid': 'ev-new-open', onclick: () => {
    newBox.hidden = !newBox.hidden;
    if (!newBox.hidden) {
      fill(newBox, h('h2', {}, t('ev.new')), eventForm(app, null, (id) => app.navigate(`/central/event/${id}`)));
      newBox.querySelector('input').focus();
    }
  } }, t('ev.new'));
  for (const collection of ['stores', 'regions']) {
    refs(app, collection).then((r) => { if (r.ok) { for (const x of r.value) state.names[x.id] = x.name; draw(); } });
  }
  let page = null;
  let seq = 0;
  async function load() {
    const mine = ++seq;
    const today = day(new Date());
    const yesterday = day(new Date(Date.now() - 86400000));
    const range = state.when === 'upcoming' ? `&from=${today}&order=soonest` : state.when === 'past' ? `&to=${yesterday}` : '';
    const r = await app.call('api', { path: `/api/v1/agenda?limit=${PAGE}&offset=${state.offset}${range}` });
    if (mine !== seq) return;
    if (!r.ok) { errorBox.hidden = false; errorBox.textContent = offlineOr(app, r); return; }
    errorBox.hidden = true;
    page = r.value.body;
    draw();
  }
  function draw() {
    if (!page) return;
    status.textContent = page.total ? t('ev.count', { n: formatNumber(page.total) }) : t('ev.none');
    status.dataset.total = String(page.total);
    const head = h('tr', {}, ['when', 'name', 'place', 'capacity', 'invited', 'accepted', 'checkedIn'].map((k) => h('th', { scope: 'col' }, t(`ev.col.${k}`))));
    const rows = page.items.map(({ event: e, counts }) => h('tr', { 'data-id': e.id },
      h('td', {}, formatDateTime(e.starts)),
      h('td', {}, h('a', { href: `#/central/event/${e.id}` }, e.name)),
      h('td', {}, state.names[e.store] || state.names[e.region] || '—'),
      h('td', { class: 'num' }, e.capacity == null ? '—' : formatNumber(e.capacity)),
      h('td', { class: 'num' }, formatNumber(counts.invited)),
      h('td', { class: 'num' }, formatNumber(counts.accepted)),
      h('td', { class: 'num', 'data-testid': 'ev-checked-in' }, formatNumber(counts.checked_in))));
    fill(table, h('thead', {}, head), h('tbody', {}, rows));
    fill(pager,
      state.offset > 0 ? h('button', { type: 'button', class: 'secondary', onclick: () => { state.offset = Math.max(0, state.offset - PAGE); load(); } }, t('dir.prev')) : null,
      page.next_offset != null ? h('button', { type: 'button', class: 'secondary', onclick: () => { state.offset = page.next_offset; load(); } }, t('dir.next')) : null);
  }
  load();
  const el = h('section', { class: 'workspace', 'aria-labelledby': 'ev-h' },
    h('h1', { id: 'ev-h' }, t('ev.title')),
    h('div', { class: 'actions' }, field(t('ev.when'), whenSel), newButton), newBox, status, errorBox,
    h('div', { class: 'table-scroll' }, table), pager);
  return { el, refresh: () => {} };
}

// One event: its form, its counts against the capacity, its guests, and invitations by name.
export function eventView(app, route) {
  const id = route.id;
  const base = `/api/v1/events/${enc(id)}`;
  let data = null;
  let editing = false;
  let seq = 0;
  let timer = null;
  const title = h('h1', { id: 'evp-h' }, t('ev.title'));
  const formBox = h('section', { 'aria-label': t('ev.edit') });
  const countsBox = h('section', { 'aria-label': t('ev.counts'), 'aria-live': 'polite', 'data-testid': 'ev-counts' });
  const errorBox = h('div', { class: 'error', role: 'alert', hidden: true });
  const guestsTable = h('table', { class: 'grid', 'data-testid': 'ev-guests' });
  const inviteBox = h('section', { 'aria-labelledby': 'evi-h', 'data-testid': 'ev-invite' });

  async function load() {
    const mine = ++seq;
    const r = await app.call('api', { path: `${base}/guests` });
    if (mine !== seq) return;
    if (!r.ok) { errorBox.hidden = false; errorBox.textContent = offlineOr(app, r); return; }
    errorBox.hidden = true;
    data = r.value.body;
    draw();
  }
  function drawForm() {
    fill(formBox, editing
      ? eventForm(app, data.event, () => { editing = false; load(); })
      : h('div', { class: 'actions' }, h('p', {}, formatDateTime(data.event.starts), data.event.venue ? ` · ${data.event.venue}` : ''),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'ev-edit', onclick: () => { editing = true; drawForm(); } }, t('ev.edit'))));
  }
  function draw() {
    const c = data.counts;
    title.textContent = data.event.name;
    if (!formBox.contains(document.activeElement)) drawForm();
    const over = c.capacity != null && (c.expected > c.capacity || c.checked_in > c.capacity);
    countsBox.dataset.checkedIn = String(c.checked_in);
    countsBox.dataset.invited = String(c.invited);
    fill(countsBox,
      h('p', { class: 'ev-counts' },
        t('ev.countsLine', {
          checkedIn: formatNumber(c.checked_in), expected: formatNumber(c.expected),
          capacity: c.capacity == null ? '—' : formatNumber(c.capacity), invited: formatNumber(c.invited),
          accepted: formatNumber(c.accepted), declined: formatNumber(c.declined), uninvited: formatNumber(c.uninvited),
        })),
      over ? h('p', { class: 'notice', role: 'status', 'data-testid': 'ev-over' }, t('ev.over', { capacity: formatNumber(c.capacity) })) : null);
    const head = h('tr', {}, ['guest', 'answer', 'plusOnes', 'checkedInAt'].map((k) => h('th', { scope: 'col' }, t(`ev.col.${k}`))));
    const rows = data.items.map((g) => {
      const answer = g.invitation
        ? h('select', { 'aria-label': t('ev.answerOf', { name: g.name || g.influencer }), 'data-testid': 'ev-answer', onchange: (e) => answerOf(g, e.target) },
          ANSWERS.map((a) => h('option', { value: a, selected: a === g.status }, label('ev.answer', a))))
        : h('span', {}, t(g.walk_in ? 'ev.walkIn' : 'ev.notInvited'));
      return h('tr', { 'data-id': g.influencer },
        h('td', {}, h('a', { href: `#/central/person/${g.influencer}` }, g.name || g.influencer)),
        h('td', {}, answer),
        h('td', { class: 'num' }, g.invitation ? formatNumber(g.plus_ones) : '—'),
        h('td', { 'data-testid': 'ev-checked-in-at' }, g.checked_in_at ? formatDateTime(g.checked_in_at) : '—'));
    });
    if (!guestsTable.contains(document.activeElement))
      fill(guestsTable, h('caption', {}, t('ev.guests', { n: formatNumber(data.total) })), h('thead', {}, head), h('tbody', {}, rows));
  }
  async function answerOf(g, sel) {
    sel.disabled = true;
    const r = await app.call('api', { method: 'PATCH', path: `/api/v1/invitations/${enc(g.invitation)}`, body: { status: sel.value } });
    sel.disabled = false;
    if (!r.ok) { sel.value = g.status; app.toast(app.errorText(r)); return; }
    app.toast(t('ev.answered', { name: g.name, answer: label('ev.answer', sel.value) }));
    sel.blur();
    load();
  }

  // ---- Invite by name: the directory's search, one click per person ----
  const q = h('input', { type: 'search', 'data-testid': 'ev-invite-q', autocomplete: 'off' });
  const hits = h('ul', { class: 'results', 'data-testid': 'ev-invite-hits' });
  const inviteMsg = h('p', { 'aria-live': 'polite', 'data-testid': 'ev-invite-status' });
  let qseq = 0;
  async function search() {
    const mine = ++qseq;
    const text = q.value.trim();
    if (text.length < 2) { fill(hits); return; }
    const r = await app.call('api', { path: `/api/v1/directory?q=${enc(text)}&limit=10` });
    if (mine !== qseq) return;
    if (!r.ok) { inviteMsg.textContent = offlineOr(app, r); return; }
    fill(hits, r.value.body.items.map((p) => h('li', {}, h('button', { type: 'button', class: 'linkish', onclick: () => invite([p.id], p.name) }, t('ev.inviteOne', { name: p.name })))));
  }
  async function invite(ids, name) {
    const r = await app.call('api', { method: 'POST', path: `${base}/invitations`, body: { influencers: ids } });
    if (!r.ok) { inviteMsg.textContent = app.errorText(r); return; }
    inviteMsg.textContent = r.value.body.invited ? t('ev.invitedOne', { name }) : t('ev.alreadyOne', { name });
    load();
  }
  let debounce = null;
  q.addEventListener('input', () => { clearTimeout(debounce); debounce = setTimeout(search, 250); });
  fill(inviteBox, h('h2', { id: 'evi-h' }, t('ev.invite')), field(t('ev.inviteQ'), q), hits, inviteMsg);

  load();
  timer = setInterval(() => { if (!document.hidden) load(); }, LIVE_MS);
  const el = h('section', { class: 'workspace', 'aria-labelledby': 'evp-h' },
    h('p', {}, h('a', { href: '#/central/events' }, t('ev.back'))), title, errorBox, formBox, countsBox,
    inviteBox, h('div', { class: 'table-scroll' }, guestsTable));
  return { el, refresh: () => load(), dispose: () => clearInterval(timer) };
}

// The directory's bulk action: the selected people invited to one upcoming event.
export function inviteControl(app, selected, done) {
  const sel = h('select', { 'data-testid': 'dir-event' }, h('option', { value: '' }, '—'));
  sel.id = uid('event');
  app.call('api', { path: `/api/v1/agenda?from=${day(new Date())}&order=soonest&limit=100` }).then((r) => {
    if (!r.ok) return;
    for (const { event: e } of r.value.body.items)
      sel.append(h('option', { value: e.id }, `${e.name} — ${formatDateTime(e.starts)}`));
  });
  const msg = h('p', { 'aria-live': 'polite', 'data-testid': 'dir-invite-status' });
  async function go() {
    if (!sel.value) { msg.textContent = t('ev.pickEvent'); sel.focus(); return; }
    const ids = [...selected()];
    let invited = 0, already = 0;
    for (let i = 0; i < ids.length; i += 500) {
      msg.textContent = t('ev.inviting', { done: i, n: ids.length });
      const r = await app.call('api', { method: 'POST', path: `/api/v1/events/${enc(sel.value)}/invitations`, body: { influencers: ids.slice(i, i + 500) } });
      if (!r.ok) { msg.textContent = app.errorText(r); return; }
      invited += r.value.body.invited;
      already += r.value.body.already;
    }
    msg.textContent = t('ev.invitedMany', { n: formatNumber(invited), already: formatNumber(already) });
    msg.dataset.invited = String(invited);
    done();
  }
  return h('div', { class: 'actions' }, h('label', { for: sel.id }, t('ev.inviteTo')), sel,
    h('button', { type: 'button', 'data-testid': 'dir-invite', onclick: go }, t('ev.inviteSelected')), msg);
}
