// A person's 360° record for the central team (docs/WORKSPACE.md, "The 360° record"): her
// profile with every field editable, her handles and other sets, her owner, status and
// warnings, the whole timeline across departments, stores and regions with filters, check-ins,
// open follow-ups, and the sections the collaborations, content, tracked links, vetting and
// consent fill, and her privacy record (person-privacy.js). Read from the server (the card, GET /api/v1/influencers/<id>, and the REST lists
// paged through to the end); every write is a PATCH or a sets request through the REST API,
// i.e. operations through the hub, merged and synced like any other.
//
// A refused value is shown beside its field (the server's message names it: "email: …") and
// nothing is stored: the server applies a request's operations all or none.
import { h, fill, field, select, uid } from '../common/dom.js';
import { t, label, formatNumber, formatDate, formatDateTime } from '../common/i18n.js';
import { CHOICES } from '../common/choices.js';
import { refs } from './refs.js';
import { drawPrivacy } from './person-privacy.js';

const TEXTS = [['name', 'text', 200], ['email', 'email', 254], ['phone', 'tel', 64], ['country', 'text', 2]];
const ENUMS = [['tier', 'tier'], ['status', 'status'], ['consent', 'consent'], ['consent_basis', 'basis'], ['vetting', 'vetting']];
const LONGS = [['notes', 4000], ['vetting_notes', 2000]];
const REFS = [['owner', 'staff'], ['region', 'regions'], ['store', 'stores'], ['brand', 'brands']];
const TAG_SETS = ['topics', 'languages', 'tags'];
const LIST_PAGE = 500;
const LIST_CAP = 20000; // entries read for one list at most (a person's whole history fits)

const enc = encodeURIComponent;

// The field a refusal is about: the server's `field`, else the first of `names` its message
// names as "<field>: …" (the core's validation detail, after the code's sentence).
export function refusedField(r, names) {
  if (r && r.field) return r.field;
  const message = (r && r.message) || '';
  const found = names.map((n) => [n, message.search(new RegExp(`(^|[\\s.:])${n}: `))]).filter(([, at]) => at >= 0)
    .sort((a, b) => a[1] - b[1]);
  return found.length ? found[0][0] : null;
}

// Every item of a REST list, page after page (newest first by id), up to LIST_CAP.
async function listAll(app, path) {
  const items = [];
  let offset = 0;
  while (offset !== null && items.length < LIST_CAP) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await app.call('api', { path: `${path}${sep}limit=${LIST_PAGE}&offset=${offset}` });
    if (!r.ok) return r;
    items.push(...r.value.body.items);
    offset = r.value.body.next_offset;
  }
  return { ok: true, value: items, truncated: offset !== null };
}

function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

export function personView(app, route) {
  const id = route.id || '';
  const base = `/api/v1/influencers/${enc(id)}`;
  const names = {}; // id -> name of staff, regions, stores, brands
  let card = null;
  let editing = false; // the profile has unsaved input: a refresh (a sync, another tab) keeps it

  const title = h('h1', { id: 'person-h', 'data-testid': 'person-name' }, '…');
  const errorBox = h('div', { class: 'error', role: 'alert', hidden: true });
  const badges = h('div', { class: 'person-badges' });
  const profile = h('section', { 'aria-labelledby': 'pp-h', 'data-testid': 'person-profile' });
  const handles = h('section', { 'aria-labelledby': 'ph-h', 'data-testid': 'person-handles' });
  const sets = h('section', { 'aria-labelledby': 'ps-h', 'data-testid': 'person-sets' });
  const followUps = h('section', { 'aria-labelledby': 'pf-h', 'data-testid': 'person-follow-ups' });
  const timeline = h('section', { 'aria-labelledby': 'pt-h', 'data-testid': 'person-timeline' });
  const checkins = h('section', { 'aria-labelledby': 'pc-h', 'data-testid': 'person-checkins' });
  const vetting = h('section', { 'aria-labelledby': 'pv-h', 'data-testid': 'person-vetting' });
  const privacy = h('section', { 'aria-labelledby': 'pg-h', 'data-testid': 'person-privacy' });
  const privacySaved = h('p', { 'aria-live': 'polite', 'data-testid': 'privacy-saved' });
  const more = h('section', { 'aria-labelledby': 'pm-h', 'data-testid': 'person-more' });

  const savedMsg = h('p', { 'aria-live': 'polite', 'data-testid': 'person-saved' });

  function nameOf(ref) { return ref ? names[ref] || ref : ''; }
  function showError(r) {
    errorBox.hidden = false;
    errorBox.textContent = r.code === 'offline' ? t('ws.offline') : app.errorText(r);
  }

  // `quietly`: a refresh from outside (a sync's page, another tab) leaves the profile, handle,
  // set or privacy form the person is in as it is, with what she typed; her own changes redraw
  // everything.
  async function load(quietly = false) {
    const r = await app.call('api', { path: base });
    if (!r.ok) { showError(r); title.textContent = t('person.notFound'); return; }
    errorBox.hidden = true;
    card = r.value.body;
    if (card.influencer.id !== id) { app.navigate(`/central/person/${enc(card.influencer.id)}`); return; }
    title.textContent = card.influencer.name;
    drawBadges();
    // The profile is kept while she is in one of its fields, typed in or not: a redraw between
    // her click and her first key would take the field from under her.
    const inUse = (box) => quietly && box.contains(document.activeElement);
    if (!editing && !inUse(profile)) drawProfile();
    if (!inUse(handles)) drawHandles();
    if (!inUse(sets)) drawSets();
    drawFollowUps();
    drawVetting();
    if (!inUse(privacy)) drawPrivacy(app, privacy, card.influencer, privacySaved, () => load());
  }

  function drawBadges() {
    const p = card.influencer;
    const params = { n: card.contacts_recent, days: card.contact_window_days, cap: card.contact_cap };
    fill(badges,
      h('p', {},
        p.status ? h('span', { class: 'badge', 'data-testid': 'person-status' }, label('status', p.status)) : null, ' ',
        p.tier ? h('span', { class: 'badge' }, label('tier', p.tier)) : null, ' ',
        t('person.lastContact'), ' ', card.last_contact ? formatDate(card.last_contact.at) : t('dir.never')),
      card.warnings.length ? h('ul', { class: 'warnings', 'aria-label': t('card.warnings') },
        card.warnings.map((w) => h('li', { class: ['do_not_contact', 'active_paid_collaboration', 'objection', 'restricted'].includes(w) ? 'bad' : 'warn', 'data-warning': w }, t(`warn.${w}`, params)))) : null,
      h('p', { class: 'actions' },
        h('a', { href: `#/card/${enc(id)}/history`, 'data-testid': 'person-history' }, t('person.history')), ' ',
        h('a', { href: `#/card/${enc(id)}` }, t('person.storeCard'))));
  }

  // ---- Profile: every field, saved together; only what changed is sent ----
  function drawProfile() {
    const p = card.influencer;
    const controls = {};
    // "Profile saved." stays until she edits again: a redraw by a sync must not take it away.
    const edited = () => { editing = true; savedMsg.textContent = ''; };
    const form = h('form', { class: 'person-form', novalidate: true, oninput: edited, onchange: edited,
      onsubmit: (e) => { e.preventDefault(); save(); } });
    const msg = savedMsg;
    const wrap = (name, control) => {
      control.dataset.field = name;
      controls[name] = control;
      return field(t(`person.f.${name}`), control);
    };
    const texts = TEXTS.map(([name, type, max]) => wrap(name, h('input', { type, value: p[name] || '', maxlength: max, autocomplete: 'off' })));
    const enums = ENUMS.map(([name, prefix]) => wrap(name, select(CHOICES[`influencer.${name}`], (v) => label(prefix, v), p[name] || '', '—')));
    const longs = LONGS.map(([name, max]) => wrap(name, h('textarea', { rows: 3, maxlength: max }, p[name] || '')));
    const refSelects = REFS.map(([name, collection]) => {
      const sel = h('select', {}, h('option', { value: '' }, '—'));
      if (p[name]) sel.append(h('option', { value: p[name], selected: true }, nameOf(p[name])));
      refs(app, collection).then((r) => {
        if (!r.ok) return;
        const keep = sel.value;
        fill(sel, h('option', { value: '' }, '—'));
        for (const item of r.value) {
          names[item.id] = item.name;
          sel.append(h('option', { value: item.id }, item.name || item.id));
        }
        // A value the list does not hold stays chosen: a save must not clear it.
        if (keep && !r.value.some((item) => item.id === keep)) sel.append(h('option', { value: keep }, nameOf(keep)));
        sel.value = keep;
      });
      return wrap(name, sel);
    });

    async function save() {
      for (const e of form.querySelectorAll('.field-error')) e.remove();
      for (const c of Object.values(controls)) c.removeAttribute('aria-invalid');
      const patch = {};
      for (const [name, c] of Object.entries(controls)) {
        const now = c.value.trim();
        const was = p[name] == null ? '' : String(p[name]);
        if (now !== was) patch[name] = now === '' ? null : now;
      }
      if (!Object.keys(patch).length) { msg.textContent = t('person.unchanged'); return; }
      const r = await app.call('api', { method: 'PATCH', path: base, body: patch });
      if (!r.ok) {
        const name = refusedField(r, Object.keys(controls));
        const control = name && controls[name];
        const text = app.errorText(r);
        if (control) {
          const errId = uid('err');
          control.setAttribute('aria-invalid', 'true');
          control.setAttribute('aria-describedby', errId);
          control.closest('.field').append(h('p', { class: 'field-error error', role: 'alert', id: errId, 'data-testid': `error-${name}` }, text));
          control.focus();
        } else {
          msg.textContent = text;
        }
        return;
      }
      editing = false;
      await load();
      savedMsg.textContent = t('person.saved'); // after the redraw: the form shows what is stored
    }

    fill(profile, h('h2', { id: 'pp-h' }, t('person.profile')),
      fill(form, h('div', { class: 'person-grid' }, texts, enums, refSelects), longs,
        h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-testid': 'person-save' }, t('person.save')), msg)));
  }

  // ---- Sets: one request per change ({"add","remove"}) ----
  async function changeSet(set, add, remove, msgEl) {
    const r = await app.call('api', { method: 'POST', path: `${base}/sets/${set}`, body: { add, remove } });
    if (!r.ok) { msgEl.textContent = app.errorText(r); msgEl.setAttribute('role', 'alert'); return false; }
    await load();
    return true;
  }

  function drawHandles() {
    const list = card.influencer.handles || [];
    const msg = h('p', { class: 'error', 'aria-live': 'assertive', 'data-testid': 'handle-error' });
    const platform = select(CHOICES['content.platform'], (v) => v, 'instagram');
    const name = h('input', { type: 'text', maxlength: 100, autocomplete: 'off', 'data-testid': 'handle-name' });
    const audience = h('input', { type: 'number', min: 0, value: '0', 'data-testid': 'handle-audience' });
    let editing = null; // the handle being replaced
    const submit = h('button', { type: 'submit', 'data-testid': 'handle-add' }, t('person.handleAdd'));
    const form = h('form', { class: 'inline-form', onsubmit: async (e) => {
      e.preventDefault();
      msg.textContent = '';
      const value = `${platform.value}:${name.value.trim().replace(/^@/, '')}:${Math.max(0, Number(audience.value) || 0)}`;
      if (!name.value.trim()) { msg.textContent = t('person.handleMissing'); name.focus(); return; }
      await changeSet('handles', [value], editing ? [editing] : [], msg);
    } }, field(t('person.platform'), platform), field(t('person.handle'), name), field(t('person.audience'), audience), submit);
    const rows = list.map((hd) => {
      const [pl, nm, au] = hd.split(':');
      return h('tr', { 'data-handle': hd },
        h('td', {}, pl), h('td', {}, nm), h('td', { class: 'num' }, formatNumber(Number(au) || 0)),
        h('td', {},
          h('button', { type: 'button', class: 'secondary small', 'aria-label': t('person.handleEditOf', { handle: `${pl}:${nm}` }),
            onclick: () => { editing = hd; platform.value = pl; name.value = nm; audience.value = au; submit.textContent = t('person.handleReplace'); name.focus(); } }, t('person.edit')), ' ',
          h('button', { type: 'button', class: 'secondary small', 'aria-label': t('person.handleRemoveOf', { handle: `${pl}:${nm}` }),
            onclick: () => changeSet('handles', [], [hd], msg) }, t('person.remove'))));
    });
    fill(handles, h('h2', { id: 'ph-h' }, t('person.handles')),
      rows.length ? h('table', { class: 'grid' }, h('caption', { class: 'visually-hidden' }, t('person.handles')),
        h('thead', {}, h('tr', {}, [t('person.platform'), t('person.handle'), t('person.audience'), t('person.actions')].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows)) : h('p', { class: 'hint' }, t('person.noHandles')),
      form, msg);
  }

  function drawSets() {
    const p = card.influencer;
    const msg = h('p', { class: 'error', 'aria-live': 'assertive' });
    const have = new Set(p.roles || []);
    const roles = h('fieldset', { class: 'checks' }, h('legend', {}, t('person.f.roles')),
      CHOICES['influencer.roles'].map((v) => h('label', {}, h('input', {
        type: 'checkbox', checked: have.has(v), value: v,
        onchange: (e) => changeSet('roles', e.target.checked ? [v] : [], e.target.checked ? [] : [v], msg),
      }), label('role', v))));
    const tagLists = TAG_SETS.map((set) => {
      const input = h('input', { type: 'text', maxlength: 64, autocomplete: 'off', 'data-testid': `add-${set}` });
      return h('div', { class: 'tag-set', 'data-set': set },
        h('h3', {}, t(`person.f.${set}`)),
        h('ul', { class: 'chips' }, (p[set] || []).map((v) => h('li', {}, v, ' ',
          h('button', { type: 'button', class: 'secondary small', 'aria-label': t('person.removeOf', { value: v }),
            onclick: () => changeSet(set, [], [v], msg) }, '×')))),
        h('form', { class: 'inline-form', onsubmit: (e) => {
          e.preventDefault();
          const v = input.value.trim();
          if (v) changeSet(set, [v], [], msg);
        } }, field(t('person.addTo', { set: t(`person.f.${set}`) }), input), h('button', { type: 'submit', class: 'secondary' }, t('person.add'))));
    });
    const brandSel = h('select', {}, h('option', { value: '' }, '—'));
    refs(app, 'brands').then((r) => { if (r.ok) for (const b of r.value) { names[b.id] = b.name; brandSel.append(h('option', { value: b.id }, b.name || b.id)); } });
    const brands = h('div', { class: 'tag-set', 'data-set': 'brands' }, h('h3', {}, t('person.f.brands')),
      h('ul', { class: 'chips' }, (p.brands || []).map((b) => h('li', {}, nameOf(b), ' ',
        h('button', { type: 'button', class: 'secondary small', 'aria-label': t('person.removeOf', { value: nameOf(b) }),
          onclick: () => changeSet('brands', [], [b], msg) }, '×')))),
      h('form', { class: 'inline-form', onsubmit: (e) => { e.preventDefault(); if (brandSel.value) changeSet('brands', [brandSel.value], [], msg); } },
        field(t('person.addTo', { set: t('person.f.brands') }), brandSel), h('button', { type: 'submit', class: 'secondary' }, t('person.add'))));
    fill(sets, h('h2', { id: 'ps-h' }, t('person.sets')), roles, tagLists, brands, msg);
  }

  // ---- Open follow-ups (the card's rule), each with "Done" ----
  function drawFollowUps() {
    const items = card.follow_ups || [];
    const msg = h('p', { 'aria-live': 'polite' });
    fill(followUps, h('h2', { id: 'pf-h' }, t('person.followUps')),
      items.length ? h('ul', { class: 'plain' }, items.map(({ entry }) => h('li', { 'data-id': entry.id },
        entry.follow_up_due ? h('strong', {}, formatDate(entry.follow_up_due), ' · ') : null,
        label('dep', entry.department), ' · ', entry.follow_up || t('person.followUpUntitled'), ' ',
        h('button', { type: 'button', class: 'secondary small', 'data-testid': 'follow-up-done',
          onclick: async () => {
            const r = await app.call('api', { method: 'PATCH', path: `/api/v1/interactions/${enc(entry.id)}`, body: { follow_up_done: true } });
            if (!r.ok) { msg.textContent = app.errorText(r); return; }
            msg.textContent = t('person.followUpDone');
            await load();
            loadTimeline();
          } }, t('person.done'))))) : h('p', { class: 'hint' }, t('person.noFollowUps')),
      msg);
  }

  // ---- Timeline: every interaction and check-in, filtered ----
  const tf = { department: '', touchpoint: '', store: '', region: '', from: '', to: '' };
  let entries = null; // [{at, kind, entry}] newest first
  let truncated = false;
  const tlStatus = h('p', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'timeline-count' });
  const tlTable = h('table', { class: 'grid', 'data-testid': 'timeline-table' });
  const tlForm = h('form', { class: 'filters inline-form', 'aria-label': t('person.timelineFilters'), onsubmit: (e) => e.preventDefault() });

  function drawTimelineFilters() {
    const dep = select(CHOICES['interaction.department'], (v) => label('dep', v), tf.department, t('dir.any'));
    const tp = select(CHOICES['interaction.touchpoint'], (v) => label('tp', v), tf.touchpoint, t('dir.any'));
    dep.dataset.filter = 'department';
    tp.dataset.filter = 'touchpoint';
    dep.addEventListener('change', () => { tf.department = dep.value; drawTimeline(); });
    tp.addEventListener('change', () => { tf.touchpoint = tp.value; drawTimeline(); });
    const places = [['store', 'stores'], ['region', 'regions']].map(([name, collection]) => {
      const sel = h('select', { 'data-filter': name }, h('option', { value: '' }, t('dir.any')));
      refs(app, collection).then((r) => { if (r.ok) for (const item of r.value) { names[item.id] = item.name; sel.append(h('option', { value: item.id }, item.name || item.id)); } sel.value = tf[name]; });
      sel.addEventListener('change', () => { tf[name] = sel.value; loadTimeline(); });
      return field(t(`dir.${name}`), sel);
    });
    const dates = [['from', 'person.from'], ['to', 'person.to']].map(([name, key]) => {
      const input = h('input', { type: 'date', value: tf[name], 'data-filter': name });
      input.addEventListener('change', () => { tf[name] = input.value; drawTimeline(); });
      return field(t(key), input);
    });
    fill(tlForm, field(t('field.department'), dep), field(t('field.touchpoint'), tp), places, dates);
  }

  // Store and region narrow on the server (ref filters of the lists); the rest here.
  async function loadTimeline() {
    tlStatus.textContent = t('person.loading');
    tlTable.setAttribute('aria-busy', 'true');
    const q = [`influencer=${enc(id)}`];
    if (tf.store) q.push(`store=${enc(tf.store)}`);
    if (tf.region) q.push(`region=${enc(tf.region)}`);
    const [ints, chk] = await Promise.all([
      listAll(app, `/api/v1/interactions?${q.join('&')}`), listAll(app, `/api/v1/checkins?${q.join('&')}`)]);
    tlTable.removeAttribute('aria-busy');
    if (!ints.ok || !chk.ok) { tlStatus.textContent = app.errorText(ints.ok ? chk : ints); return; }
    truncated = ints.truncated || chk.truncated;
    entries = [...ints.value.map((e) => ({ at: e.at, kind: 'interaction', entry: e })),
      ...chk.value.map((e) => ({ at: e.at, kind: 'checkin', entry: e }))]
      .sort((a, b) => b.at - a.at || (a.entry.id < b.entry.id ? 1 : -1));
    drawTimeline();
    drawCheckins(chk.value);
  }

  function drawTimeline() {
    if (!entries) return;
    const from = tf.from, to = tf.to;
    const shown = entries.filter(({ at, kind, entry }) => {
      if (tf.department && (kind !== 'interaction' || entry.department !== tf.department)) return false;
      if (tf.touchpoint && (kind !== 'interaction' || entry.touchpoint !== tf.touchpoint)) return false;
      const day = isoDay(at);
      return !(from && day < from) && !(to && day > to);
    });
    tlStatus.textContent = t('person.timelineCount', { n: formatNumber(shown.length), total: formatNumber(entries.length) }) +
      (truncated ? ` ${t('person.truncated')}` : '');
    tlStatus.dataset.n = String(shown.length);
    fill(tlTable, h('caption', { class: 'visually-hidden' }, t('person.timeline')),
      h('thead', {}, h('tr', {}, ['when', 'what', 'department', 'place', 'note', 'followUp'].map((c) => h('th', { scope: 'col' }, t(`person.col.${c}`))))),
      h('tbody', {}, shown.map(({ at, kind, entry }) => h('tr', { 'data-id': entry.id, 'data-kind': kind },
        h('td', {}, formatDateTime(at)),
        h('td', {}, kind === 'checkin' ? t('person.checkin') : label('tp', entry.touchpoint)),
        h('td', {}, entry.department ? label('dep', entry.department) : ''),
        h('td', {}, [nameOf(entry.region), nameOf(entry.store)].filter(Boolean).join(' · ')),
        h('td', {}, entry.summary || entry.note || ''),
        h('td', {}, entry.follow_up || entry.follow_up_due ? [
          entry.follow_up_due ? `${formatDate(entry.follow_up_due)} · ` : '', entry.follow_up || '',
          entry.follow_up_done ? [' ', h('span', { class: 'badge' }, t('person.doneBadge'))] : null] : '')))));
  }

  function drawCheckins(list) {
    fill(checkins, h('h2', { id: 'pc-h' }, t('person.checkins')),
      list.length ? h('ul', { class: 'plain' }, list.map((c) => h('li', { 'data-id': c.id },
        formatDateTime(c.at), ' · ', h('a', { href: `#/event/${enc(c.event)}` }, t('person.event')),
        c.walk_in ? [' ', h('span', { class: 'badge' }, t('person.walkIn'))] : null))) : h('p', { class: 'hint' }, t('person.none')));
  }

  // ---- Vetting and consent (the compliance issue fills this in) ----
  function drawVetting() {
    const p = card.influencer;
    const row = (k, v) => [h('dt', {}, t(`person.f.${k}`)), h('dd', { 'data-field': k }, v || '—')];
    fill(vetting, h('h2', { id: 'pv-h' }, t('person.vettingConsent')),
      h('dl', { class: 'facts' },
        row('consent', label('consent', p.consent || 'unknown')),
        row('consent_basis', p.consent_basis ? label('basis', p.consent_basis) : ''),
        row('vetting', p.vetting ? label('vetting', p.vetting) : ''),
        row('vetting_notes', p.vetting_notes || '')));
  }

  // ---- Collaborations, content, tracked links: what exists (made in the programmes room) ----
  async function loadMore() {
    const kinds = [
      // A collaboration opens its page in the programmes room (its pipeline, posts and link).
      ['collaborations', (c) => h('a', { href: `#/central/collaboration/${enc(c.id)}` },
        label('ctype', c.type), c.status ? ` · ${label('cstatus', c.status)}` : '', c.starts ? ` · ${formatDate(c.starts)}` : '')],
      ['content', (c) => [c.platform, ' · ', c.url, c.published_at ? ` · ${formatDate(c.published_at)}` : '']],
      ['tracked-links', (c) => [c.code, ' → ', c.target]],
    ];
    const parts = await Promise.all(kinds.map(async ([collection, text]) => {
      const r = await listAll(app, `/api/v1/${collection}?influencer=${enc(id)}`);
      const body = !r.ok ? h('p', { class: 'error' }, app.errorText(r))
        : r.value.length ? h('ul', { class: 'plain' }, r.value.map((c) => h('li', { 'data-id': c.id }, text(c))))
          : h('p', { class: 'hint' }, t('person.none'));
      return h('div', { 'data-collection': collection }, h('h3', {}, t(`person.${collection}`)), body);
    }));
    fill(more, h('h2', { id: 'pm-h' }, t('person.more')), parts);
  }

  fill(checkins, h('h2', { id: 'pc-h' }, t('person.checkins')), h('p', { class: 'hint' }, t('person.loading')));
  fill(more, h('h2', { id: 'pm-h' }, t('person.more')), h('p', { class: 'hint' }, t('person.loading')));
  drawTimelineFilters();
  fill(timeline, h('h2', { id: 'pt-h' }, t('person.timeline')), tlForm, tlStatus, h('div', { class: 'table-scroll' }, tlTable));
  load();
  loadTimeline();
  loadMore();

  const el = h('section', { class: 'workspace person', 'aria-labelledby': 'person-h' },
    h('p', {}, h('a', { href: '#/central' }, t('person.back'))),
    title, errorBox, badges,
    h('div', { class: 'person-columns' },
      h('div', {}, profile, handles, sets),
      h('aside', {}, followUps, vetting)),
    privacy, timeline, checkins, more);
  return { el, refresh: () => { load(true); loadTimeline(); } };
}
