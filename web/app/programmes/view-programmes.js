// Programmes (docs/PROGRAMMES.md; docs/USER-GUIDE.md "Programmes"): the list of programmes with
// a form for a new one, and a programme's page — its facts, its form, its campaigns and the
// form for a new campaign (budget and currency, period, objectives, KPI targets by AMEC stage,
// markets, product category and the condition a restricted one needs attested: promotions.js,
// store). Read from the server (GET /api/v1/programmes, /api/v1/campaigns?programme=<id>): the
// workspace needs the network.
import { h, fill } from '../common/dom.js';
import { t, formatNumber } from '../common/i18n.js';
import { refs } from '../central/refs.js';
import {
  entityForm, factsOrForm, opener, offlineOr, money, period, textField, dateField, refField, currencyField, moneyField, countriesField,
} from './forms.js';
import { targetsField, targetsList } from './targets.js';
import { csvImport } from './imports.js';
import { promotionFields } from './promotions.js';

const enc = encodeURIComponent;
const PAGE = 200;

function programmeFields(app) {
  const currency = currencyField();
  return [textField('name', { required: true }), refField(app, 'brand', 'brands'), refField(app, 'region', 'regions'),
    dateField('starts'), dateField('ends'), moneyField('budget', currency), currency, textField('objectives', { long: true })];
}

export function campaignFields(app) {
  const currency = currencyField();
  return [textField('name', { required: true }), dateField('starts'), dateField('ends'), moneyField('budget', currency), currency,
    refField(app, 'brand', 'brands'), refField(app, 'region', 'regions'), refField(app, 'store', 'stores'),
    ...promotionFields(app), countriesField('markets'), textField('objectives', { long: true }), targetsField('targets', currency)];
}

// Names of brands, regions and stores by id, filled in as the lists arrive; `draw` again then.
export function placeNames(app, draw) {
  const names = {};
  for (const c of ['brands', 'regions', 'stores'])
    refs(app, c).then((r) => { if (r.ok) { for (const x of r.value) names[x.id] = x.name; draw(); } });
  return names;
}

export function programmesView(app) {
  let page = null;
  const status = h('p', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'pg-count' });
  const errorBox = h('div', { class: 'error', role: 'alert', hidden: true });
  const table = h('table', { class: 'grid', 'data-testid': 'pg-table' });
  const names = placeNames(app, () => draw());
  const { button, box } = opener(t('pg.newProgramme'), 'pg-new', () => entityForm(app, {
    path: '/api/v1/programmes', entity: null, fields: programmeFields(app), testid: 'programme-form',
    onSaved: (id) => app.navigate(`/central/programme/${id}`),
  }));
  async function load() {
    const r = await app.call('api', { path: `/api/v1/programmes?limit=${PAGE}` });
    if (!r.ok) { errorBox.hidden = false; errorBox.textContent = offlineOr(app, r); return; }
    errorBox.hidden = true;
    page = r.value.body;
    draw();
  }
  function draw() {
    if (!page) return;
    status.textContent = page.items.length ? t('pg.programmes', { n: formatNumber(page.items.length) }) : t('pg.noProgramme');
    const head = h('tr', {}, ['name', 'brand', 'region', 'period', 'budget'].map((k) => h('th', { scope: 'col' }, t(`pg.col.${k}`))));
    fill(table, h('thead', {}, head), h('tbody', {}, page.items.map((p) => h('tr', { 'data-id': p.id },
      h('td', {}, h('a', { href: `#/central/programme/${p.id}` }, p.name)),
      h('td', {}, names[p.brand] || '—'), h('td', {}, names[p.region] || '—'), h('td', {}, period(p)),
      h('td', { class: 'num' }, money(p.budget, p.currency))))));
  }
  load();
  const el = h('section', { class: 'workspace', 'aria-labelledby': 'pg-h' },
    h('h1', { id: 'pg-h' }, t('pg.title')), h('div', { class: 'actions' }, button), box, status, errorBox,
    h('div', { class: 'table-scroll' }, table), csvImport(app, 'or', () => {}));
  return { el, refresh: () => {} };
}

export function programmeView(app, route) {
  const id = route.id;
  let programme = null, campaigns = null, editing = false;
  const title = h('h1', { id: 'pgp-h' }, t('pg.title'));
  const errorBox = h('div', { class: 'error', role: 'alert', hidden: true });
  const facts = h('section', { 'data-testid': 'pg-facts' });
  const table = h('table', { class: 'grid', 'data-testid': 'pg-campaigns' });
  const names = placeNames(app, () => draw());
  const { button, box } = opener(t('pg.newCampaign'), 'cp-new', () => entityForm(app, {
    path: '/api/v1/campaigns', entity: null, fields: campaignFields(app), testid: 'campaign-form',
    // A campaign of the programme, in its brand and region unless the form says otherwise.
    extra: () => ({ programme: id, ...(programme.brand ? { brand: programme.brand } : {}), ...(programme.region ? { region: programme.region } : {}) }),
    onSaved: (cid) => app.navigate(`/central/campaign/${cid}`),
  }));
  async function load() {
    const [p, c] = await Promise.all([
      app.call('api', { path: `/api/v1/programmes/${enc(id)}` }),
      app.call('api', { path: `/api/v1/campaigns?programme=${enc(id)}&limit=${PAGE}` }),
    ]);
    const bad = [p, c].find((r) => !r.ok);
    if (bad) { errorBox.hidden = false; errorBox.textContent = offlineOr(app, bad); return; }
    errorBox.hidden = true;
    programme = p.value.body;
    campaigns = c.value.body.items;
    draw();
  }
  function draw() {
    if (!programme) return;
    title.textContent = programme.name;
    factsOrForm(facts, editing, () => [h('dl', { class: 'facts' },
          h('dt', {}, t('pg.col.brand')), h('dd', {}, names[programme.brand] || '—'),
          h('dt', {}, t('pg.col.region')), h('dd', {}, names[programme.region] || '—'),
          h('dt', {}, t('pg.col.period')), h('dd', {}, period(programme)),
          h('dt', {}, t('pg.col.budget')), h('dd', { 'data-testid': 'pg-budget' }, money(programme.budget, programme.currency)),
          h('dt', {}, t('pg.f.objectives')), h('dd', {}, programme.objectives || '—')),
        h('button', { type: 'button', class: 'secondary', 'data-testid': 'pg-edit', onclick: () => { editing = true; draw(); } }, t('pg.edit'))],
      () => entityForm(app, { path: '/api/v1/programmes', entity: programme, fields: programmeFields(app), testid: 'programme-form', onSaved: () => { editing = false; load(); } }));
    const head = h('tr', {}, ['name', 'period', 'store', 'budget', 'markets', 'targets'].map((k) => h('th', { scope: 'col' }, t(`pg.col.${k}`))));
    fill(table, h('caption', {}, t('pg.campaigns', { n: formatNumber(campaigns.length) })), h('thead', {}, head),
      h('tbody', {}, campaigns.map((c) => h('tr', { 'data-id': c.id },
        h('td', {}, h('a', { href: `#/central/campaign/${c.id}` }, c.name)), h('td', {}, period(c)),
        h('td', {}, names[c.store] || '—'), h('td', { class: 'num' }, money(c.budget, c.currency)),
        h('td', {}, (c.markets || []).join(', ') || '—'), h('td', {}, targetsList(c))))));
  }
  load();
  const el = h('section', { class: 'workspace', 'aria-labelledby': 'pgp-h' },
    h('p', {}, h('a', { href: '#/central/programmes' }, t('pg.back')), ' · ',
      h('a', { href: `#/reports/amec?programme=${enc(id)}`, 'data-testid': 'pg-report' }, t('pg.report'))), title, errorBox, facts,
    h('h2', {}, t('pg.campaignsTitle')), h('div', { class: 'actions' }, button), box, h('div', { class: 'table-scroll' }, table));
  return { el, refresh: () => {} };
}
