// The Liaison app for store and field staff: start-up, the router, the header, the sync bar.
//
// The database is not here: it lives in the host's worker (web/host/), reached through
// connect()/call() (contract in web/README.md). Every call resolves to {ok, value} or
// {ok:false, code, message}; the app shows failures in plain words and never blocks on sync.
//
// Routes (location.hash): #/signin, #/search, #/card/<id>, #/card/<id>/log,
// #/card/<id>/history, #/new,
// #/events, #/event/<id>, #/settings, #/admin[/…] (admin role: web/app/admin/),
// #/reports[/<report>?<filters>] (every role: web/app/reports/, loaded on demand). A sign-in link
// is /#signin=<one-time code> (or, from the command line, /#token=lsn_…); it is read once and
// removed from the address bar and the history.
import { connection, onBlocked } from './start.js';
import { h, fill } from './common/dom.js';
import { t, setLang, currentLang, languages, onLangFromOtherTab, formatAgo, formatNumber } from './common/i18n.js';
import { signinView } from './device/view-signin.js';
import { searchView } from './store/view-search.js';
import { cardView } from './store/view-card.js';
import { logView } from './store/view-log.js';
import { historyView } from './store/view-history.js';
import { inChargeControl } from './device/in-charge.js';
import { newView } from './store/view-new.js';
import { eventsView, eventView } from './events/view-events.js';
import { settingsView } from './device/view-settings.js';
import { refusedView } from './device/view-refused.js';
import { REASONS, refusalText } from './common/refusal.js';
import { lazyView } from './common/lazy.js';

const main = document.getElementById('main');
const top = document.getElementById('top');
const syncbar = document.getElementById('syncbar');
const toastEl = document.getElementById('toast');

const app = {
  liaison: null,
  status: null,       // last value of the 'status' call
  view: null,         // {el, refresh?(), dispose?()} of the current screen

  navigate(path) {
    if (location.hash === `#${path}`) render();
    else location.hash = path;
  },

  toast(text) {
    toastEl.textContent = text;
    toastEl.classList.add('show');
    clearTimeout(toastEl.timer);
    toastEl.timer = setTimeout(() => toastEl.classList.remove('show'), 3500);
  },

  // Plain words for a failed call.
  errorText(r) {
    const code = r && r.code;
    if (['network', 'unauthorized', 'not_signed_in', 'not_found', 'forbidden', 'rate_limited', 'upgrade_required'].includes(code)) return t(`err.${code}`);
    // A refused value: named in words when the façade says which field (refusal.js); the
    // core's own message (English) only when it does not.
    if (r && r.field && REASONS.includes(code)) return refusalText(r.field, code);
    if (REASONS.includes(code)) return t('err.invalid_argument', { message: r.message || '' });
    return t('err.other', { message: (r && (r.message || r.code)) || '?' });
  },

  async call(method, args) {
    const r = await app.liaison.call(method, args);
    if (!r.ok && r.code === 'not_signed_in') { await app.refreshStatus(); app.navigate('/signin'); }
    return r;
  },

  async refreshStatus() {
    const r = await app.liaison.call('status');
    if (r.ok) onStatus(r.value);
    return r;
  },
};

// ---------------------------------------------------------------------------------------
// Header and sync bar

function renderHeader() {
  const signedIn = !!(app.status && app.status.signedIn);
  top.hidden = false;
  const route = currentRoute().name;
  const link = (path, key, names) => h('a', { href: `#${path}`, 'aria-current': names.includes(route) ? 'page' : null }, t(key));
  fill(document.getElementById('nav'), signedIn ? [
    isCentral() ? link('/central', 'nav.workspace', ['central']) : null,
    link('/search', 'nav.search', ['search', 'card', 'log', 'history']),
    link('/new', 'nav.new', ['new']),
    link('/events', 'nav.events', ['events', 'event']),
    link('/reports', 'nav.reports', ['reports']),
    link('/settings', 'nav.settings', ['settings']),
    app.status.user && app.status.user.role === 'admin' ? link('/admin', 'admin.nav', ['admin']) : null,
  ] : []);
  const langSel = h('select', { id: 'lang', onchange: (e) => { setLang(e.target.value); redrawInLanguage(true); } },
    languages.map((l) => h('option', { value: l, selected: l === currentLang() }, l === 'fr' ? 'Français' : 'English')));
  const user = signedIn && app.status.user;
  const refocus = document.activeElement && document.activeElement.id === 'in-charge';
  fill(document.getElementById('tools'),
    user ? h('span', { class: 'who' }, user.name || '') : null,
    signedIn ? inChargeControl(app) : null,
    h('label', { for: 'lang' }, t('lang.label')), langSel,
    signedIn ? h('button', { class: 'linkish', type: 'button', onclick: signOut }, t('nav.signout')) : null);
  if (refocus) document.getElementById('in-charge')?.focus();
  document.querySelector('.skip').textContent = t('nav.skip');
  document.title = t('app.name');
}

function renderSyncbar() {
  const s = app.status;
  if (!s || !s.signedIn) { syncbar.hidden = true; return; }
  syncbar.hidden = false;
  const pending = s.pending || 0;
  syncbar.dataset.pending = String(pending);
  syncbar.dataset.syncing = s.syncing ? '1' : '0';
  syncbar.dataset.lastSync = String(s.lastSyncAt || 0);
  syncbar.dataset.error = s.lastError ? s.lastError.code : '';
  const offline = s.online === false || !navigator.onLine;
  let state;
  if (s.syncing) state = h('span', { class: 'state-ok' }, t('sync.running'), s.progress && s.progress.received
    ? ` ${t('sync.received', { n: formatNumber(s.progress.received) })}` : '');
  else if (offline) state = h('span', { class: 'state-offline' }, t('sync.offline'));
  else if (s.lastError) state = h('span', { class: 'state-error' }, app.errorText(s.lastError));
  else state = null;
  const refused = s.refused || 0;
  syncbar.dataset.refused = String(refused);
  fill(syncbar,
    refused ? h('a', { href: '#/refused', class: 'state-error', 'data-testid': 'refused' },
      refused === 1 ? t('refused.link1') : t('refused.link', { n: formatNumber(refused) })) : null,
    h('span', { 'data-testid': 'pending' }, pending === 0 ? t('sync.nothing') : pending === 1 ? t('sync.pending1') : t('sync.pending', { n: formatNumber(pending) })),
    h('span', { 'data-testid': 'last-sync' }, s.lastSyncAt ? t('sync.last', { when: formatAgo(s.lastSyncAt) }) : t('sync.never')),
    state,
    h('button', { type: 'button', class: 'secondary', disabled: !!s.syncing, onclick: syncNow }, t('sync.now')));
}

async function syncNow() {
  // Not awaited by anything else: the person keeps working while it runs.
  const r = await app.liaison.call('syncNow');
  await app.refreshStatus();
  if (!r.ok && r.code !== 'network') app.toast(app.errorText(r));
}

async function signOut() {
  const n = (app.status && app.status.pending) || 0;
  if (!window.confirm(t('signout.confirm', { n }))) return;
  await app.liaison.call('signOut');
  await app.refreshStatus();
  renderHeader();
  app.navigate('/signin');
}

// ---------------------------------------------------------------------------------------
// Router

// The roles that also get the central workspace (docs/WORKSPACE.md).
function isCentral() {
  const role = app.status && app.status.user && app.status.user.role;
  return role === 'central' || role === 'regional' || role === 'admin';
}

function currentRoute() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const parts = path.split('/').map(decodeURIComponent);
  const [a, b, c] = parts;
  if (a === 'central') return { name: 'central', query, sub: b || '', id: c };
  if (a === 'reports') return { name: 'reports', query, sub: b || '' };
  if (a === 'card' && b && c === 'log') return { name: 'log', id: b };
  if (a === 'card' && b && c === 'history') return { name: 'history', id: b };
  if (a === 'card' && b) return { name: 'card', id: b };
  if (a === 'event' && b) return { name: 'event', id: b };
  if (['signin', 'search', 'new', 'events', 'settings', 'refused'].includes(a)) return { name: a };
  if (a === 'admin') return { name: 'admin', parts: parts.slice(1) };
  return { name: isCentral() ? 'central' : 'search' };
}

const centralRoom = () => import('./central/room.js');

const views = {
  signin: signinView, search: searchView, card: cardView, log: logView, history: historyView, new: newView,
  events: eventsView, event: eventView, settings: settingsView, refused: refusedView,
  central: lazyView(centralRoom, (room) => room.centralView),
  admin: lazyView(() => import('./admin/admin.js'), (room) => room.adminView),
  reports: lazyView(() => import('./reports/room.js'), (room) => room.reportsView),
};

function render() {
  let route = currentRoute();
  const signedIn = app.status && app.status.signedIn;
  if (!signedIn && route.name !== 'signin') route = { name: 'signin' };
  if (signedIn && route.name === 'signin') route = { name: isCentral() ? 'central' : 'search' };
  if (app.view && app.view.dispose) app.view.dispose();
  app.view = views[route.name](app, route);
  fill(main, app.view.el);
  main.dataset.view = route.name;
  renderHeader();
  renderSyncbar();
  const focusTarget = main.querySelector('[autofocus]') || main.querySelector('h1');
  if (focusTarget) {
    if (!focusTarget.hasAttribute('tabindex') && focusTarget.tagName === 'H1') focusTarget.setAttribute('tabindex', '-1');
    focusTarget.focus({ preventScroll: true });
  }
}

// ---------------------------------------------------------------------------------------
// Start-up

function takeTokenFromUrl() {
  const m = /^#(?:token|signin)=([^&]+)/.exec(location.hash);
  if (!m) return null;
  // Out of the address bar and the history at once: a token must not linger on screen.
  // The home of the person's role (currentRoute): search, or the central workspace.
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
  try { return decodeURIComponent(m[1]); } catch { return null; }
}

// The banner above the screen about the app's own version: `text`, and a button when the
// person is to choose the moment. `self`: it speaks of an update the server asked for.
function updateBanner(text, button = null, self = false) {
  let el = document.getElementById('update');
  if (!el) {
    el = h('div', { class: 'update', id: 'update', role: 'status' });
    document.body.prepend(el);
  }
  if (self) el.dataset.self = '1';
  fill(el, text, button ? ' ' : null, button);
}

// Switches to the installed version `waiting`: the page reloads once it is in control.
function activate(waiting) {
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload());
  waiting.postMessage({ type: 'activate' });
}

function applyButton(waiting) {
  const button = h('button', { type: 'button', class: 'secondary' }, t('update.apply'));
  button.addEventListener('click', () => {
    button.disabled = true;
    activate(waiting);
  });
  return button;
}

// A new build installs next to the running one (sw.js); the page offers to switch, and reloads
// once the new version controls it. Unsaved form input is the person's call, not ours.
function offerUpdate(waiting) {
  if (document.getElementById('update')) return;
  updateBanner(t('update.ready'), applyButton(waiting));
}

// The server refused this version of the app (upgrade_required, docs/SYNC.md "Versions"):
// nothing of the push was taken, so the outbox is intact. The app fetches the new version,
// switches to it at once (or when the person has finished typing) and the new version sends
// the outbox. A version that is still refused after its own update does not reload again
// within SELF_UPDATE_AGAIN_MS: the person is told what to do instead of watching a loop.
const SELF_UPDATE_KEY = 'liaison-self-update';
const SELF_UPDATE_AGAIN_MS = 5 * 60 * 1000;
let selfUpdating = false;

async function selfUpdate() {
  if (selfUpdating) return;
  selfUpdating = true;
  const last = Number(sessionStorage.getItem(SELF_UPDATE_KEY)) || 0;
  if (Date.now() - last < SELF_UPDATE_AGAIN_MS) { updateBanner(t('update.stuck'), null, true); return; }
  updateBanner(t('update.updating'), null, true);
  const waiting = await newerVersion();
  if (!waiting) { updateBanner(t('update.stuck'), null, true); return; }
  if (hasUserInput(main)) { updateBanner(t('update.finish'), applyButton(waiting), true); return; }
  sessionStorage.setItem(SELF_UPDATE_KEY, String(Date.now()));
  activate(waiting);
}

// The service worker of a newer version, installed and waiting; null when there is none.
async function newerVersion() {
  const reg = 'serviceWorker' in navigator ? await navigator.serviceWorker.getRegistration() : null;
  if (!reg) return null;
  try {
    await reg.update();
  } catch {
    /* the check failed (network): a version already waiting still counts */
  }
  const sw = reg.waiting || reg.installing;
  if (!sw) return null;
  return new Promise((resolve) => {
    const check = () => {
      if (sw.state === 'installed') resolve(sw);
      else if (sw.state === 'redundant') resolve(null);
    };
    sw.addEventListener('statechange', check);
    check();
  });
}

// Every status the worker sends or the page reads goes through here.
function onStatus(s) {
  const was = app.status;
  app.status = s;
  renderSyncbar();
  // The person in charge was switched (here or in another tab) or the linked staff changed.
  const inCharge = (st) => JSON.stringify(st && st.user ? [st.user.staff, st.user.inCharge] : null);
  if (was && inCharge(was) !== inCharge(s)) renderHeader();
  if (s && s.lastError && s.lastError.code === 'upgrade_required') {
    selfUpdate();
  } else if (selfUpdating && s && !s.lastError && !s.syncing) {
    // The server takes this version after all: the notice has done its work.
    selfUpdating = false;
    const el = document.getElementById('update');
    if (el && el.dataset.self) el.remove();
  }
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(new URL('../sw.js', import.meta.url), { scope: '/' })
    .then((reg) => {
      const watch = (sw) => {
        if (!sw) return;
        const check = () => { if (sw.state === 'installed' && navigator.serviceWorker.controller) offerUpdate(sw); };
        sw.addEventListener('statechange', check);
        check();
      };
      watch(reg.waiting);
      reg.addEventListener('updatefound', () => watch(reg.installing));
      return navigator.serviceWorker.ready;
    })
    .then(() => { document.body.dataset.sw = 'ready'; })
    .catch((e) => { console.warn('service worker not registered:', e && e.message); });
}

// After a language change: the header and sync bar, and the screen when `screen` (a screen
// being typed in is left as it is: redrawing would lose the input).
function redrawInLanguage(screen) {
  renderHeader();
  renderSyncbar();
  if (screen) render();
}

// Whether a control under `root` holds something the person entered (not its initial state).
function hasUserInput(root) {
  for (const el of root.querySelectorAll('input, textarea, select')) {
    if (el.tagName === 'SELECT') {
      if ([...el.options].some((o) => o.selected !== o.defaultSelected)) return true;
    } else if (el.type === 'checkbox' || el.type === 'radio') {
      if (el.checked !== el.defaultChecked) return true;
    } else if (el.value !== el.defaultValue) {
      return true;
    }
  }
  return false;
}

async function boot() {
  registerServiceWorker();
  const linkToken = takeTokenFromUrl();
  try {
    // Only where SharedWorker is missing: another tab holds the database for now.
    onBlocked(() => fill(main, h('p', { class: 'notice', role: 'status' }, t('err.blocked'))));
    app.liaison = await connection;
    performance.mark('liaison-connected');
  } catch (e) {
    fill(main, h('p', { class: 'error', role: 'alert' }, t('err.nohost', { message: (e && e.message) || String(e) })));
    return;
  }
  app.liaison.on('sync', onStatus);
  app.liaison.on('changed', () => {
    app.refreshStatus();
    if (app.view && app.view.refresh) app.view.refresh();
  });
  window.addEventListener('online', () => { if (app.status && app.status.signedIn) syncNow(); });
  window.addEventListener('offline', renderSyncbar);
  window.addEventListener('hashchange', render);
  // The language chosen in another tab applies here too; the next screen is in it anyway.
  onLangFromOtherTab(() => redrawInLanguage(!hasUserInput(main)));
  setInterval(renderSyncbar, 30000);  // keeps "last sync 5 minutes ago" true

  await app.refreshStatus();
  if (linkToken) {
    // A one-time code (48 hex digits) is exchanged for this device's own token.
    const code = /^[0-9a-f]{48}$/.test(linkToken);
    const r = code
      ? await app.liaison.call('signInWithCode', { code: linkToken, device: `Browser (${navigator.platform || 'web'})` })
      : await app.liaison.call('signIn', { token: linkToken });
    if (r.ok) app.status = r.value;
    else if (code && ['used', 'expired', 'unauthorized'].includes(r.code))
      app.linkError = t(r.code === 'used' ? 'signin.linkUsed' : r.code === 'expired' ? 'signin.linkExpired' : 'signin.linkInvalid');
    else app.linkError = app.errorText(r);
    performance.mark('liaison-signed-in');
  }
  const boot = document.getElementById('boot');
  if (boot) boot.remove();
  renderSyncbar();
  render();
  document.body.dataset.ready = '1';
  performance.mark('liaison-ready');  // the page's start, for the benchmarks (bench/web/run.mjs)
}

boot();
