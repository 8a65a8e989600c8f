// The reviewer's disclosure check of one post (docs/COMPLIANCE.md, "Compliance issues",
// disclosure_missing): the central team says whether the required mention is there — on the
// caption, the image, the audio or a platform's label — with a proof link (a screenshot or an
// archived page). It records disclosure_found, disclosure_proof, disclosure_checked_by (the
// staff member the signed-in user acts as) and disclosure_checked_at (now) with one PATCH of
// the post, the write path the page uses for every edit. The verdict is pre-filled from the
// caption check (GET /api/v1/compliance/disclosure) when the caption says something.
import { h, fill, field } from '../common/dom.js';
import { t, formatDateTime } from '../common/i18n.js';
import { refs } from '../central/refs.js';
import { offlineOr } from './forms.js';

const enc = encodeURIComponent;

// The staff member the signed-in user acts as (docs/SYNC.md A1), or null when none is linked.
function staffOf(app) {
  const user = app.status && app.status.user;
  if (!user) return null;
  return user.inCharge || (user.staff && user.staff[0] && user.staff[0].id) || null;
}

const mayCheck = (app) => ['central', 'admin'].includes(app.status && app.status.user && app.status.user.role);

// "Checked by Claire on 3 Dec 2026, 10:05", or what is left of it.
function checkedText(post, names) {
  const when = formatDateTime(post.disclosure_checked_at);
  return post.disclosure_checked_by
    ? t('pg.dcCheckedBy', { who: names[post.disclosure_checked_by] || post.disclosure_checked_by, date: when })
    : t('pg.dcCheckedOn', { date: when });
}

// The form, in place of `cell`'s content; done() after a recorded check, cancel() to go back.
async function checkForm(app, cell, post, done, cancel) {
  const yes = h('input', { type: 'radio', name: `dc-${post.id}`, value: 'yes', 'data-testid': 'dc-yes' });
  const no = h('input', { type: 'radio', name: `dc-${post.id}`, value: 'no', 'data-testid': 'dc-no' });
  const proof = h('input', { type: 'url', placeholder: 'https://', value: post.disclosure_proof || '', 'data-testid': 'dc-proof' });
  const hint = h('p', { class: 'hint', 'data-testid': 'dc-caption' });
  const msg = h('p', { role: 'status', 'data-testid': 'dc-msg' });
  const save = h('button', { type: 'submit', class: 'small', 'data-testid': 'dc-save' }, t('pg.dcSave'));
  async function submit(e) {
    e.preventDefault();
    msg.className = '';
    if (!yes.checked && !no.checked) { msg.className = 'error'; msg.textContent = t('pg.dcChoose'); return; }
    const body = { disclosure_found: yes.checked, disclosure_checked_at: Date.now() };
    const staff = staffOf(app);
    if (staff) body.disclosure_checked_by = staff;
    const link = proof.value.trim();
    if (link !== (post.disclosure_proof || '')) body.disclosure_proof = link || null;
    save.disabled = true;
    const r = await app.call('api', { method: 'PATCH', path: `/api/v1/content/${enc(post.id)}`, body });
    save.disabled = false;
    if (!r.ok) { msg.className = 'error'; msg.textContent = offlineOr(app, r); return; }
    fill(cell); // the form is gone: the page may draw the table again
    done();
  }
  fill(cell, h('form', { class: 'disclosure-check', 'data-testid': 'dc-form', onsubmit: submit, novalidate: true },
    h('fieldset', {}, h('legend', {}, t('pg.dcFound')),
      h('label', {}, yes, ' ', t('pg.yes')), ' ', h('label', {}, no, ' ', t('pg.no'))),
    hint, field(t('pg.dcProof'), proof),
    staffOf(app) ? null : h('p', { class: 'hint' }, t('pg.dcNoStaff')), msg,
    h('div', { class: 'actions' }, save, h('button', { type: 'button', class: 'secondary small', onclick: cancel }, t('pg.dcCancel')))));
  // What the caption says, to start from; the reviewer decides.
  const r = await app.call('api', { path: `/api/v1/compliance/disclosure?content=${enc(post.id)}` });
  if (!r.ok || r.value.body.found == null) {
    if (post.disclosure_found != null) (post.disclosure_found ? yes : no).checked = true;
    return;
  }
  const c = r.value.body;
  (c.found ? yes : no).checked = true;
  hint.textContent = c.found ? t('pg.dcCaptionHas', { markets: c.markets.join(', ') })
    : t('pg.dcCaptionLacks', { mentions: c.lacking.join(', '), markets: c.markets.join(', ') });
}

// A post's cell in the content table: who checked it and when, and the action for the central
// team. refresh() after a check is recorded.
export function disclosureCell(app, post, refresh) {
  const cell = h('td', { 'data-testid': 'dc-cell' });
  const names = {};
  function draw() {
    const checked = post.disclosure_checked_at != null;
    const state = checked ? (post.disclosure_found ? t('pg.yes') : t('pg.no')) : t('pg.dcUnchecked');
    const action = mayCheck(app)
      ? h('button', { type: 'button', class: 'secondary small', 'data-testid': 'dc-open',
        onclick: () => checkForm(app, cell, post, refresh, draw) }, checked ? t('pg.dcAgain') : t('pg.dcCheck'))
      : null;
    fill(cell, h('span', { 'data-testid': 'dc-state', 'data-checked': checked ? 'yes' : 'no' }, state),
      checked ? h('div', { class: 'hint', 'data-testid': 'dc-checked' }, checkedText(post, names)) : null, action);
  }
  if (post.disclosure_checked_by) {
    refs(app, 'staff').then((r) => {
      if (!r.ok) return;
      for (const s of r.value) names[s.id] = s.name;
      if (!cell.querySelector('form')) draw();
    });
  }
  draw();
  return cell;
}
