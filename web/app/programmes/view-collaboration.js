// A collaboration's page (docs/USER-GUIDE.md "Programmes"): its fields (editable), its pipeline
// — status, the moves offered, the trail of steps with their flags (P4, P5; GET
// /api/v1/collaborations/<id>/pipeline) —, its content with "Log a post" and each post's
// disclosure check (disclosure-check.js), and its tracked link
// (/l/<code>, copied to the clipboard). Also the collaboration's fields and person picker that
// the campaign's "New collaboration" form uses.
import { h, fill, field } from '../common/dom.js';
import { t, label, formatNumber, formatDateTime } from '../common/i18n.js';
import { CHOICES } from '../common/choices.js';
import { personSearch } from '../central/person-search.js';
import {
  entityForm, factsOrForm, opener, offlineOr, money, period, textField, dateField, timeField, intField, boolField, choiceField,
  currencyField, moneyField, countriesField, datedItemsField, refsSetField,
} from './forms.js';
import { disclosureCell } from './disclosure-check.js';

const enc = encodeURIComponent;
const TYPES = CHOICES['collaboration.type'];
const CONTRACT = CHOICES['collaboration.contract_status'];
// What is shipped (gifts, seeding, loans) and what comes back (loans).
const SHIPPED_TYPES = ['gifted', 'loan', 'seeding'];

// A card's flags: P4 flagged moves, P5 out of step (docs/PROGRAMMES.md).
export function flags(item) {
  return [
    item.flagged ? h('span', { class: 'badge warn', 'data-testid': 'flagged' }, t('pg.flagged', { n: formatNumber(item.flagged) })) : null,
    item.out_of_step ? h('span', { class: 'badge bad', 'data-testid': 'out-of-step' }, t('pg.outOfStep')) : null,
  ];
}

// One button per move `next` offers (POST …/moves); done(reply or undefined) after each. A
// move the vetting gate refuses (docs/COMPLIANCE.md, "Vetting") says why; the central team
// may then give a reason and override it, the reason recorded on the collaboration. `gate`: the
// element that says so, kept by a page that redraws its buttons on every refresh (a sync), so
// that the refusal and the reason being typed survive it.
export function moveGate() { return h('div', { class: 'gate', 'data-testid': 'move-gate', hidden: true }); }
export function moveButtons(app, id, next, done, gate = moveGate()) {
  const central = ['central', 'admin'].includes(app.status && app.status.user && app.status.user.role);
  async function move(to, override, button) {
    button.disabled = true;
    const body = override ? { to, override_reason: override } : { to };
    const r = await app.call('api', { method: 'POST', path: `/api/v1/collaborations/${enc(id)}/moves`, body });
    button.disabled = false;
    if (!r.ok) {
      const vetting = r.code === 'conflict' && /vetting/.test(r.message || '');
      if (!vetting) { app.toast(offlineOr(app, r)); done(); return; }
      showGate(to, r.message);
      return;
    }
    gate.hidden = true;
    fill(gate);
    app.toast(t('pg.moved', { status: label('pg.status', to) }));
    done(r.value.body);
  }
  function showGate(to, why) {
    const reason = h('textarea', { rows: 2, maxlength: 2000, 'data-testid': 'override-reason' });
    const go = h('button', { type: 'button', class: 'small', 'data-testid': `override-${to}`, onclick: () => {
      if (!reason.value.trim()) { reason.focus(); return; }
      move(to, reason.value.trim(), go);
    } }, t('pg.override', { status: label('pg.status', to) }));
    gate.hidden = false;
    fill(gate, h('p', { class: 'error', role: 'alert', 'data-testid': 'gate-why' }, t('pg.gated', { why })),
      central ? [field(t('pg.overrideReason'), reason), go] : h('p', {}, t('pg.gateCentral')));
  }
  const buttons = next.map((to) => {
    const b = h('button', {
      type: 'button', class: to === 'cancelled' ? 'secondary small' : 'small', 'data-testid': `move-${to}`,
      onclick: () => move(to, '', b),
    }, t('pg.moveTo', { status: label('pg.status', to) }));
    return b;
  });
  return [...buttons, gate];
}

export function collaborationFields(app) {
  const currency = currencyField();
  return [choiceField('type', TYPES, 'pg.type'), moneyField('fee', currency), moneyField('in_kind_value', currency), currency,
    textField('product'), dateField('starts'), dateField('ends'), textField('promo_code'),
    choiceField('contract_status', CONTRACT, 'pg.contract'), dateField('contract_date'), textField('contract_ref'),
    textField('intermediary'), boolField('disclosure_required'), countriesField('markets'),
    textField('deliverables', { long: true }), datedItemsField('deliverables_due'),
    dateField('shipped'), textField('tracking'), dateField('return_due'), dateField('returned')];
}

// The fields in groups; the shipment shown for gifts, seeding and loans, the return for loans.
export function collaborationLayout(f) {
  const shipment = h('fieldset', { class: 'person-grid', 'data-testid': 'shipment' }, h('legend', {}, t('pg.shipment')), f.shipped.wrap, f.tracking.wrap);
  const back = h('fieldset', { class: 'person-grid', 'data-testid': 'loan-return' }, h('legend', {}, t('pg.loanReturn')), f.return_due.wrap, f.returned.wrap);
  const sync = () => { shipment.hidden = !SHIPPED_TYPES.includes(f.type.el.value); back.hidden = f.type.el.value !== 'loan'; };
  f.type.el.addEventListener('change', sync);
  sync();
  const rest = Object.values(f).filter((x) => !['influencer', 'shipped', 'tracking', 'return_due', 'returned', 'deliverables', 'deliverables_due'].includes(x.name));
  return [f.influencer ? f.influencer.wrap : null, h('div', { class: 'person-grid' }, rest.map((x) => x.wrap)), f.deliverables.wrap, f.deliverables_due.wrap, shipment, back];
}

// The person of a new collaboration, found by name, handle or e-mail (the directory's search).
export function personPicker(app) {
  const p = personSearch(app, {
    testid: 'co-person', chosenTestid: 'co-person', errorText: (r) => offlineOr(app, r),
    words: (key, name) => t(key === 'chosen' ? 'pg.personChosen' : 'pg.choosePerson', { name }),
  });
  p.el.dataset.field = 'influencer';
  return { name: 'influencer', el: p.el, wrap: h('div', {}, field(t('pg.f.influencer'), p.el), p.hits, p.chosen), get: p.get, show: () => {} };
}

function contentFields(app) {
  const f = [textField('url', { type: 'url', required: true }), choiceField('platform', CHOICES['content.platform'], 'pg.platform', { empty: false }),
    timeField('published_at'), textField('handle'),
    ...['impressions', 'reach', 'likes', 'comments', 'shares', 'saves', 'video_views', 'engagements'].map(intField),
    choiceField('tone', CHOICES['interaction.tone'], 'tone'), boolField('disclosure_found'), textField('disclosure_proof', { type: 'url' }),
    refsSetField(app, 'brands_mentioned', 'brands')];
  f.find((x) => x.name === 'platform').show({});
  f.find((x) => x.name === 'brands_mentioned').show({});
  return f;
}

export function collaborationView(app, route) {
  const id = route.id;
  const base = `/api/v1/collaborations/${enc(id)}`;
  let co = null, pipeline = null, content = [], link = null, person = null, campaign = null, editing = false;
  const title = h('h1', { id: 'cop-h' }, t('pg.collaboration'));
  const back = h('p', {});
  const errorBox = h('div', { class: 'error', role: 'alert', hidden: true });
  const facts = h('section', { 'data-testid': 'co-facts' });
  const pipeBox = h('section', { 'aria-labelledby': 'cop-pipe', 'data-testid': 'co-pipeline' });
  const gate = moveGate();
  const contentBox = h('section', { 'aria-labelledby': 'cop-content', 'data-testid': 'co-content' });
  const linkBox = h('section', { 'aria-labelledby': 'cop-link', 'data-testid': 'co-link' });
  const { button: logButton, box: logBox } = opener(t('pg.logPost'), 'ct-new', (close) => entityForm(app, {
    path: '/api/v1/content', entity: null, fields: contentFields(app), testid: 'content-form',
    // Linked to its collaboration, its campaign and the collaboration's scope keys.
    extra: () => ({ influencer: co.influencer, collaboration: id, ...(co.campaign ? { campaign: co.campaign } : {}),
      ...Object.fromEntries(['brand', 'region', 'store'].filter((k) => co[k]).map((k) => [k, co[k]])) }),
    onSaved: () => { close(); load(); },
  }));

  async function load() {
    const [c, p, ct, l] = await Promise.all([
      app.call('api', { path: base }),
      app.call('api', { path: `${base}/pipeline` }),
      app.call('api', { path: `/api/v1/content?collaboration=${enc(id)}&limit=200` }),
      app.call('api', { path: `/api/v1/tracked-links?collaboration=${enc(id)}&limit=10` }),
    ]);
    const bad = [c, p, ct, l].find((r) => !r.ok);
    if (bad) { errorBox.hidden = false; errorBox.textContent = offlineOr(app, bad); return; }
    errorBox.hidden = true;
    co = c.value.body;
    pipeline = p.value.body;
    content = ct.value.body.items;
    link = l.value.body.items.find((x) => x.id === co.link) || l.value.body.items[0] || null;
    if (!person || person.id !== co.influencer) {
      const r = await app.call('api', { path: `/api/v1/influencers/${enc(co.influencer)}` });
      // The influencer's card: {influencer: {id, name, …}, …}.
      person = r.ok && r.value.body.influencer ? r.value.body.influencer : { id: co.influencer, name: co.influencer };
    }
    if (co.campaign && (!campaign || campaign.id !== co.campaign)) {
      const r = await app.call('api', { path: `/api/v1/campaigns/${enc(co.campaign)}` });
      campaign = r.ok ? r.value.body : null;
    }
    draw();
  }
  function draw() {
    title.textContent = t('pg.collabTitle', { name: person.name, type: label('pg.type', co.type) });
    fill(back, campaign ? h('a', { href: `#/central/campaign/${campaign.id}` }, t('pg.backCampaign', { name: campaign.name })) : h('a', { href: '#/central/programmes' }, t('pg.back')));
    factsOrForm(facts, editing, () => [h('dl', { class: 'facts' },
          h('dt', {}, t('pg.f.influencer')), h('dd', {}, h('a', { href: `#/central/person/${person.id}` }, person.name)),
          h('dt', {}, t('pg.col.period')), h('dd', {}, period(co)),
          h('dt', {}, t('pg.f.fee')), h('dd', { 'data-testid': 'co-fee' }, money(co.fee, co.currency)),
          h('dt', {}, t('pg.f.in_kind_value')), h('dd', {}, money(co.in_kind_value, co.currency)),
          co.product ? [h('dt', {}, t('pg.f.product')), h('dd', {}, co.product)] : null,
          h('dt', {}, t('pg.f.contract_status')), h('dd', {}, co.contract_status ? label('pg.contract', co.contract_status) : '—', co.contract_date ? ` · ${co.contract_date}` : ''),
          co.promo_code ? [h('dt', {}, t('pg.f.promo_code')), h('dd', {}, co.promo_code)] : null,
          co.intermediary ? [h('dt', {}, t('pg.f.intermediary')), h('dd', {}, co.intermediary)] : null,
          (co.deliverables_due || []).length ? [h('dt', {}, t('pg.f.deliverables_due')), h('dd', {}, h('ul', { class: 'plain' }, co.deliverables_due.map((d) => h('li', {}, d))))] : null,
          co.shipped ? [h('dt', {}, t('pg.f.shipped')), h('dd', {}, co.shipped, co.tracking ? ` · ${co.tracking}` : '')] : null,
          co.return_due ? [h('dt', {}, t('pg.f.return_due')), h('dd', {}, co.return_due, co.returned ? ` · ${t('pg.returnedOn', { date: co.returned })}` : '')] : null),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'co-edit', onclick: () => { editing = true; draw(); } }, t('pg.edit'))],
      () => entityForm(app, { path: '/api/v1/collaborations', entity: co, fields: collaborationFields(app), layout: collaborationLayout, testid: 'collaboration-form', onSaved: () => { editing = false; load(); } }));
    drawPipeline();
    drawContent();
    drawLink();
  }
  function drawPipeline() {
    pipeBox.dataset.status = pipeline.status;
    const rows = pipeline.steps.map((s) => h('tr', { 'data-flag': s.flag || null },
      h('td', {}, formatDateTime(s.at)), h('td', {}, s.from ? label('pg.status', s.from) : '—', ' → ', label('pg.status', s.to)),
      h('td', {}, s.note || ''), h('td', {}, s.flag ? h('span', { class: 'badge warn' }, label('pg.flag', s.flag)) : '')));
    fill(pipeBox, h('h2', { id: 'cop-pipe' }, t('pg.pipeline')),
      h('p', { 'data-testid': 'co-status' }, t('pg.statusIs', { status: label('pg.status', pipeline.status) }), ' ', flags(pipeline)),
      h('div', { class: 'actions' }, moveButtons(app, id, pipeline.next || [], () => load(), gate)),
      h('div', { class: 'table-scroll' }, h('table', { class: 'grid', 'data-testid': 'co-trail' },
        h('caption', {}, t('pg.trail')),
        h('thead', {}, h('tr', {}, ['at', 'move', 'note', 'flag'].map((k) => h('th', { scope: 'col' }, t(`pg.col.${k}`))))),
        h('tbody', {}, rows))));
  }
  function drawContent() {
    // A disclosure check being typed survives a refresh (a sync); it redraws once recorded.
    if (contentBox.querySelector('[data-testid="dc-form"]')) return;
    const rows = content.map((c) => h('tr', { 'data-id': c.id },
      h('td', {}, c.published_at ? formatDateTime(c.published_at) : '—'), h('td', {}, label('pg.platform', c.platform)),
      h('td', {}, c.url), // shown, never made a link: it is what someone typed
      h('td', { class: 'num' }, c.reach == null ? '—' : formatNumber(c.reach)),
      h('td', { class: 'num' }, c.engagements == null ? '—' : formatNumber(c.engagements)),
      disclosureCell(app, c, () => load())));
    fill(contentBox, h('h2', { id: 'cop-content' }, t('pg.content')),
      h('div', { class: 'actions' }, logButton), logBox,
      content.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'grid', 'data-testid': 'co-posts' },
        h('thead', {}, h('tr', {}, ['published', 'platform', 'url', 'reach', 'engagements', 'disclosure'].map((k) => h('th', { scope: 'col' }, t(`pg.col.${k}`))))),
        h('tbody', {}, rows))) : h('p', { class: 'hint' }, t('pg.noContent')));
  }
  function drawLink() {
    if (linkBox.contains(document.activeElement) && document.activeElement.tagName === 'INPUT') return;
    if (link) {
      const url = `${location.origin}/l/${link.code}`;
      const copy = h('button', { type: 'button', class: 'secondary', 'data-testid': 'link-copy', onclick: async () => {
        try { await navigator.clipboard.writeText(url); app.toast(t('pg.copied')); } catch { app.toast(t('pg.copyFailed')); }
      } }, t('pg.copy'));
      fill(linkBox, h('h2', { id: 'cop-link' }, t('pg.link')),
        h('p', {}, h('code', { 'data-testid': 'link-url' }, url), ' ', copy), h('p', { class: 'hint' }, t('pg.linkTarget', { target: link.target })));
      return;
    }
    const target = h('input', { type: 'url', placeholder: 'https://', 'data-testid': 'link-target' });
    const msg = h('p', { 'aria-live': 'polite' });
    async function create(e) {
      e.preventDefault();
      const body = { target: target.value.trim(), influencer: co.influencer, collaboration: id,
        ...Object.fromEntries(['campaign', 'brand', 'region', 'store'].filter((k) => co[k]).map((k) => [k, co[k]])) };
      // The server allocates the link's code (docs/PROGRAMMES.md, "Links and conversions").
      const r = await app.call('api', { method: 'POST', path: '/api/v1/tracked-links', body });
      if (!r.ok) { msg.textContent = offlineOr(app, r); return; }
      const p = await app.call('api', { method: 'PATCH', path: base, body: { link: r.value.body.id } });
      if (!p.ok) { msg.textContent = offlineOr(app, p); return; }
      load();
    }
    fill(linkBox, h('h2', { id: 'cop-link' }, t('pg.link')),
      h('form', { class: 'inline-form', 'data-testid': 'link-form', onsubmit: create }, field(t('pg.linkTargetField'), target),
        h('button', { type: 'submit', 'data-testid': 'link-create' }, t('pg.linkCreate'))), msg);
  }
  load();
  const el = h('section', { class: 'workspace', 'aria-labelledby': 'cop-h' }, back, title, errorBox, facts, pipeBox, contentBox, linkBox);
  return { el, refresh: () => load() };
}
