// The central workspace (docs/WORKSPACE.md): the screens of the central team, regional managers
// and administrators, laid out for a laptop. Loaded on demand (web/tools/bundle-app.mjs): a
// store tablet never downloads it unless someone opens it there.
//
// Routes (#/central/<screen>[/<id>][?query]): '' the directory; each screen of the workspace
// is one entry of SCREENS, drawn under the workspace's own tabs.
import './words.js';
import './words-person.js';
import './words-duplicates.js';
import './words-events.js';
import { h } from '../common/dom.js';
import { t } from '../common/i18n.js';
import { directoryView } from './view-directory.js';
import { personView } from './view-person.js';
import { mineView, followUpsView, handoverView } from './view-owners.js';
import { duplicatesView } from './view-duplicates.js';
import { eventsView, eventView } from './view-events.js';
import { lazyView } from '../common/lazy.js';

// The programmes room (web/app/programmes/, docs/PROGRAMMES.md) is a room of its own, loaded
// when one of its screens is first opened.
const programmes = (name) => lazyView(() => import('../programmes/room.js'), (room) => room[name]);
// So is the compliance room (web/app/compliance/, docs/COMPLIANCE.md).
const compliance = (name) => lazyView(() => import('../compliance/room.js'), (room) => room[name]);

// screen -> [tab's words key or null (no tab), view(app, route)]
const SCREENS = {
  '': ['ws.tab.directory', directoryView],
  mine: ['ws.tab.mine', mineView],
  'follow-ups': ['ws.tab.followUps', followUpsView],
  handover: ['ws.tab.handover', handoverView],
  // The directory, filtered to top-tier and expert people with no owner (bulk assignment there).
  'no-owner': ['ws.tab.noOwner', (app, route) => directoryView(app, { ...route, query: 'tier=top,expert&owner=none' })],
  person: [null, personView],
  duplicates: ['ws.tab.duplicates', duplicatesView],
  events: ['ws.tab.events', eventsView],
  event: [null, eventView],
  programmes: ['ws.tab.programmes', programmes('programmesView')],
  programme: [null, programmes('programmeView')],
  campaign: [null, programmes('campaignView')],
  collaboration: [null, programmes('collaborationView')],
  compliance: ['ws.tab.compliance', compliance('complianceView')],
};

export function centralView(app, route) {
  const [, view] = SCREENS[route.sub] || SCREENS[''];
  const inner = view(app, route);
  const tabs = h('nav', { class: 'ws-tabs', 'aria-label': t('ws.tabs') },
    Object.entries(SCREENS).filter(([, [key]]) => key).map(([sub, [key]]) =>
      h('a', { href: `#/central${sub ? `/${sub}` : ''}`, 'aria-current': sub === (SCREENS[route.sub] ? route.sub : '') ? 'page' : null }, t(key))));
  return { ...inner, el: h('div', {}, tabs, inner.el) };
}
