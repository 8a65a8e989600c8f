// The reports' home (#/reports): every report with what it shows, and the dashboards — the
// AMEC report of each programme and each campaign the user can read (the server's lists for the
// central team, the campaigns this device holds for everyone else).
import { h, fill } from '../common/dom.js';
import { t } from '../common/i18n.js';
import { REPORTS, viewPath, sourceFor } from './model.js';
import { filterLists } from './lists.js';

export function indexView(app) {
  const source = sourceFor(app.status && app.status.user && app.status.user.role);
  const dashboards = h('div', { 'data-testid': 'rp-dashboards', 'aria-busy': 'true' }, h('p', { class: 'loading', role: 'status' }, t('rp.loading')));
  let gone = false;
  filterLists(app, source).then((l) => {
    if (gone) return;
    dashboards.setAttribute('aria-busy', 'false');
    const list = (items, key, none) => (items.length
      ? h('ul', { class: 'rp-list' }, items.map((x) => h('li', { 'data-id': x.id },
        h('a', { href: `#${viewPath('amec', { [key]: x.id })}` }, x.name || x.id))))
      : h('p', { class: 'hint' }, t(none)));
    fill(dashboards,
      h('h2', {}, t('rp.campaignDash')), list(l.campaigns, 'campaign', 'rp.noCampaigns'),
      h('h2', {}, t('rp.programmeDash')), list(l.programmes, 'programme', 'rp.noProgrammes'));
  });
  const el = h('section', { class: 'workspace rp', 'aria-labelledby': 'rpi-h', 'data-testid': 'rp-index' },
    h('h1', { id: 'rpi-h' }, t('rp.title')), h('p', {}, t('rp.intro')),
    h('p', { class: 'rp-source', 'data-source': source }, t(`rp.source.${source}`)),
    h('ul', { class: 'rp-list' }, REPORTS.map((r) => h('li', {},
      h('a', { href: `#${viewPath(r, {})}`, 'data-testid': `rp-open-${r}` }, t(`rp.name.${r}`)), ' — ', t(`rp.about.${r}`)))),
    dashboards);
  return { el, dispose: () => { gone = true; } };
}
