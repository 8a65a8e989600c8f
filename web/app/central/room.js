// The central workspace (docs/WORKSPACE.md): the screens of the central team, regional managers
// and administrators, laid out for a laptop. Loaded on demand (web/tools/bundle-app.mjs): a
// store tablet never downloads it unless someone opens it there.
//
// Routes (#/central/<screen>[/<id>][?query]): '' the directory; each screen of the workspace
// is one entry of SCREENS, drawn under the workspace's own tabs.
import './words.js';
import './words-duplicates.js';
import { h } from '../common/dom.js';
import { t } from '../common/i18n.js';
import { directoryView } from './view-directory.js';
import { duplicatesView } from './view-duplicates.js';

// screen -> [tab's words key or null (no tab), view(app, route)]
const SCREENS = {
  '': ['ws.tab.directory', directoryView],
  duplicates: ['ws.tab.duplicates', duplicatesView],
};

export function centralView(app, route) {
  const [, view] = SCREENS[route.sub] || SCREENS[''];
  const inner = view(app, route);
  const tabs = h('nav', { class: 'ws-tabs', 'aria-label': t('ws.tabs') },
    Object.entries(SCREENS).filter(([, [key]]) => key).map(([sub, [key]]) =>
      h('a', { href: `#/central${sub ? `/${sub}` : ''}`, 'aria-current': sub === (SCREENS[route.sub] ? route.sub : '') ? 'page' : null }, t(key))));
  return { ...inner, el: h('div', {}, tabs, inner.el) };
}
