// The influencer card: who they are, warnings first, the relationship owner, contact
// pressure, her collaborations under way, latest posts and tracked links, the follow-ups still to do, tags and details that can be
// edited, the timeline across departments (who, where, which campaign), the way to log a
// contact, and for the central team the record's history (view-history.js).
import { h, fill, field, select, uid } from '../common/dom.js';
import { t, label, formatDateTime, formatDate, formatNumber } from '../common/i18n.js';
import { handleText } from '../common/people.js';
import { CHOICES, LIMITS } from '../common/choices.js';
import { countedField, checkLimits, clearInvalid, showRefusal, todayIso } from '../common/refusal.js';

const TIERS = CHOICES['influencer.tier'];
const STATUSES = CHOICES['influencer.status'];
const CONSENTS = CHOICES['influencer.consent'];
const ROLES = CHOICES['influencer.roles'];

// Warnings that stop what staff would otherwise do (docs/COMPLIANCE.md for the last two).
const SEVERE = ['do_not_contact', 'active_paid_collaboration', 'objection', 'restricted'];

// Her vetting status as the card reads it (core/query/compliance.hpp): what a store sees of it.
function vettingText(v) {
  if (!v) return null;
  const date = v.state === 'passed' || v.state === 'expired' ? v.expires : null;
  return t(`vetting.${v.state}`, { date }) + (v.failed && v.failed.length ? ` (${v.failed.map((g) => g.replace(/_/g, ' ')).join(', ')})` : '');
}

function warningItem(w, card) {
  const params = { n: card.contacts_recent, days: card.contact_window_days, cap: card.contact_cap };
  const severe = SEVERE.includes(w);
  return h('li', { class: severe ? 'bad' : 'warn', 'data-warning': w }, t(`warn.${w}`, params));
}

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

function timelineItem({ at, entry, mark }) {
  let what;
  const lines = [];
  switch (entry.kind) {
    case 'interaction':
      what = t('kind.interaction', { touchpoint: label('tp', entry.touchpoint), department: label('dep', entry.department) });
      if (entry.summary) lines.push(h('div', { class: 'text' }, entry.summary));
      if (entry.follow_up || entry.follow_up_due) lines.push(h('div', {}, `${t('log.followup')}: `, followUpText(entry)));
      break;
    case 'checkin':
      what = t(entry.walk_in ? 'kind.checkin.walkin' : 'kind.checkin');
      if (entry.note) lines.push(h('div', { class: 'text' }, entry.note));
      break;
    case 'collaboration':
      what = t('kind.collaboration', { type: entry.type || '' });
      if (entry.deliverables) lines.push(h('div', { class: 'text' }, entry.deliverables));
      break;
    case 'content':
      what = t('kind.content', { platform: entry.platform || '' });
      if (entry.url) lines.push(h('div', { class: 'text' }, entry.url));  // shown, never made a link
      break;
    default:
      what = t('kind.other', { kind: entry.kind });
  }
  // D6 (docs/SYNC.md): a contact logged where this device's scope does not reach is held as
  // its mark — when, how, where — and its details stay there.
  if (mark) lines.push(h('div', { class: 'hint', 'data-testid': 'mark-note' }, t('card.mark')));
  return h('li', { 'data-kind': entry.kind, 'data-staff': entry.staff || null, 'data-store': entry.store || null, 'data-mark': mark ? '1' : null },
    h('div', { class: 'when' }, formatDateTime(at)),
    h('div', { class: 'what' }, what, entry.tone ? [' ', h('span', { class: 'badge' }, label('tone', entry.tone))] : null),
    byLine(entry),
    lines);
}

// "3 Dec 2026, 10:30 · at Lille": the last contact anywhere (D6), named from the timeline entry
// it is (the newest contact; its place is named when the device holds it).
function lastContactText(card) {
  const last = card.last_contact;
  if (!last) return t('card.lastContact.none');
  const item = (card.timeline || []).find((i) => i.at === last.at && i.entry.kind === last.kind);
  const names = (item && item.entry.names) || {};
  const place = names.store || names.event;
  return [formatDateTime(last.at), place ? t('entry.at', { place }) : null].filter(Boolean).join(' · ');
}

// "by Anne Martin · at Paris Opéra · campaign: Autumn launch": the names the device holds
// (the façade's `names`, web/README.md); the department is in the line above.
function byLine(entry) {
  const n = entry.names || {};
  const place = n.store || n.event;
  const parts = [
    n.staff ? t('entry.by', { name: n.staff }) : null,
    place ? t('entry.at', { place }) : null,
    n.campaign ? t('entry.campaign', { name: n.campaign }) : null,
  ].filter(Boolean);
  return parts.length ? h('div', { class: 'by', 'data-testid': 'entry-by' }, parts.join(' · ')) : null;
}

// "invite to the gala — due 20 Nov 2025" (either part may be missing).
function followUpText(entry) {
  return [entry.follow_up, entry.follow_up_due ? t('card.followup.due', { date: formatDate(entry.follow_up_due) }) : null]
    .filter(Boolean).join(' — ');
}

// An open follow-up (core/query/view.hpp: until the department's next contact), overdue marked.
function followUpItem({ at, entry }) {
  const overdue = entry.follow_up_due && entry.follow_up_due < todayIso();
  return h('li', { class: overdue ? 'warn' : null, 'data-due': entry.follow_up_due || '' },
    followUpText(entry), ' ',
    h('span', { class: 'meta' }, `${label('dep', entry.department)} · ${formatDate(at)}`),
    overdue ? [' ', h('span', { class: 'badge bad' }, t('card.followup.overdue'))] : null);
}

// The card's lists of her collaborations under way, latest posts and tracked links
// (core/query/view.hpp): each item is {entry, campaign_name?}; URLs are shown, never made links.
function section(title, testid, items, item) {
  return items && items.length ? [h('h2', {}, t(title)), h('ul', { class: 'card-list', 'data-testid': testid }, items.map(item))] : null;
}
const line = (...parts) => parts.filter(Boolean).join(' · ');

function collabItem({ entry: c, campaign_name: campaign }) {
  return h('li', { 'data-type': c.type, 'data-status': c.status },
    line(label('ctype', c.type), label('cstatus', c.status), campaign),
    h('div', { class: 'meta' }, line([c.starts, c.ends].filter(Boolean).map(formatDate).join(' – '), c.intermediary)));
}

function contentItem({ entry: p, campaign_name: campaign }) {
  const metrics = p.reach !== undefined || p.engagements !== undefined
    ? t('card.content.metrics', { reach: formatNumber(p.reach || 0), engagements: formatNumber(p.engagements || 0) }) : null;
  return h('li', { 'data-platform': p.platform },
    line(p.platform, p.published_at && formatDate(p.published_at), campaign),
    h('div', { class: 'text' }, p.url),
    h('div', { class: 'meta' }, metrics));
}

function linkItem({ entry: l, campaign_name: campaign, clicks, conversions }) {
  return h('li', { 'data-code': l.code },
    h('strong', {}, l.code), campaign ? ` · ${campaign}` : '',
    h('div', { class: 'text' }, l.target),
    h('div', { class: 'meta' }, t('card.link.counts', { clicks: formatNumber(clicks), conversions: formatNumber(conversions) })));
}

const centralRole = (app) => ['central', 'admin'].includes(app.status && app.status.user && app.status.user.role);

export function cardView(app, route) {
  const id = route.id;
  const body = h('div', { 'data-testid': 'card' });
  const editor = h('div');
  let card = null;
  let shownJson = '';
  let reported = false; // this visit's view was reported (once: a sync redraws the card)

  async function load() {
    const r = await app.call('card', { id });
    if (!r.ok) { fill(body, h('p', { class: 'error', role: 'alert' }, r.code === 'not_found' ? t('card.missing') : app.errorText(r))); return; }
    if (r.value === null || r.value === undefined) { card = null; fill(body, h('h1', { tabindex: '-1' }, '—'), h('p', { class: 'error', role: 'alert' }, t('card.missing'))); fill(editor); return; }
    const json = JSON.stringify(r.value);
    if (json === shownJson) return;  // nothing new: keep the screen (and the focus) as it is
    shownJson = json;
    card = r.value;
    // Her full record, read from this device: the worker reports the view to the server's audit
    // for the central team and regional managers (docs/SECURITY.md); a directory record is not
    // her full record.
    if (!reported && !card.directory) { reported = true; app.call('reportView', { id: card.influencer.id }); }
    const wasFocus = document.activeElement && body.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
    renderBody();
    if (wasFocus) { const again = body.querySelector(`[data-focus-key="${CSS.escape(wasFocus)}"]`); if (again) again.focus(); }
  }

  function renderBody() {
    const p = card.influencer;
    const handles = (p.handles || []).map((s) => h('li', {}, handleText(s)));
    const tags = (p.tags || []).map((tag) => h('li', {}, tag,
      h('button', { type: 'button', 'aria-label': t('card.removeTag', { tag }), 'data-focus-key': `rm-${tag}`, onclick: () => editSet('removeFromSet', 'tags', tag) }, '×')));
    fill(body,
      h('p', {}, h('a', { href: '#/search' }, `← ${t('card.back')}`)),
      h('h1', { 'data-testid': 'card-name' }, p.name),
      card.warnings && card.warnings.length ? h('ul', { class: 'warnings', 'aria-label': t('card.warnings') }, card.warnings.map((w) => warningItem(w, card))) : null,
      // D2 (docs/SYNC.md "Directory"): her record is changed where she belongs; contacts join it.
      card.directory ? h('p', { class: 'notice', 'data-testid': 'directory-note' }, t('card.directory')) : null,
      h('div', { class: 'actions' },
        h('a', { class: 'button', href: `#/card/${encodeURIComponent(p.id)}/log` }, t('card.log')),
        card.directory ? null : h('button', { type: 'button', class: 'secondary', 'aria-expanded': editor.hasChildNodes() ? 'true' : 'false', onclick: toggleEditor }, t('card.edit')),
        // The history is read from the server, for the roles it answers (docs/SYNC.md A1).
        centralRole(app) ? h('a', { class: 'button secondary', href: `#/card/${encodeURIComponent(p.id)}/history` }, t('card.history')) : null),
      editor,
      facts([
        [t('card.tier'), p.tier ? label('tier', p.tier) : null],
        [t('card.status'), p.status ? label('status', p.status) : null],
        [t('card.consent'), label('consent', p.consent || 'unknown')],
        [t('card.vetting'), vettingText(card.vetting)],
        [t('card.owner'), card.owner ? [card.owner.name, card.owner.email].filter(Boolean).join(' · ') : t('card.nobody')],
        [t('card.email'), p.email],
        [t('card.phone'), p.phone],
        [t('card.country'), p.country],
        [t('card.roles'), (p.roles || []).map((r) => label('role', r)).join(', ')],
        [t('card.pressureLabel'), t('card.pressure', { n: formatNumber(card.contacts_recent), days: card.contact_window_days, cap: card.contact_cap })],
        [t('card.lastContact'), lastContactText(card)],
      ]),
      handles.length ? [h('h2', {}, t('card.handles')), h('ul', { class: 'chips' }, handles)] : null,
      card.directory ? null : [h('h2', {}, t('card.tags')), h('ul', { class: 'chips', 'data-testid': 'tags' }, tags)],
      card.merged_ids && card.merged_ids.length ? h('p', { class: 'hint' }, t('card.merged', { n: card.merged_ids.length })) : null,
      card.follow_ups && card.follow_ups.length ? [h('h2', {}, t('card.followups')),
        h('ul', { class: 'followups', 'data-testid': 'follow-ups' }, card.follow_ups.map(followUpItem))] : null,
      section('card.collabs', 'card-collaborations', card.active_collaborations, collabItem),
      section('card.content', 'card-content', card.recent_content, contentItem),
      section('card.links', 'card-links', card.links, linkItem),
      p.notes ? [h('h2', {}, t('card.notes')), h('p', { class: 'text', 'data-testid': 'notes' }, p.notes)] : null,
      h('h2', {}, t('card.timeline')),
      card.timeline && card.timeline.length ? h('ol', { class: 'timeline', 'data-testid': 'timeline' }, card.timeline.map(timelineItem))
        : h('p', { class: 'empty' }, t('card.timeline.empty')));
    const tagList = body.querySelector('[data-testid="tags"]');
    if (tagList) body.insertBefore(tagAdder, tagList.nextSibling);
  }

  // `form`: where a refusal about the set is shown (next to its field); else a toast.
  async function editSet(method, set, elem, form) {
    const r = await app.call(method, { kind: 'influencer', id: card.influencer.id, set, elem });
    if (!r.ok && !(form && showRefusal(form, r))) app.toast(app.errorText(r));
    await load();
    return r.ok;
  }

  const tagInput = h('input', { type: 'text', name: 'tag', 'data-field': 'tags', autocomplete: 'off' });
  const tagAdder = h('form', { class: 'inline-add', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clearInvalid(tagAdder);
    if (!checkLimits(tagAdder)) return;
    const v = tagInput.value.trim();
    if (!v) return;
    const ok = await editSet('addToSet', 'tags', v, tagAdder);
    if (ok && tagInput.value.trim() === v) { tagInput.value = ''; tagInput.refreshCount(); }  // not the next tag typed meanwhile
    tagInput.focus();
  } }, countedField(t('card.addTag'), tagInput, LIMITS['influencer.tags'], { always: false }), h('button', { type: 'submit', class: 'secondary' }, t('card.add')));

  function toggleEditor() {
    if (editor.hasChildNodes()) { fill(editor); renderBody(); return; }
    if (!card) return;
    const p = card.influencer;
    const tier = select(TIERS, (v) => label('tier', v), p.tier, t('new.choose'));
    const status = select(STATUSES, (v) => label('status', v), p.status, t('new.choose'));
    const consent = select(CONSENTS, (v) => label('consent', v), p.consent, t('new.choose'));
    const notes = h('textarea', { name: 'notes' });
    notes.value = p.notes || '';
    const roleBoxes = ROLES.map((r) => h('label', {}, h('input', { type: 'checkbox', value: r, checked: (p.roles || []).includes(r) }), label('role', r)));
    const msg = h('div', { role: 'alert' });
    const form = h('form', { 'aria-label': t('card.edit'), novalidate: true, onsubmit: async (e) => {
      e.preventDefault();
      msg.className = ''; msg.textContent = '';
      clearInvalid(form);
      if (!checkLimits(form)) return;
      const fields = {};
      const put = (name, v) => { if ((p[name] || '') !== v) fields[name] = v === '' ? null : v; };
      put('tier', tier.value); put('status', status.value); put('consent', consent.value); put('notes', notes.value);
      if (Object.keys(fields).length) {
        const r = await app.call('updateInfluencer', { id: p.id, fields });
        if (!r.ok) { if (!showRefusal(form, r)) { msg.className = 'error'; msg.textContent = app.errorText(r); } return; }
      }
      for (const box of roleBoxes.map((l) => l.querySelector('input'))) {
        const had = (p.roles || []).includes(box.value);
        if (box.checked !== had) {
          const r = await app.call(box.checked ? 'addToSet' : 'removeFromSet', { kind: 'influencer', id: p.id, set: 'roles', elem: box.value });
          if (!r.ok) { msg.className = 'error'; msg.textContent = app.errorText(r); return; }
        }
      }
      fill(editor);
      app.toast(t('card.saved'));
      await load();
    } },
    h('h2', {}, t('card.edit')),
    h('div', { class: 'row' }, field(t('card.tier'), tier), field(t('card.status'), status), field(t('card.consent'), consent)),
    h('fieldset', {}, h('legend', {}, t('card.roles')), h('div', { class: 'choices' }, roleBoxes)),
    countedField(t('card.notes'), notes, LIMITS['influencer.notes']), msg,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('card.save')),
      h('button', { type: 'button', class: 'secondary', onclick: () => { fill(editor); renderBody(); } }, t('log.cancel'))));
    form.id = uid('edit');
    fill(editor, form);
    renderBody();
    tier.focus();
  }

  load();
  const el = h('section', {}, body);
  return { el, refresh: load };
}
