// The privacy section of a person's 360° record (docs/COMPLIANCE.md, "GDPR"; docs/USER-GUIDE.md
// "Compliance"): where her data came from, the evidence of her consent (when, where, how, which
// notice), the date the information notice of GDPR article 14 was sent, her date of birth, her
// EU representative and insurance, and a legal hold — with the open compliance issues about her
// (GET /api/v1/compliance/issues, read on the server's day, so the notice's due date is the
// rule table's, not recomputed here). Saved with one PATCH of what changed, like the profile;
// the lawful basis itself is a profile field.
import { h, fill, field, uid } from '../common/dom.js';
import { t, formatDate } from '../common/i18n.js';
import '../compliance/words.js';

const enc = encodeURIComponent;

// [field, input type, max length]; `date` fields hold "YYYY-MM-DD", `day-ms` a day stored as
// milliseconds (consent_at is a time: the day it was given, at midnight UTC, is what the form
// knows), `bool` a checkbox.
export const PRIVACY_FIELDS = [
  ['data_source', 'text', 200], ['balancing_note', 'long', 2000],
  ['consent_at', 'day-ms'], ['consent_where', 'text', 200], ['consent_how', 'text', 200],
  ['notice_version', 'text', 200], ['notice_sent', 'date'],
  ['birth_date', 'date'], ['legal_rep_eu', 'text', 200], ['insurance_eu', 'text', 200],
  ['legal_hold', 'bool'],
];

function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

// What the form shows for a stored value, and what it sends for what was typed.
export function shown(type, v) {
  if (v == null || v === '') return type === 'bool' ? false : '';
  if (type === 'bool') return v === 1 || v === true;
  if (type === 'day-ms') return isoDay(Number(v));
  return String(v);
}
export function sent(type, v) {
  if (type === 'bool') return v;
  if (v === '') return null;
  if (type === 'day-ms') return Date.parse(`${v}T00:00:00Z`);
  return v;
}

// Fills `box` with the section for the person `p` (the card's influencer) and calls `saved`
// after a successful save. `msg` is the section's message, kept by the page across redraws (a
// sync redraws the section: "saved" stays until she edits again). A refresh draws it again.
export function drawPrivacy(app, box, p, msg, saved) {
  const controls = {};
  const rows = PRIVACY_FIELDS.map(([name, type, max]) => {
    const value = shown(type, p[name]);
    const control = type === 'long' ? h('textarea', { rows: 2, maxlength: max }, value)
      : type === 'bool' ? h('input', { type: 'checkbox', checked: value })
        : h('input', { type: type === 'text' ? 'text' : 'date', value, maxlength: max, autocomplete: 'off' });
    control.dataset.field = name;
    controls[name] = [type, control];
    return field(t(`pp.f.${name}`), control, t(`pp.hint.${name}`));
  });
  const issues = h('div', { 'data-testid': 'privacy-issues' }, h('p', { class: 'hint' }, t('pp.loading')));

  async function save() {
    for (const e of box.querySelectorAll('.field-error')) e.remove();
    const patch = {};
    for (const [name, [type, c]] of Object.entries(controls)) {
      const now = type === 'bool' ? c.checked : c.value.trim();
      if (now !== shown(type, p[name])) patch[name] = sent(type, now);
    }
    if (!Object.keys(patch).length) { msg.textContent = t('person.unchanged'); return; }
    const r = await app.call('api', { method: 'PATCH', path: `/api/v1/influencers/${enc(p.id)}`, body: patch });
    if (!r.ok) {
      const name = Object.keys(controls).find((n) => (r.field || '') === n || (r.message || '').includes(`${n}: `));
      const text = app.errorText(r);
      if (name) {
        const c = controls[name][1];
        const errId = uid('err');
        c.setAttribute('aria-invalid', 'true');
        c.setAttribute('aria-describedby', errId);
        c.closest('.field').append(h('p', { class: 'field-error error', role: 'alert', id: errId }, text));
        c.focus();
      } else {
        msg.textContent = text;
      }
      return;
    }
    await saved();
    msg.textContent = t('pp.saved'); // after the redraw: the form shows what is stored
  }

  const form = h('form', { class: 'person-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); save(); },
    oninput: () => { msg.textContent = ''; }, onchange: () => { msg.textContent = ''; } },
    h('div', { class: 'person-grid' }, rows),
    h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-testid': 'privacy-save' }, t('pp.save')), msg));
  fill(box, h('h2', { id: 'pg-h' }, t('pp.title')), issues, form);
  loadIssues(app, p.id, issues);
}

// Her open compliance issues (`person` filter: a regional manager's list is her regions').
async function loadIssues(app, id, box) {
  const r = await app.call('api', { path: `/api/v1/compliance/issues?person=${enc(id)}&limit=100` });
  if (!r.ok) { fill(box, h('p', { class: 'hint' }, app.errorText(r))); return; }
  const mine = r.value.body.issues || [];
  fill(box, mine.length
    ? h('ul', { class: 'warnings', 'aria-label': t('pp.issues') }, mine.map((i) => h('li', { class: 'warn', 'data-issue': i.type },
      t(`cp.issue.${i.type}`), i.due ? ` · ${t('pp.due', { date: formatDate(i.due) })}` : '', i.detail ? ` · ${i.detail}` : '')))
    : h('p', { class: 'hint', 'data-testid': 'privacy-no-issue' }, t('pp.noIssue')));
}

