// A record's history, for the central team and administrators (docs/SYNC.md A1,
// GET /api/v1/influencers/<id>/history): every change in stamp order — when, who (the staff
// member who acted), from which device, which fields, and for profile fields the old and new
// values; a write that had already lost to a later one is marked superseded. It is asked of the
// server each time and never kept on the device: offline, the screen says so.
import { h, fill } from '../common/dom.js';
import { t, label, formatDateTime } from '../common/i18n.js';

// A value of the history as text: null is "none", lists and objects as their JSON.
function valueText(v) {
  if (v === null || v === undefined) return t('history.none');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function whoText(actor) {
  if (!actor) return t('history.nobody');
  return actor.name || actor.id;  // the name when the server holds her record
}

function deviceText(device) {
  if (!device || !device.user) return t('history.server');
  return [device.user.name || String(device.user.id), device.label].filter(Boolean).join(' · ');
}

function fieldItem(f) {
  const changed = 'new' in f;
  return h('li', { class: f.superseded ? 'superseded' : null, 'data-field': f.name },
    f.name, changed ? `: ${valueText(f.old)} → ${valueText(f.new)}` : null,
    f.superseded ? [' ', h('span', { class: 'badge warn' }, t('history.superseded'))] : null);
}

function entryItem(e) {
  const fields = (e.fields || []).map(fieldItem);
  if (e.set) fields.push(h('li', { 'data-field': e.set }, e.element !== undefined ? `${e.set}: ${e.element}` : e.set));
  return h('li', { 'data-stamp': e.stamp, 'data-type': e.type, 'data-actor': (e.actor && e.actor.id) || '' },
    h('div', { class: 'when' }, formatDateTime(Date.parse(e.at))),
    h('div', { class: 'what' }, label('op', e.type),
      e.superseded ? [' ', h('span', { class: 'badge warn' }, t('history.superseded'))] : null),
    h('div', { class: 'by' }, `${t('history.who')}: ${whoText(e.actor)} · ${t('history.device')}: ${deviceText(e.device)}`),
    fields.length ? h('ul', { class: 'fields' }, fields) : null);
}

export function historyView(app, route) {
  const id = route.id;
  const title = h('h1', {}, t('history.title', { name: '…' }));
  const body = h('div', { 'data-testid': 'history', 'aria-live': 'polite' }, h('p', { class: 'hint' }, t('history.loading')));
  app.call('card', { id }).then((r) => { if (r.ok && r.value) title.textContent = t('history.title', { name: r.value.influencer.name }); });

  async function load() {
    const r = await app.call('history', { id });
    if (!r.ok) {
      const text = r.code === 'offline' ? t('history.offline') : app.errorText(r);
      fill(body, h('p', { class: r.code === 'offline' ? 'notice' : 'error', role: 'alert', 'data-code': r.code }, text));
      return;
    }
    const { entries = [], truncated } = r.value;
    fill(body,
      truncated ? h('p', { class: 'hint' }, t('history.truncated', { n: entries.length })) : null,
      entries.length ? h('ol', { class: 'timeline history' }, entries.map(entryItem)) : h('p', { class: 'empty' }, t('history.empty')));
  }

  load();
  const el = h('section', {},
    h('p', {}, h('a', { href: `#/card/${encodeURIComponent(id)}` }, `← ${t('history.back')}`)),
    title, body);
  return { el };
}
