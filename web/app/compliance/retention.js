// The compliance room's retention section (docs/COMPLIANCE.md, "Retention"; docs/USER-GUIDE.md
// "Compliance"): the policy in force, a dry run (POST /api/v1/retention/runs) and its report —
// who is due and why, who is on legal hold, who was skipped —, then the approval that erases
// them (POST …/runs/<id>/approve), which only another member of the central team may give
// (four eyes: the server refuses the proposer, and the button says why before she tries).
// While the approval runs, the run is read again every second so its progress shows, also on
// a screen opened while another member's approval runs.
import { h, fill } from '../common/dom.js';
import { t, label, formatNumber, formatDate, formatDateTime } from '../common/i18n.js';

const enc = encodeURIComponent;
const POLL_MS = 1000;
const errorOf = (app, r) => (r.code === 'offline' ? t('ws.offline') : app.errorText({ ...r, field: undefined }));

// Why a person is due: her last contact (and of what kind), or never since her record's creation.
function why(p) {
  const since = p.last_contact
    ? t('rt.lastContact', { date: formatDate(p.last_contact), kind: t(`rt.kind.${p.last_contact_kind}`) })
    : t('rt.never', { date: formatDate(p.created) });
  return `${since} — ${t('rt.dueSince', { date: formatDate(p.due_since) })}`;
}

function personCell(p) {
  return p.name ? h('a', { href: `#/central/person/${enc(p.person)}` }, p.name) : h('span', { class: 'hint' }, t('rt.erasedName', { id: p.person }));
}

function peopleTable(testid, people, extra) {
  if (!people.length) return null;
  return h('table', { class: 'grid', 'data-testid': testid },
    h('tbody', {}, people.map((p) => h('tr', { 'data-person': p.person, 'data-outcome': p.outcome || '' },
      h('td', {}, personCell(p)), h('td', {}, p.rule), h('td', {}, why(p)), h('td', {}, extra(p))))));
}

const outcomeText = (p) => (p.outcome === 'skipped' ? t('rt.outcome.skipped', { reason: t(`rt.reason.${p.outcome_reason}`) }) : t(`rt.outcome.${p.outcome}`));

export function retentionSection(app) {
  const policy = h('ul', { 'data-testid': 'rt-policy' });
  const msg = h('p', { role: 'status', 'data-testid': 'rt-msg' });
  const report = h('div', { 'data-testid': 'rt-report' });
  const dry = h('button', { type: 'button', 'data-testid': 'rt-dry-run' }, t('rt.dryRun'));
  const el = h('section', { hidden: true, 'data-testid': 'retention' }, h('h2', {}, t('rt.title')), policy,
    h('div', { class: 'actions' }, dry), msg, report);
  let me = null;
  let approvalDays = 7;

  function show(run) {
    const g = run.progress;
    const head = h('p', { 'data-testid': 'rt-summary', 'data-state': run.state },
      t('rt.summary', { id: run.id, who: run.proposed_by.name || `#${run.proposed_by.id}`, when: formatDateTime(run.proposed_at), today: formatDate(run.today) }), ' ',
      h('strong', {}, t(`rt.state.${run.state}`)));
    const progress = h('p', { 'data-testid': 'rt-progress', 'aria-live': 'polite' },
      t('rt.progress', { erased: formatNumber(g.erased), skipped: formatNumber(g.skipped), total: formatNumber(g.total) }));
    const parts = [head, run.truncated ? h('p', { class: 'hint' }, t('rt.truncated')) : null, progress,
      h('h3', {}, t('rt.due', { n: formatNumber(run.due.length) })),
      peopleTable('rt-due', run.due, outcomeText) || h('p', { class: 'hint' }, t('rt.noneDue')),
      run.held.length ? h('h3', {}, t('rt.held', { n: formatNumber(run.held.length) })) : null,
      peopleTable('rt-held', run.held, () => t('rt.reason.legal_hold')),
      run.skipped.length ? h('h3', {}, t('rt.skipped', { n: formatNumber(run.skipped.length) })) : null,
      peopleTable('rt-skipped', run.skipped, (p) => t(`rt.reason.${p.reason}`))];
    if (run.state === 'proposed') parts.push(decision(run));
    fill(report, parts);
  }

  // Approve and erase, or cancel: the approval is disabled, with the reason, for the proposer
  // and once the dry run is too old; it asks the approver to confirm she checked the list.
  function decision(run) {
    const expired = Date.now() > run.expires_at;
    const mine = me !== null && me === run.proposed_by.id;
    const checked = h('input', { type: 'checkbox', 'data-testid': 'rt-checked' });
    const approve = h('button', { type: 'button', class: 'danger', disabled: true, 'data-testid': 'rt-approve' }, t('rt.approve'));
    const note = h('p', { class: 'hint', 'data-testid': 'rt-approve-why' },
      mine ? t('rt.fourEyes') : expired ? t('rt.expired', { days: approvalDays }) : t('rt.confirmHint'));
    const blocked = mine || expired || !run.due.length;
    checked.disabled = blocked;
    checked.onchange = () => { approve.disabled = blocked || !checked.checked; };
    approve.onclick = () => runApproval(run, approve);
    const cancel = h('button', { type: 'button', class: 'secondary', 'data-testid': 'rt-cancel', onclick: async () => {
      const r = await app.call('api', { method: 'POST', path: `/api/v1/retention/runs/${run.id}/cancel` });
      if (!r.ok) { msg.className = 'error'; msg.textContent = errorOf(app, r); return; }
      msg.className = '';
      msg.textContent = t('rt.cancelled');
      show(r.value.body);
    } }, t('rt.cancel'));
    return h('div', { class: 'actions' }, h('label', {}, checked, ' ', t('rt.checked')), approve, cancel, note);
  }

  async function runApproval(run, button) {
    button.disabled = true;
    dry.disabled = true;
    msg.className = '';
    msg.textContent = t('rt.running');
    let finished = false;
    const poll = async () => {
      while (!finished) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (finished) return;
        const r = await app.call('api', { path: `/api/v1/retention/runs/${run.id}` });
        if (r.ok && !finished && r.value.body.state === 'running') show(r.value.body);
      }
    };
    poll();
    const r = await app.call('api', { method: 'POST', path: `/api/v1/retention/runs/${run.id}/approve` });
    finished = true;
    dry.disabled = false;
    if (!r.ok) { msg.className = 'error'; msg.textContent = errorOf(app, r); button.disabled = false; return; }
    ended(r.value.body);
  }

  // A run that has ended: its result, then its report.
  function ended(run) {
    msg.className = '';
    msg.textContent = t(run.state === 'done' ? 'rt.done' : 'rt.failed', { erased: formatNumber(run.progress.erased), skipped: formatNumber(run.progress.skipped) });
    show(run);
  }

  // A run under way that this page did not start (approved from another screen, or before this
  // one was opened): read again every second while the section is on screen, until it ends.
  async function follow(id) {
    msg.className = '';
    msg.textContent = t('rt.running');
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (!el.isConnected) return;
      const r = await app.call('api', { path: `/api/v1/retention/runs/${id}` });
      if (!r.ok) { msg.className = 'error'; msg.textContent = errorOf(app, r); continue; }
      if (r.value.body.state !== 'running') { ended(r.value.body); return; }
      msg.className = '';
      msg.textContent = t('rt.running');
      show(r.value.body);
    }
  }

  dry.onclick = async () => {
    dry.disabled = true;
    msg.className = '';
    msg.textContent = t('rt.computing');
    const r = await app.call('api', { method: 'POST', path: '/api/v1/retention/runs' });
    dry.disabled = false;
    if (!r.ok) { msg.className = 'error'; msg.textContent = errorOf(app, r); return; }
    msg.textContent = t('rt.proposed');
    show(r.value.body);
  };

  (async () => {
    const p = await app.call('api', { path: '/api/v1/retention/policy' });
    if (!p.ok) return;  // not the central team, or an older server
    // Who she is, before the section shows: a dry run made before this answer came would
    // otherwise offer her the approval of her own run (four eyes, docs/COMPLIANCE.md).
    const who = await app.call('api', { path: '/api/v1/me' });
    if (!who.ok) return;
    me = who.value.body.user;
    el.hidden = false;
    approvalDays = p.value.body.approval_days;
    fill(policy, p.value.body.retention.map((rule) => h('li', { 'data-rule': rule.id },
      t('rt.rule', { who: label('role', rule.who), months: rule.months_without_contact }), ' ', h('span', { class: 'hint' }, `(${rule.id}, ${p.value.body.rules})`))),
    h('li', { class: 'hint' }, t('rt.policyHow', { days: approvalDays })));
    // The latest run, when it still waits for its approval or is under way.
    const runs = await app.call('api', { path: '/api/v1/retention/runs?limit=1' });
    const last = runs.ok ? runs.value.body.runs[0] : null;
    if (last && (last.state === 'proposed' || last.state === 'running')) {
      const r = await app.call('api', { path: `/api/v1/retention/runs/${last.id}` });
      if (!r.ok) return;
      show(r.value.body);
      if (r.value.body.state === 'running') follow(last.id);
    }
  })();
  return el;
}
