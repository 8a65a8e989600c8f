// A campaign's page (docs/USER-GUIDE.md "Programmes"): its facts and form, and its board — one
// column per pipeline status, a card per collaboration (person × type, fee and in-kind value
// with their currency, the moves offered from its status, its flags: P4 flagged moves, P5 out
// of step; docs/PROGRAMMES.md) — from GET /api/v1/campaigns/<id>/board; a move is
// POST /api/v1/collaborations/<id>/moves. Below, the form for a new collaboration, its person
// found by name as the events room invites one.
import { h, fill, field } from '../common/dom.js';
import { t, label, formatNumber } from '../common/i18n.js';
import { entityForm, factsOrForm, opener, offlineOr, money, period } from './forms.js';
import { campaignFields, placeNames } from './view-programmes.js';
import { collaborationFields, collaborationLayout, personPicker, flags, moveButtons } from './view-collaboration.js';
import { targetsList } from './targets.js';
import { csvImport } from './imports.js';
import { conditionName } from './promotions.js';

const enc = encodeURIComponent;

// "EUR 1,234.00 · USD 50.00": a total per currency.
function totals(byCurrency) {
  const parts = Object.entries(byCurrency || {}).map(([cur, minor]) => money(minor, cur));
  return parts.length ? parts.join(' · ') : '—';
}

// The campaign's tracked links with what they brought: clicks, orders and their value per
// currency (GET /api/v1/tracked-links, /clicks and /conversions of the campaign; at most 500
// of each are read, which the hint says when reached).
function linksBox(app, id) {
  const box = h('section', { 'aria-labelledby': 'cpl-h', 'data-testid': 'cp-links' });
  async function load() {
    const get = (what) => app.call('api', { path: `/api/v1/${what}?campaign=${enc(id)}&limit=500` });
    const [links, clicks, orders] = await Promise.all([get('tracked-links'), get('clicks'), get('conversions')]);
    const failed = [links, clicks, orders].find((r) => !r.ok);
    if (failed) { fill(box, h('h2', { id: 'cpl-h' }, t('pg.links')), h('p', { class: 'error' }, offlineOr(app, failed))); return; }
    const count = (items, key) => items.reduce((m, x) => (x[key] ? m.set(x[key], (m.get(x[key]) || 0) + 1) : m), new Map());
    const clicksOf = count(clicks.value.body.items, 'link');
    const ordersOf = count(orders.value.body.items, 'link');
    const value = new Map();  // link -> currency -> minor units
    for (const o of orders.value.body.items) {
      if (!o.link) continue;
      const per = value.get(o.link) || {};
      per[o.currency] = (per[o.currency] || 0) + o.value;
      value.set(o.link, per);
    }
    const capped = [links, clicks, orders].some((r) => r.value.body.next_offset != null);
    const rows = links.value.body.items.map((l) => h('tr', { 'data-id': l.id },
      h('td', {}, h('code', {}, `/l/${l.code}`)), h('td', {}, l.target),
      h('td', { class: 'num', 'data-testid': 'cp-link-clicks' }, formatNumber(clicksOf.get(l.id) || 0)),
      h('td', { class: 'num', 'data-testid': 'cp-link-orders' }, formatNumber(ordersOf.get(l.id) || 0)),
      h('td', { class: 'num' }, totals(value.get(l.id)))));
    fill(box, h('h2', { id: 'cpl-h' }, t('pg.links')),
      rows.length ? h('div', { class: 'table-scroll' }, h('table', { class: 'grid' },
        h('thead', {}, h('tr', {}, ['link', 'target', 'clicks', 'orders', 'revenue'].map((k) => h('th', { scope: 'col' }, t(`pg.lcol.${k}`))))),
        h('tbody', {}, rows))) : h('p', { class: 'hint' }, t('pg.noLinks')),
      capped ? h('p', { class: 'hint' }, t('pg.linksCapped')) : null);
  }
  load();
  return { box, load };
}

export function campaignView(app, route) {
  const id = route.id;
  let board = null, editing = false;
  const title = h('h1', { id: 'cpp-h' }, t('pg.campaign'));
  // Its AMEC dashboard (web/app/reports/): targets against actuals.
  const back = h('p', {}, h('a', { href: '#/central/programmes' }, t('pg.back')), ' · ',
    h('a', { href: `#/reports/amec?campaign=${enc(id)}`, 'data-testid': 'cp-report' }, t('pg.report')));
  const errorBox = h('div', { class: 'error', role: 'alert', hidden: true });
  const facts = h('section', { 'data-testid': 'cp-facts' });
  const boardBox = h('div', { class: 'board', 'data-testid': 'board' });
  const totalsLine = h('p', { 'data-testid': 'board-totals' });
  const names = placeNames(app, () => draw());
  const { button, box } = opener(t('pg.newCollaboration'), 'co-new', () => {
    const picker = personPicker(app);
    return entityForm(app, {
      path: '/api/v1/collaborations', entity: null, fields: [picker, ...collaborationFields(app)], layout: collaborationLayout, testid: 'collaboration-form',
      // A store's campaign keeps its collaborations in that store's scope (docs/PROGRAMMES.md);
      // others are where their person is (a keyless entry, docs/SYNC.md).
      extra: () => {
        const c = board.campaign;
        return { campaign: id, status: 'proposed', ...(c.store ? { store: c.store, region: c.region, brand: c.brand } : {}) };
      },
      onSaved: () => { fill(box); box.hidden = true; load(); },
    });
  });
  async function load() {
    const r = await app.call('api', { path: `/api/v1/campaigns/${enc(id)}/board` });
    if (!r.ok) { errorBox.hidden = false; errorBox.textContent = offlineOr(app, r); return; }
    errorBox.hidden = true;
    board = r.value.body;
    draw();
  }
  function draw() {
    if (!board) return;
    const c = board.campaign;
    title.textContent = c.name;
    if (c.programme) fill(back, h('a', { href: `#/central/programme/${c.programme}`, 'data-testid': 'cp-programme' }, t('pg.backProgramme')));
    factsOrForm(facts, editing, () => [h('dl', { class: 'facts' },
          h('dt', {}, t('pg.col.period')), h('dd', {}, period(c)),
          h('dt', {}, t('pg.col.budget')), h('dd', { 'data-testid': 'cp-budget' }, money(c.budget, c.currency)),
          h('dt', {}, t('pg.col.store')), h('dd', {}, names[c.store] || names[c.region] || '—'),
          h('dt', {}, t('pg.f.product_category')), h('dd', { 'data-testid': 'cp-category' }, c.product_category || '—',
            c.promotion_condition ? ` · ${t('pg.promoAttested', { condition: conditionName(c.promotion_condition) })}` : ''),
          h('dt', {}, t('pg.col.markets')), h('dd', {}, (c.markets || []).join(', ') || '—'),
          h('dt', {}, t('pg.col.targets')), h('dd', {}, targetsList(c)),
          h('dt', {}, t('pg.f.objectives')), h('dd', {}, c.objectives || '—')),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'cp-edit', onclick: () => { editing = true; draw(); } }, t('pg.edit'))],
      () => entityForm(app, { path: '/api/v1/campaigns', entity: c, fields: campaignFields(app), testid: 'campaign-form', onSaved: () => { editing = false; load(); } }));
    fill(totalsLine, t('pg.totals', { fee: totals(board.totals && board.totals.fee), inKind: totals(board.totals && board.totals.in_kind_value) }));
    if (boardBox.contains(document.activeElement) && document.activeElement.tagName !== 'BUTTON') return;
    fill(boardBox, board.statuses.map((s) => {
      const items = board.items.filter((i) => i.status === s);
      return h('section', { class: 'board-column', 'data-status': s, 'aria-label': label('pg.status', s) },
        h('h3', {}, label('pg.status', s), ' ', h('span', { class: 'hint' }, formatNumber(items.length))),
        h('ul', { class: 'plain' }, items.map((i) => {
          const co = i.collaboration;
          return h('li', { class: 'board-card', 'data-id': co.id, 'data-testid': 'board-card' },
            h('a', { href: `#/central/collaboration/${co.id}` }, i.person ? i.person.name : co.influencer),
            h('div', {}, h('span', { class: 'badge' }, label('pg.type', co.type)), ' ', flags(i)),
            co.fee != null ? h('div', {}, t('pg.feeIs', { amount: money(co.fee, co.currency) })) : null,
            co.in_kind_value != null ? h('div', {}, t('pg.inKindIs', { amount: money(co.in_kind_value, co.currency) })) : null,
            h('div', { class: 'actions' }, moveButtons(app, co.id, i.next || [], () => load())));
        })));
    }));
  }
  load();
  const links = linksBox(app, id);
  const el = h('section', { class: 'workspace', 'aria-labelledby': 'cpp-h' }, back, title, errorBox, facts,
    h('h2', {}, t('pg.board')), totalsLine, h('div', { class: 'actions' }, button), box, h('div', { class: 'board-scroll' }, boardBox),
    links.box, csvImport(app, 'ct', () => load()));
  return { el, refresh: () => { load(); links.load(); } };
}
