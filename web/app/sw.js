// Service worker: makes the app start with no network.
//
// On install it caches the app shell, the front-end modules, the host scripts (the worker,
// the router and the client) and the WebAssembly core, in a cache named after
// VERSION; on activate it deletes every other Liaison cache. Requests go to the network
// first (so a deployed update is picked up at once when online) and fall back to the cache;
// each successful same-origin GET refreshes its cached copy. The API (/api/) and tracked
// links (/l/) are never cached or answered from the cache: they are live data.
const VERSION = 'liaison-app-v2';
const SHELL = [
  './',
  'index.html',
  'styles.css',
  'manifest.webmanifest',
  'icons/icon.svg',
  'icons/icon-192.png',
  'icons/icon-512.png',
  'app/app.js',
  'app/dom.js',
  'app/i18n.js',
  'app/people.js',
  'app/person-form.js',
  'app/view-signin.js',
  'app/view-search.js',
  'app/view-card.js',
  'app/view-log.js',
  'app/view-new.js',
  'app/view-events.js',
  'host/client.js',
  'host/worker.js',
  'host/router.js',
  'core.js',
  'core.wasm',
];

const scopeUrl = new URL(self.registration.scope);

function isLive(url) {
  return url.origin !== scopeUrl.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/l/');
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(VERSION);
    // cache: 'reload' skips the HTTP cache, so the copy matches what the server has now.
    await cache.addAll(SHELL.map((p) => new Request(new URL(p, scopeUrl), { cache: 'reload' })));
    // Files the host lists beyond the shell (optional; see host/assets.json if it exists).
    try {
      const r = await fetch(new URL('host/assets.json', scopeUrl), { cache: 'reload' });
      if (r.ok) {
        const extra = (await r.json()).filter((p) => typeof p === 'string' && !SHELL.includes(p));
        await cache.addAll(extra.map((p) => new Request(new URL(p, scopeUrl), { cache: 'reload' })));
      }
    } catch { /* no list: the shell above is all there is */ }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('liaison-app-') && name !== VERSION) await caches.delete(name);
    await self.clients.claim();
  })());
});

async function networkFirst(request) {
  const cache = await caches.open(VERSION);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') cache.put(request, response.clone()).catch(() => {});
    return response;
  } catch (err) {
    // Navigations (any #route, a ?query) are the shell.
    const hit = await cache.match(request, { ignoreSearch: request.mode === 'navigate' })
      || (request.mode === 'navigate' ? await cache.match(new URL('./', scopeUrl)) : undefined);
    if (hit) return hit;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (isLive(url)) return;
  event.respondWith(networkFirst(request));
});
