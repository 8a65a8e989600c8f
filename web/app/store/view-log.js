// Log a contact in a few taps: how (touchpoint), which department, a note, the tone, a
// follow-up, and — when the device holds campaigns — which campaign it was for (optional).
// The person in charge (the header's select) is named on it by the core. The department last used on this device is offered first. The note counts its
// characters as it is typed; a follow-up date in the past is refused here (the core cannot:
// whether a date is past depends on the clock, and merge validation must not, docs/SYNC.md R10).
import { h, fill, field, select, radios, radioValue } from '../common/dom.js';
import { t, label } from '../common/i18n.js';
import { CHOICES, LIMITS } from '../common/choices.js';
import { countedField, checkLimits, clearInvalid, markInvalid, refusalText, showRefusal, todayIso } from '../common/refusal.js';

const TOUCHPOINTS = CHOICES['interaction.touchpoint'];
const DEPARTMENTS = CHOICES['interaction.department'];
const TONES = CHOICES['interaction.tone'];
const DEPT_KEY = 'liaison.department';

function rememberedDepartment(app) {
  try {
    const d = localStorage.getItem(DEPT_KEY);
    if (DEPARTMENTS.includes(d)) return d;
  } catch { /* storage refused */ }
  return app.status && app.status.user && app.status.user.role === 'field' ? 'events' : 'retail';
}

export function logView(app, route) {
  const id = route.id;
  const title = h('h1', { id: 'log-h' }, t('log.title', { name: '…' }));
  app.call('card', { id }).then((r) => { if (r.ok && r.value) title.textContent = t('log.title', { name: r.value.influencer.name }); });

  const isField = app.status && app.status.user && app.status.user.role === 'field';
  const touch = radios('touchpoint', t('log.touchpoint'), TOUCHPOINTS, (v) => label('tp', v), isField ? 'event' : 'store');
  const dept = select(DEPARTMENTS, (v) => label('dep', v), rememberedDepartment(app));
  const summary = h('textarea', { name: 'summary' });
  const tone = radios('tone', t('log.tone'), TONES, (v) => label('tone', v), 'neutral');
  const follow = h('input', { type: 'text', name: 'follow_up' });
  const due = h('input', { type: 'date', name: 'follow_up_due', min: todayIso() });
  const campaign = h('select', { name: 'campaign' });
  const campaignField = h('div');
  app.call('campaigns').then((r) => {
    if (!r.ok || !r.value.length) return;
    fill(campaign, h('option', { value: '' }, t('log.noCampaign')), r.value.map((c) => h('option', { value: c.id }, c.name)));
    fill(campaignField, field(t('log.campaign'), campaign));
  });
  const msg = h('div', { role: 'alert' });
  const save = h('button', { type: 'submit' }, t('log.save'));

  async function submit(e) {
    e.preventDefault();
    msg.className = ''; msg.textContent = '';
    clearInvalid(form);
    if (!checkLimits(form)) return;
    if (due.value && due.value < todayIso()) { markInvalid(due, refusalText('follow_up_due', 'past')); return; }
    const args = { influencer: id, touchpoint: radioValue(form, 'touchpoint'), department: dept.value };
    if (summary.value.trim()) args.summary = summary.value;
    const tn = radioValue(form, 'tone');
    if (tn) args.tone = tn;
    if (follow.value.trim()) args.follow_up = follow.value.trim();
    if (due.value) args.follow_up_due = due.value;
    if (campaign.value) args.campaign = campaign.value;
    save.disabled = true;
    const r = await app.call('logContact', args);
    save.disabled = false;
    if (!r.ok) {
      // A marketing contact with a person who objected or is restricted (docs/COMPLIANCE.md).
      const text = r.code === 'forbidden' ? t('log.notMarketing') : app.errorText(r);
      if (!showRefusal(form, r)) { msg.className = 'error'; msg.textContent = text; }
      return;
    }
    try { localStorage.setItem(DEPT_KEY, dept.value); } catch { /* not remembered */ }
    app.toast(t('log.saved'));
    app.navigate(`/card/${encodeURIComponent(id)}`);
  }

  const form = h('form', { onsubmit: submit, novalidate: true, 'aria-labelledby': 'log-h' },
    touch,
    field(t('log.department'), dept),
    countedField(t('log.summary'), summary, LIMITS['interaction.summary']),
    tone,
    campaignField,
    h('div', { class: 'row' }, countedField(t('log.followup'), follow, LIMITS['interaction.follow_up'], { always: false }), field(t('log.due'), due)),
    msg,
    h('div', { class: 'actions' }, save, h('a', { class: 'button secondary', href: `#/card/${encodeURIComponent(id)}` }, t('log.cancel'))));
  const el = h('section', {}, title, form);
  setTimeout(() => { const first = form.querySelector('input[name="touchpoint"]:checked'); if (first) first.focus(); }, 0);
  return { el };
}
