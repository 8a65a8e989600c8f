// The browser host (web/host: the worker that owns the database, the tab-side client) in
// headless Chromium, against a real liaison-server serving the assembled app.
//   node tests/wasm/worker_test.mjs <wasm build>/app <native build>/server/liaison-server
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import { appDir, check, runner } from './harness.mjs';
import { startServer } from './server.mjs';

const dir = appDir();
const serverBin = process.argv[3];
if (!serverBin || !fs.existsSync(serverBin)) {
  console.error('usage: node worker_test.mjs <wasm build>/app <liaison-server>');
  process.exit(2);
}
const { chromium } = createRequire(import.meta.url)('playwright-core');
const { test, run } = runner();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-wasm-worker-'));
const serverDb = path.join(tmp, 'server.db');
let server = await startServer(serverBin, serverDb, { staticDir: dir });
const profile = path.join(tmp, 'profile');

const launch = (dirName = profile) =>
  chromium.launchPersistentContext(dirName, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

// A tab on the app's origin with the client connected as window.liaison (the page itself is
// /healthz, so the front end does not run: only the host is under test).
async function tab(context, options = {}) {
  const page = await context.newPage();
  await page.goto(server.origin + '/healthz');
  await page.evaluate(async (o) => {
    const { connect } = await import('/host/client.js');
    window.liaison = await connect(o);
    window.events = [];
    window.liaison.on('changed', (e) => window.events.push(e));
  }, options);
  return {
    page,
    call: (method, args) => page.evaluate(([m, a]) => window.liaison.call(m, a), [method, args || {}]),
    events: () => page.evaluate(() => window.events),
  };
}

function value(r, what) {
  check(r && r.ok === true, `${what} should succeed`, r);
  return r.value;
}

let context;
let heleneId;

test('signing in checks the token, a wrong one is refused in plain words', async () => {
  context = await launch();
  const a = await tab(context);
  const bad = await a.call('signIn', { token: 'lsn_0000000000000000_nope' });
  check(bad.ok === false && bad.code === 'unauthorized' && /token/.test(bad.message), 'refused', bad);
  const s = value(await a.call('signIn', { token: server.tokens.store }), 'signIn');
  check(s.signedIn && s.user.role === 'store', 'signed in as the store user', s);
  const sync = value(await a.call('syncNow'), 'syncNow');
  check(sync.received > 0, 'pulled', sync);
  const st = value(await a.call('status'), 'status');
  check(st.cursor > 0 && st.lastSyncAt && st.lastError === null && st.syncing === false, 'status after sync', st);
  check(st.timings.boot.storage === 'opfs', 'the database file is in the origin private file system', st.timings.boot);
  check(st.timings.sync.offThread === true && st.timings.sync.pages > 0, 'the pages were fetched by the helper thread (fetcher.js)', st.timings.sync);
});

test('two tabs share one database: a write in one is seen and announced in the other', async () => {
  const a = await tab(context);
  const b = await tab(context);
  check(value(await a.call('status'), 'a').replicaId === value(await b.call('status'), 'b').replicaId, 'one replica');
  heleneId = value(await a.call('createInfluencer', { name: 'Hélène Onglet', email: 'onglet@example.fr' }), 'create').id;
  const hits = value(await b.call('search', { text: 'helene onglet' }), 'search in b');
  check(hits.length === 1 && hits[0].id === heleneId, 'seen in the other tab', hits);
  await b.page.waitForFunction(() => window.events.some((e) => e.source === 'local'));
  const r = await b.call('noSuchMethod', {});
  check(r.ok === false && r.code === 'invalid_argument', 'unknown method answered', r);
});

test('a new contact-pressure cap reaches a card open in another tab', async () => {
  const a = await tab(context);
  const b = await tab(context);
  const cap = value(await b.call('card', { id: heleneId }), 'card').contact_cap;
  value(await a.call('setSettings', { contactCap: cap + 3 }), 'setSettings');
  await b.page.waitForFunction(() => window.events.some((e) => e.source === 'settings'), null, { timeout: 5000 })
    .catch(() => check(false, "the other tab was not told that the settings changed ('changed', source 'settings')"));
  check(value(await b.call('card', { id: heleneId }), 'card again').contact_cap === cap + 3, 'the card counts against the new cap');
  value(await a.call('setSettings', { contactCap: cap }), 'setSettings back');
  const bad = await a.call('setSettings', { contactCap: 0 });
  check(bad.ok === false && bad.code === 'invalid_argument' && /contactCap/.test(bad.message), 'a cap of 0 is refused', bad);
});

test('when the tab that owns the database closes, the other tabs carry on with it', async () => {
  for (const p of context.pages()) await p.close();
  const first = await tab(context); // the first tab holds the lock and starts the owner
  const second = await tab(context);
  const before = value(await second.call('status'), 'status').replicaId;
  await first.page.close();
  const hits = value(await second.call('search', { text: 'onglet' }), 'search after the owner left');
  check(hits.length === 1 && hits[0].id === heleneId, 'the record is still there', hits);
  value(await second.call('updateInfluencer', { id: heleneId, fields: { notes: 'Vue après la fermeture' } }), 'write after');
  const st = value(await second.call('status'), 'status');
  check(st.replicaId === before && st.timings.boot.storage === 'opfs', 'the same replica, reopened by the new owner', st);
  const third = await tab(context);
  const card = value(await third.call('card', { id: heleneId }), 'card in a new tab');
  check(card.influencer.notes === 'Vue après la fermeture', 'the write is there', card.influencer);
});

test('writes survive closing the browser, and are pushed on the next sync', async () => {
  await context.close();
  context = await launch();
  const a = await tab(context);
  const hits = value(await a.call('search', { text: 'onglet' }), 'search after restart');
  check(hits.length === 1 && hits[0].id === heleneId, 'still there', hits);
  const st = value(await a.call('status'), 'status');
  check(st.signedIn && st.user.role === 'store', 'still signed in', st);
  const sync = value(await a.call('syncNow'), 'sync');
  check(value(await a.call('status'), 'status').pending === 0, 'pushed', sync);
});

test('with the server unreachable, writes are kept and the sync says why it failed', async () => {
  const a = await tab(context);
  await server.stop();
  try {
    value(await a.call('logContact', { influencer: heleneId, touchpoint: 'store', department: 'retail' }), 'log offline');
    const r = await a.call('syncNow');
    check(r.ok === false && r.code === 'network' && r.message, 'network error', r);
    const st = value(await a.call('status'), 'status');
    check(st.pending === 1 && st.lastError && st.lastError.code === 'network', 'kept for later', st);
  } finally {
    server = await startServer(serverBin, serverDb, { staticDir: dir, port: server.port, demo: false });
  }
  value(await a.call('syncNow'), 'sync with the server back');
  const st = value(await a.call('status'), 'status');
  check(st.pending === 0 && st.lastError === null, 'sent once it is back', st);
});

test('a busy server (503 with Retry-After) is waited for and the same push sent again', async () => {
  const a = await tab(context);
  let refused = 0;
  await context.route('**/api/v1/sync', (route) => {
    if (refused++ === 0) {
      return route.fulfill({ status: 503, headers: { 'Retry-After': '1', 'Content-Type': 'application/json' },
        body: '{"error":{"code":"unavailable","message":"the server is busy; try again in a second"}}' });
    }
    return route.continue();
  });
  try {
    value(await a.call('logContact', { influencer: heleneId, touchpoint: 'store', department: 'retail' }), 'log');
    const sync = value(await a.call('syncNow'), 'sync through a busy server');
    check(refused >= 2, 'the push was sent again after the 503', { refused, sync });
    const st = value(await a.call('status'), 'status');
    check(st.pending === 0 && st.lastError === null, 'sent, and no error left in the status', st);
  } finally {
    await context.unroute('**/api/v1/sync');
  }
});

test('a revoked token stops the sync with "unauthorized" until the user signs in again', async () => {
  const a = await tab(context);
  await server.stop();
  // A demo start revokes the earlier demo tokens and prints new ones.
  server = await startServer(serverBin, serverDb, { staticDir: dir, port: server.port });
  const r = await a.call('syncNow');
  check(r.ok === false && r.code === 'unauthorized' && /revoked/.test(r.message), 'unauthorized', r);
  check(value(await a.call('status'), 'status').lastError.code === 'unauthorized', 'in the status');
  value(await a.call('signIn', { token: server.tokens.store }), 'sign in again');
  check(value(await a.call('syncNow'), 'sync').rejected === 0, 'syncing again');
  check(value(await a.call('search', { text: 'onglet' }), 'search').length === 1, 'same user: the record was kept');
});

test('settings are kept and checked; signing out wipes the local record', async () => {
  const a = await tab(context);
  check((await a.call('setSettings', { contactCap: 0 })).code === 'invalid_argument', 'cap checked');
  check(value(await a.call('setSettings', { contactCap: 2, lang: 'fr' }), 'set').contactCap === 2, 'set');
  const card = value(await a.call('card', { id: heleneId }), 'card');
  check(card.contact_cap === 2, 'the card uses the setting', card.contact_cap);
  const before = value(await a.call('status'), 'status').replicaId;
  const out = value(await a.call('signOut'), 'signOut');
  check(!out.signedIn && out.replicaId !== before, 'a new empty replica', out);
  check(value(await a.call('search', { text: 'onglet' }), 'search').length === 0, 'nothing left');
  check((await a.call('syncNow')).code === 'not_signed_in', 'no sync when signed out');
  await context.close();
  context = null;
});

test('closing the browser in the middle of a sync leaves a database that opens and catches up', async () => {
  const crashed = path.join(tmp, 'profile-crash');
  const fresh = path.join(tmp, 'profile-fresh');
  let ctx = await launch(crashed);
  try {
    const a = await tab(ctx);
    value(await a.call('signIn', { token: server.tokens.store }), 'signIn'); // starts the first sync
    let st;
    for (let i = 0; i < 400; i++) {
      st = value(await a.call('status'), 'status');
      if (st.progress && st.progress.received > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    check(st.syncing && st.progress && st.progress.received > 0, 'closed while pages were still arriving', st);
    await ctx.close();
    ctx = await launch(crashed);
    const b = await tab(ctx);
    check(value(await b.call('status'), 'status').signedIn, 'opens, still signed in');
    value(await b.call('syncNow'), 'sync after the crash');
    const hash = value(await b.call('stateHash'), 'stateHash');
    await ctx.close();
    ctx = await launch(fresh);
    const c = await tab(ctx);
    value(await c.call('signIn', { token: server.tokens.store }), 'signIn on a fresh device');
    value(await c.call('syncNow'), 'sync on a fresh device');
    check(value(await c.call('stateHash'), 'stateHash') === hash, 'the same record as a device that was never interrupted');
  } finally {
    await ctx.close();
  }
});

test('a database an earlier version kept in IndexedDB moves to OPFS with nothing lost', async () => {
  const old = path.join(tmp, 'profile-idb');
  let ctx = await launch(old);
  try {
    const a = await tab(ctx, { storage: 'idb' });
    value(await a.call('signIn', { token: server.tokens.store }), 'signIn');
    value(await a.call('syncNow'), 'sync');
    const id = value(await a.call('createInfluencer', { name: 'Zoë Migrée', email: 'migree@example.fr' }), 'create').id;
    const st = value(await a.call('status'), 'status');
    check(st.timings.boot.storage === 'idb' && st.pending === 1, 'kept in IndexedDB, one change unsent', st);
    await ctx.close();
    ctx = await launch(old);
    const b = await tab(ctx);
    const moved = value(await b.call('status'), 'status after the move');
    check(moved.timings.boot.storage === 'opfs' && moved.timings.boot.migratedBytes > 0, 'moved to OPFS', moved.timings.boot);
    check(moved.replicaId === st.replicaId && moved.signedIn, 'same replica, still signed in', moved);
    const hits = value(await b.call('search', { text: 'zoe migree' }), 'search');
    check(hits.length === 1 && hits[0].id === id, 'found after the move', hits);
    const left = await b.page.evaluate(() => new Promise((resolve) => {
      const req = indexedDB.open('liaison');
      req.onsuccess = () => {
        const r = req.result.transaction('chunks', 'readonly').objectStore('chunks').count();
        r.onsuccess = () => resolve(r.result);
      };
    }));
    check(left === 0, 'IndexedDB no longer holds the file', left);
    value(await b.call('syncNow'), 'sync'); // the start's own sync may have sent it already
    check(value(await b.call('status'), 'status').pending === 0, 'nothing left to send');
    const res = await fetch(`${server.origin}/api/v1/influencers?q=migree`, { headers: { Authorization: `Bearer ${server.tokens.central}` } });
    const listed = await res.json();
    check(res.ok && JSON.stringify(listed).includes(id), 'the change made before the move reached the server', listed);
    await ctx.close();
    // A later start opens the OPFS file as it is.
    ctx = await launch(old);
    const c = await tab(ctx);
    const again = value(await c.call('status'), 'status');
    check(again.timings.boot.migratedBytes === 0 && again.pending === 0, 'nothing moved twice', again.timings.boot);
    check(value(await c.call('search', { text: 'zoe migree' }), 'search').length === 1, 'still found');
  } finally {
    await ctx.close();
  }
});

test('a sync never stops the work: searches and a write are answered between its pages', async () => {
  // A company big enough for a first sync of many pages (the bench's generator).
  const { makeOps, pushAll, randomId } = await import('../../bench/web/lib.mjs');
  const replica = randomId();
  await pushAll(server.origin, server.tokens.central, replica, makeOps({ influencers: 3000, interactions: 30000, replica, seed: 11 }));
  const ctx = await launch(path.join(tmp, 'profile-busy'));
  try {
    const a = await tab(ctx);
    value(await a.call('signIn', { token: server.tokens.central }), 'signIn'); // starts the first sync
    let st;
    for (let i = 0; i < 500 && !(st && st.syncing); i++) st = value(await a.call('status'), 'status');
    check(st.syncing, 'the first sync started', st);
    const seen = new Set(); // pages received when a search was answered
    let answered = 0;
    let slowest = 0;
    let id = null;
    while (st.syncing) {
      const t0 = performance.now();
      value(await a.call('search', { text: 'a', limit: 10 }), 'a search during the sync');
      slowest = Math.max(slowest, performance.now() - t0);
      st = value(await a.call('status'), 'status');
      if (!st.syncing) break;
      answered++;
      seen.add(st.progress ? st.progress.received : 0);
      if (!id) id = value(await a.call('createInfluencer', { name: 'Écrite pendant la synchro' }), 'a write during the sync').id;
    }
    console.log(`     ${answered} searches answered during the sync, at ${seen.size} points of it; slowest ${slowest.toFixed(0)} ms`);
    check(id && answered >= 3 && seen.size >= 2, 'searches answered while the sync ran, between different pages, and a write', { answered, points: [...seen], id });
    value(await a.call('syncNow'), 'a sync that sends the write');
    st = value(await a.call('status'), 'status');
    check(st.pending === 0 && st.lastError === null, 'the write made during the sync was sent', st);
    check(value(await a.call('search', { text: 'ecrite pendant' }), 'search').some((p) => p.id === id), 'and is still there');
  } finally {
    await ctx.close();
  }
});

await run();
if (context) await context.close();
await server.stop();
fs.rmSync(tmp, { recursive: true, force: true });
