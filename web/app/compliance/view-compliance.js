// The compliance screen of the central workspace (docs/COMPLIANCE.md; docs/USER-GUIDE.md
// "Compliance"): vet a person against the guidelines (POST /api/v1/vettings — the card and the
// collaboration's moves read the latest one), register a data-subject request and close it
// (/api/v1/gdpr-requests — a restriction or an objection binds on every device until it is
// withdrawn or refused), the open issues (GET /api/v1/compliance/issues), a recorded vetting's
// evidence files (evidence.js, /api/v1/evidence) and the retention runs (retention.js). Read
// from the server: the workspace needs the network.
import { h, fill, field } from '../common/dom.js';
import { t, formatNumber } from '../common/i18n.js';
import { personSearch } from '../central/person-search.js';
import { evidencePanel } from './evidence.js';
import { retentionSection } from './retention.js';

const enc = encodeURIComponent;
// The vetting table's guidelines (core/compliance/rules/vetting.json): one field each in the
// record model's `vetting` (tests/core/compliance_rules_test.cpp checks the two agree).
const GUIDELINES = ['content_safety', 'political_neutrality', 'brand_values', 'professionalism', 'performance', 'audience_fit', 'price', 'post_campaign'];
const RESULTS = ['pass', 'fail', 'not_applicable'];
const TYPES = ['access', 'rectification', 'erasure', 'restriction', 'objection'];
const today = () => new Date().toISOString().slice(0, 10);
const errorOf = (app, r) => (r.code === 'offline' ? t('ws.offline') : app.errorText({ ...r, field: undefined }));

// A person found in the directory; get() her id or null.
function picker(app, testid) {
  const p = personSearch(app, { testid, errorText: (r) => errorOf(app, r), words: (key, name) => t(`cp.${key}`, { name }) });
  return { el: h('div', {}, field(t('cp.search'), p.el), p.hits, p.chosen), get: p.get };
}

function vettingForm(app) {
  const who = picker(app, 'vet-person');
  const results = GUIDELINES.map((g) => {
    const el = h('select', { 'data-guideline': g }, RESULTS.map((v) => h('option', { value: v }, t(`cp.result.${v}`))));
    if (g === 'post_campaign') el.value = 'not_applicable';
    return { g, el, wrap: field(t(`cp.g.${g}`), el) };
  });
  const reviewed = h('input', { type: 'date', value: today(), 'data-field': 'reviewed' });
  const expires = h('input', { type: 'date', 'data-field': 'expires' });
  const notes = h('textarea', { rows: 2, maxlength: 4000, 'data-field': 'notes' });
  const evidence = h('input', { type: 'url', 'data-field': 'evidence' });
  const msg = h('p', { role: 'status', 'data-testid': 'vet-msg' });
  const save = h('button', { type: 'submit', 'data-testid': 'vet-save' }, t('cp.saveVetting'));
  // The files that back the review (a screenshot, a signed charter) go on the vetting once it is recorded.
  const files = h('div', { 'data-testid': 'vet-evidence' }, h('h3', {}, t('ev.title')), h('p', { class: 'hint' }, t('ev.afterSave')));
  async function submit(e) {
    e.preventDefault();
    msg.className = '';
    const person = who.get();
    if (!person) { msg.className = 'error'; msg.textContent = t('cp.needPerson'); return; }
    const body = { influencer: person, reviewed: reviewed.value, rules_version: 'vetting/1' };
    for (const r of results) body[r.g] = r.el.value;
    if (expires.value) body.expires = expires.value;
    if (notes.value.trim()) body.notes = notes.value.trim();
    if (evidence.value.trim()) body.evidence = evidence.value.trim();
    save.disabled = true;
    const r = await app.call('api', { method: 'POST', path: '/api/v1/vettings', body });
    save.disabled = false;
    if (!r.ok) { msg.className = 'error'; msg.textContent = errorOf(app, r); return; }
    const card = await app.call('api', { path: `/api/v1/influencers/${enc(person)}` });
    const state = card.ok && card.value.body.vetting ? card.value.body.vetting.state : '';
    msg.textContent = t('cp.vetted', { state });
    msg.dataset.state = state;
    if (r.value.body.id) fill(files, evidencePanel(app, r.value.body.id, { errorOf: (x) => errorOf(app, x) }));
  }
  return h('form', { onsubmit: submit, novalidate: true, 'data-testid': 'vetting-form' },
    h('h2', {}, t('cp.vetting')), who.el, h('div', { class: 'person-grid' }, results.map((r) => r.wrap)),
    h('div', { class: 'row' }, field(t('cp.reviewed'), reviewed), field(t('cp.expires'), expires)),
    field(t('cp.notes'), notes), field(t('cp.evidence'), evidence), msg, h('div', { class: 'actions' }, save), files);
}

function requestsSection(app) {
  const who = picker(app, 'req-person');
  const type = h('select', { 'data-field': 'type' }, TYPES.map((v) => h('option', { value: v }, t(`cp.type.${v}`))));
  const received = h('input', { type: 'date', value: today(), 'data-field': 'received' });
  const msg = h('p', { role: 'status', 'data-testid': 'req-msg' });
  const list = h('table', { class: 'grid', 'data-testid': 'requests' });
  async function load() {
    const r = await app.call('api', { path: '/api/v1/gdpr-requests?limit=200' });
    if (!r.ok) { fill(list, h('caption', {}, errorOf(app, r))); return; }
    const items = r.value.body.items || [];
    if (!items.length) { fill(list, h('caption', {}, t('cp.noRequest'))); return; }
    const act = (req, status, key) => h('button', { type: 'button', class: 'small secondary', 'data-testid': `req-${status}`, onclick: async () => {
      const done = await app.call('api', { method: 'PATCH', path: `/api/v1/gdpr-requests/${enc(req.id)}`, body: status === 'open' ? { status } : { status, closed: today() } });
      if (!done.ok) app.toast(errorOf(app, done));
      load();
    } }, t(key));
    fill(list, h('thead', {}, h('tr', {}, ['cp.person', 'cp.type', 'cp.received', 'cp.status', ''].map((k) => h('th', { scope: 'col' }, k ? t(k) : '')))),
      h('tbody', {}, items.map((req) => h('tr', { 'data-id': req.id, 'data-status': req.status || 'open' },
        h('td', {}, h('a', { href: `#/central/person/${enc(req.influencer)}` }, req.influencer)),
        h('td', {}, t(`cp.type.${req.type}`)), h('td', {}, req.received), h('td', {}, t(`cp.status.${req.status || 'open'}`)),
        h('td', {}, (req.status || 'open') === 'open' ? [act(req, 'done', 'cp.markDone'), act(req, 'refused', 'cp.refuse'), act(req, 'withdrawn', 'cp.withdraw')] : null)))));
  }
  async function submit(e) {
    e.preventDefault();
    msg.className = '';
    const person = who.get();
    if (!person) { msg.className = 'error'; msg.textContent = t('cp.needPerson'); return; }
    const r = await app.call('api', { method: 'POST', path: '/api/v1/gdpr-requests', body: { influencer: person, type: type.value, received: received.value, status: 'open' } });
    if (!r.ok) { msg.className = 'error'; msg.textContent = errorOf(app, r); return; }
    msg.textContent = t('cp.registered');
    load();
  }
  load();
  return h('section', {}, h('h2', {}, t('cp.requests')),
    h('form', { onsubmit: submit, novalidate: true, 'data-testid': 'request-form' }, h('h3', {}, t('cp.newRequest')), who.el,
      h('div', { class: 'row' }, field(t('cp.type'), type), field(t('cp.received'), received)), msg,
      h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-testid': 'req-save' }, t('cp.saveRequest')))),
    list);
}

// The open issues, by type (the server's list: its route may be absent on an older server).
function issuesSection(app) {
  const status = h('p', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'issues-count' });
  const list = h('ul', { 'data-testid': 'issues' });
  const el = h('section', { hidden: true }, h('h2', {}, t('cp.issues')), status, list);
  (async () => {
    const r = await app.call('api', { path: '/api/v1/compliance/issues?limit=200' });
    if (!r.ok) return;
    el.hidden = false;
    const items = r.value.body.issues || [];
    status.textContent = items.length ? t('cp.issuesCount', { n: formatNumber(items.length) }) : t('cp.noIssue');
    // A campaign's issue (promotion_*) names its campaign instead of a person.
    fill(list, items.map((i) => h('li', { 'data-type': i.type, 'data-person': i.person, 'data-campaign': i.campaign },
      h('strong', {}, t(`cp.issue.${i.type}`)), ' — ', i.person_name ? `${i.person_name}: ` : '',
      !i.person && i.campaign ? [h('a', { href: `#/central/campaign/${i.campaign}` }, t('cp.campaign', { name: i.campaign_name || i.campaign })), ': '] : null,
      i.detail || '', i.due ? ` (${i.due})` : '')));
  })();
  return el;
}

export function complianceView(app) {
  const el = h('section', { 'aria-labelledby': 'cp-h' }, h('h1', { id: 'cp-h', tabindex: '-1' }, t('cp.title')),
    issuesSection(app), vettingForm(app), requestsSection(app), retentionSection(app));
  return { el, refresh: () => {} };
}
