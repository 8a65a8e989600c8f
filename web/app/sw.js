// Service worker: makes the app start with no network, and start fast on any network.
//
// The build (web/tools/stamp-app.mjs) fills in BUILD: every file of the app and a version,
// the hash of their contents. On install the worker caches those files in the cache named
// after the version; on activate it deletes every other Liaison cache.
//
// The app's files are answered from that cache first: a start never waits for the network,
// which on a shop's flaky Wi-Fi could hang for as long as the connection does. Updates come
// the way the platform intends: a new build changes this file (served no-cache), the browser
// installs the new version next to the running one, and the page offers to switch
// (app.js: 'update'); it switches when told to ('activate'), or by itself once no tab uses
// the old version. The first install takes control at once (there is no old version).
// Anything else of this origin goes to the network.
// The API (/api/) and tracked links (/l/) are never cached or answered from the cache: they
// are live data.
const BUILD = { version: 'dev', files: ['./', 'index.html'] };
const VERSION = 'liaison-app-' + BUILD.version;

const scopeUrl = new URL(self.registration.scope);

function isLive(url) {
  return url.origin !== scopeUrl.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/l/');
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(VERSION);
    // cache: 'reload' skips the HTTP cache, so the copy matches what the server has now.
    await cache.addAll(BUILD.files.map((p) => new Request(new URL(p, scopeUrl), { cache: 'reload' })));
    // Files the host lists beyond the app (optional; see host/assets.json if it exists).
    try {
      const r = await fetch(new URL('host/assets.json', scopeUrl), { cache: 'reload' });
      if (r.ok) {
        const extra = (await r.json()).filter((p) => typeof p === 'string' && !BUILD.files.includes(p));
        await cache.addAll(extra.map((p) => new Request(new URL(p, scopeUrl), { cache: 'reload' })));
      }
    } catch { /* no list: the build's files are all there is */ }
    // The very first version takes over at once; a later one waits until it is told to.
    if (!self.registration.active) await self.skipWaiting();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'activate') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('liaison-app-') && name !== VERSION) await caches.delete(name);
    await self.clients.claim();
  })());
});

// The app's page answers a navigation to the app's root (with any ?query; #routes never reach
// the network); other pages of the server (/healthz, /metrics …) are not the app's.
const SHELL_PATHS = new Set([scopeUrl.pathname, new URL('index.html', scopeUrl).pathname]);

const ON_DEMAND = new Set(['core-full.js', 'core-full.wasm'].map((f) => new URL(f, scopeUrl).pathname));
let opened = null; // this version's cache, opened once per life of the worker
async function cacheFirst(request, url) {
  const cache = await (opened || (opened = caches.open(VERSION)));
  const page = request.mode === 'navigate' && SHELL_PATHS.has(url.pathname);
  const hit = await cache.match(page ? scopeUrl.href : request, { ignoreSearch: page });
  if (hit) return hit;
  const answer = await fetch(request);
  // A room loaded on demand (app/chunks/, web/tools/bundle-app.mjs) is kept once it has been
  // opened, so it opens offline afterwards; its name changes with its content. So is the
  // reports' build of the core (core-full.*), kept in this version's cache.
  if (answer.ok && (url.pathname.startsWith(new URL('app/chunks/', scopeUrl).pathname) || ON_DEMAND.has(url.pathname)))
    await cache.put(request, answer.clone());
  return answer;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (isLive(url)) return;
  event.respondWith(cacheFirst(request, url));
});
