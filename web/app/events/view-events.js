// Event mode: pick an event, then check guests in by search, register walk-ins, watch the
// count, and undo a mistaken check-in (after saying yes to "Undo the check-in of …?": at a busy
// door a tap meant for the next row must not take someone's arrival away).
//
// A check-in belongs to the event's place, its guest to wherever they were registered: a
// guest of another store, region or brand is counted here, but this device does not hold their
// record (it is outside the device's scope), so they show as "registered elsewhere", unnamed.
import { h, fill, field, debounce, uid } from '../common/dom.js';
import { t, formatDateTime, formatTime, formatNumber } from '../common/i18n.js';
import { personSummary, liveSearch } from '../common/people.js';
import { personForm } from '../common/person-form.js';

export function eventsView(app) {
  const list = h('ul', { class: 'results', 'data-testid': 'events' });
  async function load() {
    const r = await app.call('events');
    if (!r.ok) { fill(list, h('li', { class: 'error' }, app.errorText(r))); return; }
    if (!r.value.length) { fill(list, h('li', { class: 'empty' }, t('events.none'))); return; }
    fill(list, r.value.map((e) => h('li', {}, h('a', { class: 'item', href: `#/event/${encodeURIComponent(e.id)}` },
      h('span', { class: 'name' }, e.name),
      h('span', { class: 'meta' }, [e.starts ? formatDateTime(e.starts) : null, e.venue].filter(Boolean).join(' · ')),
      h('span', { class: 'badge push' }, t('events.checked', { n: formatNumber(e.checked_in || 0) }))))));
  }
  load();
  const el = h('section', { 'aria-labelledby': 'events-h' }, h('h1', { id: 'events-h' }, t('events.title')), list);
  return { el, refresh: load };
}

export function eventView(app, route) {
  const id = route.id;
  let event = null;
  let checkedIn = new Map();  // influencer id -> check-in entry
  const title = h('h1', { id: 'event-h' }, '…');
  const when = h('p', { class: 'meta' });
  const count = h('div', { class: 'count', 'data-testid': 'checkin-count', 'aria-live': 'polite' }, '0');
  const recent = h('ul', { class: 'results', 'data-testid': 'checkins', 'aria-label': t('event.recent') });
  const elsewhere = h('p', { class: 'hint', 'data-testid': 'unknown-guests' });
  const found = h('ul', { class: 'results', 'data-testid': 'guest-results' });
  const info = h('p', { class: 'empty', 'aria-live': 'polite' });
  const q = h('input', { type: 'search', name: 'guest', autocomplete: 'off' });
  let lastResults = null;
  let asking = null;  // the check-in whose Undo awaits a yes

  async function loadEvent() {
    const r = await app.call('events');
    if (!r.ok) { title.textContent = app.errorText(r); return; }
    event = r.value.find((e) => e.id === id) || null;
    title.textContent = event ? event.name : t('err.not_found');
    when.textContent = event ? [event.starts ? formatDateTime(event.starts) : null, event.venue].filter(Boolean).join(' · ') : '';
  }

  async function loadCheckins() {
    const r = await app.call('checkins', { event: id });
    if (!r.ok) { fill(recent, h('li', { class: 'error' }, app.errorText(r))); return; }
    const { count: n, entries } = r.value;
    count.textContent = formatNumber(n);
    count.dataset.count = String(n);
    checkedIn = new Map(entries.map((e) => [e.influencer && e.influencer.id, e]));
    if (!entries.length) fill(recent, h('li', { class: 'empty' }, t('event.none')));
    else fill(recent, entries.map(arrival));
    const unnamed = entries.filter((e) => !(e.influencer && e.influencer.name)).length;
    elsewhere.textContent = unnamed ? t('event.unknownHint', { n: unnamed === 1 ? 1 : formatNumber(unnamed) }) : '';
    elsewhere.hidden = !unnamed;
    if (lastResults) showResults(lastResults.r, lastResults.text);
  }

  async function checkIn(influencer, name, walkIn) {
    const args = { event: id, influencer };
    if (walkIn) args.walk_in = true;
    const r = await app.call('checkIn', args);
    if (!r.ok) { app.toast(app.errorText(r)); return false; }
    app.toast(t('event.done', { name }));
    await loadCheckins();
    return true;
  }

  // One arrival: name (or "registered elsewhere"), time, and Undo, which asks first in place.
  // The question survives the list being redrawn (a sync landing meanwhile).
  function arrival(e) {
    const who = (e.influencer && e.influencer.name) || t('event.unknownGuest');
    const row = h('div', { class: 'item', 'data-checkin': e.id });
    const show = () => fill(row,
      h('span', { class: e.influencer && e.influencer.name ? 'name' : 'meta' }, who),
      e.walk_in ? h('span', { class: 'badge warn' }, t('event.walkinBadge')) : null,
      h('span', { class: 'meta' }, formatTime(e.at)),
      h('button', { type: 'button', class: 'danger push', 'aria-label': t('event.undoLabel', { name: who }), onclick: () => { asking = e.id; ask(); keep().focus(); } }, t('event.undo')));
    const keep = () => row.querySelector('[data-keep]');
    const qid = uid('ask');  // the question, read with the button that gets the focus
    const ask = () => fill(row, h('span', { class: 'name', id: qid }, t('event.undoAsk', { name: who })),
      h('span', { class: 'push actions', 'aria-describedby': qid },
        h('button', { type: 'button', class: 'danger', 'aria-label': t('event.undoYesLabel', { name: who }), onclick: () => { asking = null; undo(e); } }, t('event.undoYes')),
        h('button', { type: 'button', class: 'secondary', 'data-keep': '1', 'aria-describedby': qid, onclick: () => { asking = null; show(); row.querySelector('button').focus(); } }, t('event.undoKeep'))));
    if (asking === e.id) ask(); else show();
    return h('li', {}, row);
  }

  async function undo(entry) {
    const r = await app.call('undoCheckIn', { id: entry.id });
    app.toast(r.ok ? t('event.undone') : app.errorText(r));
    await loadCheckins();
  }

  function showResults(r, text) {
    lastResults = r ? { r, text } : null;
    found.dataset.query = text;
    if (r === null) { fill(found); info.textContent = ''; return; }
    if (!r.ok) { fill(found); info.textContent = app.errorText(r); return; }
    info.textContent = r.value.length ? '' : t('search.none', { q: text });
    fill(found, r.value.map((p) => {
      const already = checkedIn.has(p.id);
      return h('li', {}, h('div', { class: 'item' }, personSummary(p),
        already ? h('span', { class: 'badge push' }, t('event.already'))
          : h('button', { type: 'button', class: 'push', 'aria-label': `${t('event.checkin')}: ${p.name}`, onclick: async () => {
            // Staff at a door type the next guest while this one is saved: clear the box only
            // if it still holds what found this guest, never what was typed since.
            const typed = q.value;
            if (await checkIn(p.id, p.name, false) && q.value === typed) { q.value = ''; showResults(null, ''); q.focus(); }
          } }, t('event.checkin'))));
    }));
  }
  const run = liveSearch(app, 10, showResults);
  q.addEventListener('input', debounce(() => run(q.value), 120));

  const walkin = personForm(app, {
    submitLabel: t('event.walkinSave'),
    scopeFields: () => {
      const out = {};
      for (const k of ['region', 'store', 'brand']) if (event && event[k]) out[k] = event[k];
      return out;
    },
    pickLabel: t('event.checkin'),
    onPick: (d) => checkIn(d.id, d.name, false),
    // Registered and checked in as one action (docs/SYNC.md G1): nobody is left registered
    // but not checked in.
    createArgs: () => ({ check_in_event: id }),
    onCreated: async (newId, name) => {
      app.toast(t('event.done', { name }));
      await loadCheckins();
    },
  });

  loadEvent();
  loadCheckins();
  const el = h('section', { 'aria-labelledby': 'event-h' },
    h('p', {}, h('a', { href: '#/events' }, `← ${t('event.back')}`)),
    title, when,
    h('div', {}, count, h('div', { class: 'count-label' }, t('event.count'))),
    h('div', { class: 'split' },
      h('div', {},
        h('h2', {}, t('event.find')),
        h('form', { role: 'search', onsubmit: (e) => { e.preventDefault(); run(q.value); } }, field(t('event.searchLabel'), q)),
        info, found,
        h('details', { 'data-testid': 'walkin' }, h('summary', {}, h('strong', {}, t('event.walkin'))), walkin.el)),
      h('div', {}, h('h2', {}, t('event.recent')), elsewhere, recent)));
  return { el, refresh: () => { loadCheckins(); } };
}
