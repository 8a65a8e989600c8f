// A screen of a room loaded on demand (web/tools/bundle-app.mjs): "Loading…" until its module
// is there, then the screen itself, unless the person has gone elsewhere meanwhile. Used by the
// app's router for whole rooms (the central workspace, administration) and by the workspace for
// its own rooms (programmes).
import { h, fill } from './dom.js';
import { t } from './i18n.js';

export function lazyView(load, pick) {
  return (appRef, route) => {
    const holder = h('div', {}, h('p', { class: 'loading', role: 'status' }, t('ws.loading')));
    let inner = null, gone = false;
    load().then((room) => {
      if (gone) return;
      inner = pick(room, route)(appRef, route);
      fill(holder, inner.el);
      const focusTarget = holder.querySelector('[autofocus]') || holder.querySelector('h1');
      if (focusTarget) { focusTarget.setAttribute('tabindex', '-1'); focusTarget.focus({ preventScroll: true }); }
    }, (e) => {
      if (!gone) fill(holder, h('p', { class: 'error', role: 'alert' }, t('ws.loadFailed', { message: e.message || String(e) })));
    });
    return {
      el: holder,
      refresh: () => inner && inner.refresh && inner.refresh(),
      dispose: () => { gone = true; if (inner && inner.dispose) inner.dispose(); },
    };
  };
}
