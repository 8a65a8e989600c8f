// ./scripts/bench web — the browser app's timings, in headless Chromium against a real
// liaison-server that serves the built app and holds a generated company.
//
//   node bench/web/run.mjs --app build/wasm/app --server build/native/server/liaison-server
//        [--merge-wasm build/wasm/web/merge_bench.js] [--merge-native build/native/bench/merge_bench]
//        [--influencers 20000] [--interactions 200000] [--search-influencers 100000]
//        [--store-people 2000] [--store-interactions 20000] [--directory-people 100000]
//        [--elsewhere-interactions 1000] [--store-runs 3] [--central-people 100000]
//        [--central-interactions 1000000] [--central-runs 5] [--phases main,store,central]
//
// Measures (budgets of docs/PERFORMANCE.md in brackets):
//   shell_gz_kb           the app shell and core.wasm, gzip -9, as the server sends them [≤ 700]
//   first_sync_s          sign in on a new device, then every page of the first sync applied
//                         and stored (OPFS) [< 10 s]
//   offline_reload_ms     network off, reload: navigation start to the first search answered
//                         (service worker, front end, worker start, module, database opened)
//                         [< 500 ms]
//   search_p95_ms         a search as you type, through the worker, over --search-influencers
//                         influencers [< 20 ms]
//   wasm_merge_ops_per_s  bench/merge_bench.cpp compiled to WebAssembly, under node [≥ 50,000];
//                         the native run of the same benchmark is printed next to it
//   The store-tablet phase (docs/SYNC.md "Directory"), on a server of its own: one store of a
//   brand holds --store-people people and --store-interactions contacts; --directory-people
//   more people of the brand are placed at its other stores. A store user of that store:
//   store_first_sync_s    sign in on a new device (a fresh browser profile), every page
//                         applied and stored; median of --store-runs [< 10 s]
//   store_directory_p95_ms  a search as you type, through the worker, for prefixes of the
//                         names of people the device holds as directory records [< 20 ms]
//   store_pull_bytes_per_1000_interactions  sync reply bytes the device pulls on its next sync
//                         after another device logged --elsewhere-interactions contacts at the
//                         brand's other stores on directory people, per 1,000 of them
//   The central phase (docs/WORKSPACE.md), on a server of its own: --central-people people
//   spread over the demo's stores, most with an owner, and --central-interactions contacts;
//   the server is restarted, as after an import, so its directory index is built at start.
//   central_first_screen_ms  navigation start to the workspace's directory showing its first
//                         page: signing in on a new laptop (its first sync starting behind),
//                         then each of --central-runs reloads; the slowest [< 2,000 ms]
//   central_directory_p95_ms  a filtered, sorted page of the directory asked from the page,
//                         through the worker and the server, over combinations of filters and
//                         sorts, once the laptop has synced [< 50 ms] (the figure while its
//                         first sync runs is printed too)
// Ends with one line: RESULT web shell_gz_kb=… offline_reload_ms=… first_sync_s=…
// search_p95_ms=… wasm_merge_ops_per_s=… store_first_sync_s=… store_directory_p95_ms=…
// store_pull_bytes_per_1000_interactions=… central_directory_p95_ms=… central_first_screen_ms=…
// (--phases: those phases' figures only)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import { makeOps, pushAll, randomId, refFields, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);

function options() {
  const o = { influencers: 20000, interactions: 200000, 'search-influencers': 100000, 'merge-ops': 200000,
    'store-people': 2000, 'store-interactions': 20000, 'directory-people': 100000,
    'elsewhere-interactions': 1000, 'store-runs': 3, 'central-people': 100000, 'central-interactions': 1000000,
    'central-runs': 5, phases: 'main,store,central' };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in o) && !['app', 'server', 'merge-wasm', 'merge-native'].includes(key)) throw new Error(`unknown option ${argv[i]}`);
    o[key] = typeof o[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!o.app || !o.server) throw new Error('usage: run.mjs --app DIR --server BIN [...]');
  return o;
}

const log = (...a) => console.log('web:', ...a);
const round = (x, d = 0) => Number(x.toFixed(d));

// Every compressed file of the shell (all but the icons) and the module: what a device's
// service worker installs. The rooms loaded on demand (app/lazy.json, web/tools/bundle-app.mjs)
// are left out and counted apart: a store tablet downloads them only if they are opened there.
function shellGzKb(app) {
  const lazyList = path.join(app, 'app', 'lazy.json');
  const lazy = new Set((fs.existsSync(lazyList) ? JSON.parse(fs.readFileSync(lazyList, 'utf8')) : []).map((f) => `${f}.gz`));
  let bytes = 0;
  let onDemand = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'icons') walk(p);
      } else if (e.name.endsWith('.gz')) {
        const rel = path.relative(app, p).split(path.sep).join('/');
        if (lazy.has(rel)) onDemand += fs.statSync(p).size;
        else if (!rel.endsWith('.map.gz') && rel !== 'app/lazy.json.gz') bytes += fs.statSync(p).size;
      }
    }
  };
  walk(app);
  return { kb: bytes / 1024, lazyKb: onDemand / 1024 };
}

function mergeOpsPerS(cmd, args) {
  const out = execFileSync(cmd[0], [...cmd.slice(1), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 24 });
  const m = /RESULT merge ops_per_s=(\d+)/.exec(out);
  if (!m) throw new Error('no RESULT line from ' + cmd.join(' '));
  return Number(m[1]);
}

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

const median = (values) => percentile(values, 50);

// A new browser profile: a device that has never synced.
function launch(chromium, dir) {
  return chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

async function openApp(context, origin) {
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => log('page error:', e.message));
  await page.goto(origin + '/', { waitUntil: 'load' });
  return page;
}

// Signs in with `token` and waits for the first sync: every page applied and persisted.
// Resolves to {ms, status}.
async function firstSync(page, token) {
  const first = await page.evaluate(async (tok) => {
    const { connect } = await import('/host/client.js');
    const l = await connect();
    const t0 = performance.now();
    const s = await l.call('signIn', { token: tok });
    if (!s.ok) return { error: s };
    // Signing in starts the sync; wait for its end by the status the tabs see.
    let st;
    do {
      await new Promise((r) => setTimeout(r, 100));
      st = (await l.call('status')).value;
    } while ((st.syncing || !st.lastSyncAt) && !st.lastError);
    const ms = performance.now() - t0;
    return { ms, r: st.lastError ? { ok: false, error: st.lastError } : { ok: true, value: st.timings.sync }, status: st };
  }, token);
  if (first.error || !first.r.ok) throw new Error('first sync failed: ' + JSON.stringify(first.error || first.r));
  return first;
}

async function hostCall(page, method, args) {
  return page.evaluate(async ([m, a]) => {
    const { connect } = await import('/host/client.js');
    const l = await connect();
    return l.call(m, a);
  }, [method, args]);
}

async function syncNow(page) {
  const synced = await hostCall(page, 'syncNow', {});
  if (!synced.ok) throw new Error('sync failed: ' + JSON.stringify(synced));
}

// The milliseconds of each search as you type, `rounds` times over `words`, through the worker.
async function searchTimes(page, words, rounds) {
  const times = await page.evaluate(async ([ws, n]) => {
    const { connect } = await import('/host/client.js');
    const l = await connect();
    const out = [];
    for (let round = 0; round < n; round++) {
      for (const w of ws) {
        const t0 = performance.now();
        const r = await l.call('search', { text: w, limit: 20 });
        out.push(performance.now() - t0);
        if (!r.ok) return { error: r };
      }
    }
    return out;
  }, [words, rounds]);
  if (times.error) throw new Error('search failed: ' + JSON.stringify(times.error));
  return times;
}

// Prefixes typed in the search box: one- and two-letter ones, accents typed or not, names
// with a number (the generator's names end with the person's index).
const WORDS = ['h', 'he', 'hel', 'hélè', 'helene d', 'ma', 'mar', 'martin', 'zo', 'zoé m', 'nguy', 'lé', 'lea', 'chlo', 'dupont 12', 'in', 'inès', 'mü', 'muller', 'ga', 'garcia r', 'ca', 'cam', 'camille f', 'théo', 'jade 4', 'adam', '5', '123', 'yanis bon'];

async function api(origin, token, route) {
  const res = await fetch(origin + route, { headers: { Authorization: 'Bearer ' + token } });
  if (!res.ok) throw new Error(`GET ${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

// Counts the body bytes of the sync replies `context` receives (the worker's fetch thread
// included). Returns a function that resolves to {bytes, replies, pages} since the last call,
// pages being each reply's KB and the ms since the reply before it.
function countSyncReplies(context) {
  let bytes = 0;
  let pages = [];
  let last = 0;
  const bodies = [];
  context.on('response', (res) => {
    if (!res.url().includes('/api/v1/sync')) return;
    bodies.push(res.body().then((b) => {
      const now = Date.now();
      bytes += b.length;
      pages.push(`${Math.round(b.length / 1024)}KB+${last ? now - last : 0}ms`);
      last = now;
    }, () => {}));
  });
  return async () => {
    while (bodies.length) await Promise.all(bodies.splice(0));
    const got = { bytes, replies: pages.length, pages };
    bytes = 0;
    pages = [];
    last = 0;
    return got;
  };
}

const serverExtra = ['--rate-limit', '1000000', '--burst', '1000000'];

// The company-wide figures: a central device's first sync, offline reload, search.
async function mainPhase(o, chromium, tmp, result) {
  const server = await startServer(o.server, path.join(tmp, 'server.db'), { staticDir: o.app, extra: serverExtra });
  let context;
  try {
    const token = server.tokens.central;
    if (!token) throw new Error('the demo printed no central token');
    let t = Date.now();
    const replica = randomId();
    const n = await pushAll(server.origin, token, replica, makeOps({ influencers: o.influencers, interactions: o.interactions, replica }));
    log(`generated ${n} operations (${o.influencers} influencers, ${o.interactions} interactions) on top of the demo in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    context = await launch(chromium, path.join(tmp, 'profile'));
    const page = await openApp(context, server.origin);

    // ---- First sync: sign in on a new device, every page applied and persisted.
    const first = await firstSync(page, token);
    result.first_sync_s = round(first.ms / 1000, 2);
    log(`first sync: ${first.r.value.received} entities in ${result.first_sync_s} s (cursor ${first.status.cursor}; ${JSON.stringify(first.status.timings.sync)})`);

    // ---- Offline reload: the service worker serves the app, a new worker reopens the database.
    const sw = await page.evaluate(() =>
      'serviceWorker' in navigator
        ? Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise((r) => setTimeout(() => r(false), 15000))])
        : false);
    if (sw) {
      await context.setOffline(true);
      await page.reload({ waitUntil: 'load' });
      const reload = await page.evaluate(async () => {
        const { connect } = await import('/host/client.js');
        const l = await connect();
        const r = await l.call('search', { text: 'hel', limit: 20 });
        const ms = performance.now();
        const boot = (await l.call('status')).value.timings.boot;
        // The worker's steps in this page's time (ms since navigation start).
        for (const k of Object.keys(boot.at || {})) boot.at[k] = Math.round(boot.at[k] - performance.timeOrigin);
        return { ms, ok: r.ok, hits: r.ok ? r.value.length : r, boot };
      });
      await context.setOffline(false);
      if (!reload.ok) throw new Error('offline search failed: ' + JSON.stringify(reload.hits));
      result.offline_reload_ms = round(reload.ms);
      log(`offline reload to a search answered: ${result.offline_reload_ms} ms (${reload.hits} hits; worker ${JSON.stringify(reload.boot)})`);
    } else {
      result.offline_reload_ms = -1;
      log('offline reload: no service worker took control of the page (web/app/sw.js); not measured');
    }

    // ---- Search as you type over the larger record.
    const more = o['search-influencers'] - o.influencers;
    if (more > 0) {
      t = Date.now();
      const r2 = randomId();
      await pushAll(server.origin, token, r2, makeOps({ influencers: more, interactions: 0, replica: r2, offset: o.influencers, seed: 11 }));
      await syncNow(page);
      log(`${more} more influencers pushed and synced in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const times = await searchTimes(page, WORDS, 7);
    result.search_p95_ms = round(percentile(times, 95), 1);
    log(`search over ~${o['search-influencers']} influencers: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${result.search_p95_ms} ms (${times.length} searches)`);
  } finally {
    if (context) await context.close();
    await server.stop();
  }

  // ---- Merge throughput, the same benchmark in WebAssembly and natively.
  result.wasm_merge_ops_per_s = -1;
  const ops = ['--ops', String(o['merge-ops'])];
  if (o['merge-wasm'] && fs.existsSync(o['merge-wasm'])) {
    result.wasm_merge_ops_per_s = mergeOpsPerS(['node', '--no-experimental-fetch', o['merge-wasm']], ops);
    let native = '';
    if (o['merge-native'] && fs.existsSync(o['merge-native'])) {
      const n = mergeOpsPerS([o['merge-native']], ops);
      native = ` (native: ${n} ops/s, wasm/native ${(result.wasm_merge_ops_per_s / n).toFixed(2)})`;
    }
    log(`merge in WebAssembly: ${result.wasm_merge_ops_per_s} ops/s${native}`);
  } else {
    log('merge in WebAssembly: merge_bench.js not built; not measured');
  }
}

// The store tablet (docs/SYNC.md "Directory"): its own store in full, the rest of its brand as
// directory records. On a server of its own: the main phase's people name no store, so every
// scope would cover them.
async function storePhase(o, chromium, tmp, result) {
  const db = path.join(tmp, 'store-server.db');
  const server = await startServer(o.server, db, { staticDir: o.app, extra: serverExtra });
  const contexts = [];
  try {
    const central = server.tokens.central;
    if (!central) throw new Error('the demo printed no central token');
    // The demo's brand with the most stores: the first of them is the tablet's.
    const byBrand = new Map();
    for (const s of (await api(server.origin, central, '/api/v1/stores?limit=200')).items)
      if (s.brand) byBrand.set(s.brand, [...(byBrand.get(s.brand) || []), s.id]);
    const [brand, stores] = [...byBrand].sort((a, b) => b[1].length - a[1].length)[0] || [];
    if (!stores || stores.length < 2) throw new Error('the demo has no brand with two stores');
    const [store, ...elsewhere] = stores;
    const other = (i) => elsewhere[i % elsewhere.length];

    let t = Date.now();
    const own = [];
    const directory = [];
    let n = 0;
    const push = (spec) => {
      const replica = randomId();
      return pushAll(server.origin, central, replica, makeOps({ replica, ...spec })).then((k) => { n += k; });
    };
    await push({ influencers: o['store-people'], interactions: o['store-interactions'], seed: 13, ids: own,
      place: () => refFields({ store, brand }), contactPlace: () => refFields({ store, brand }) });
    await push({ influencers: o['directory-people'], interactions: 0, seed: 17, offset: o['store-people'], ids: directory,
      place: (i) => refFields({ store: other(i), brand }) });
    log(`store phase: generated ${n} operations (store ${store}: ${o['store-people']} people, ${o['store-interactions']} contacts; ${o['directory-people']} people at the brand's ${elsewhere.length} other stores) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const cli = (...args) => execFileSync(o.server, [...args, '--db', db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const user = cli('user', 'add', '--name', 'Bench store tablet', '--role', 'store', '--stores', store);

    // ---- First sync, each time a new device with a token of its own.
    const times = [];
    let page;
    let pulled;
    for (let run = 0; run < o['store-runs']; run++) {
      const token = cli('token', 'issue', '--user', user, '--device', `bench tablet ${run + 1}`);
      if (contexts.length) await contexts.pop().close();
      contexts.push(await launch(chromium, path.join(tmp, `store-profile-${run}`)));
      pulled = countSyncReplies(contexts[0]);
      page = await openApp(contexts[0], server.origin);
      const first = await firstSync(page, token);
      times.push(first.ms / 1000);
      const got = await pulled();
      log(`store first sync ${run + 1}: ${first.r.value.received} changes (directory records not counted) in ${(first.ms / 1000).toFixed(2)} s, ${got.bytes} bytes in ${got.replies} replies (${JSON.stringify(first.status.timings.sync)}; replies: ${got.pages.join(' ')})`);
    }
    result.store_first_sync_s = round(median(times), 2);
    log(`store first sync, median of ${times.length}: ${result.store_first_sync_s} s`);

    // ---- Search as you type for people the device holds as directory records.
    const sample = [];
    for (let k = 0; k < 10; k++) {
      const id = directory[Math.floor(((k + 0.5) * directory.length) / 10)];
      const card = await hostCall(page, 'card', { id });
      if (!card.ok || !card.value.directory) throw new Error(`the tablet does not hold ${id} as a directory record: ${JSON.stringify(card).slice(0, 300)}`);
      sample.push({ id, name: card.value.influencer.name });
    }
    const found = await hostCall(page, 'search', { text: sample[0].name, limit: 20 });
    if (!found.ok || !found.value.some((h) => h.id === sample[0].id)) throw new Error(`searching "${sample[0].name}" does not find her: ${JSON.stringify(found).slice(0, 300)}`);
    // Each name typed letter by letter from its third one, as the search box asks.
    const words = [...new Set(sample.flatMap(({ name }) => [...name].map((_, i) => name.slice(0, i + 1)).filter((w) => w.length >= 3)))];
    const searches = await searchTimes(page, words, 3);
    result.store_directory_p95_ms = round(percentile(searches, 95), 1);
    log(`directory search (${o['store-people']} own + ${o['directory-people']} directory people): p50 ${median(searches).toFixed(1)} ms, p95 ${result.store_directory_p95_ms} ms (${searches.length} searches)`);

    // ---- What the tablet pulls when the brand's other stores log contacts on its directory.
    await pulled();
    await syncNow(page);
    const idle = await pulled();
    if (!idle.replies) throw new Error('no sync reply seen (are requests of the worker\'s fetch thread reported?)');
    t = Date.now();
    const count = o['elsewhere-interactions'];
    await push({ influencers: 0, interactions: count, seed: 19, subjects: directory, contactPlace: (i) => refFields({ store: other(i), brand }) });
    await syncNow(page);
    const after = await pulled();
    result.store_pull_bytes_per_1000_interactions = round((after.bytes * 1000) / count);
    log(`after ${count} contacts logged at the brand's other stores on directory people: the tablet pulled ${after.bytes} bytes in ${after.replies} sync replies (a sync with nothing new: ${idle.bytes} bytes in ${idle.replies}) → ${result.store_pull_bytes_per_1000_interactions} bytes per 1,000`);
  } finally {
    for (const c of contexts) await c.close();
    await server.stop();
  }
}

// Filters and sorts the central team uses (docs/WORKSPACE.md), each asked as one page of 50.
function centralQueries(staff, stores, brands) {
  const q = [];
  const sorts = ['', 'sort=-last_contact', 'sort=-audience', 'sort=tier', 'sort=last_contact'];
  const filters = ['', 'tier=top', 'tier=top,expert&owner=none', 'owner=none', `owner=${staff[0]}`,
    `brand=${brands[0]}`, `store=${stores[1]}`, 'country=FR', 'contact_before=2026-06-01', 'contact_after=2026-11-01',
    'audience_min=100000', 'tier=advocate&contact_before=2026-09-01', `brand=${brands[1] || brands[0]}&tier=expert`,
    'q=dupont', 'q=marc&sort=-audience', 'status=active&vetting=approved'];
  for (const f of filters) for (const s of f.includes('sort=') ? [''] : sorts) q.push([f, s].filter(Boolean).join('&'));
  return q;
}

// The central workspace: the first screen and the directory's answers on a company's record.
async function centralPhase(o, chromium, tmp, result) {
  const db = path.join(tmp, 'central-server.db');
  let server = await startServer(o.server, db, { staticDir: o.app, extra: serverExtra });
  let context;
  try {
    let central = server.tokens.central;
    const stores = (await api(server.origin, central, '/api/v1/stores?limit=200')).items;
    const staff = (await api(server.origin, central, '/api/v1/staff?limit=500')).items.map((x) => x.id);
    const brands = [...new Set(stores.map((x) => x.brand).filter(Boolean))];
    let t = Date.now();
    const ids = [];
    const replica = randomId();
    const n = await pushAll(server.origin, central, replica, makeOps({
      influencers: o['central-people'], interactions: o['central-interactions'], seed: 23, replica, ids,
      place: (i) => {
        const st = stores[i % stores.length];
        return [...refFields({ store: st.id, region: st.region, ...(st.brand ? { brand: st.brand } : {}) }),
          ...(i % 7 === 3 ? [] : refFields({ owner: staff[i % staff.length] })),
          { field: 'country', value: { type: 'text', value: i % 5 ? 'FR' : 'BE' } },
          { field: 'status', value: { type: 'text', value: 'active' } }];
      },
    }), (k) => { if (k % 200000 === 0) log(`central phase: ${k} operations pushed`); });
    log(`central phase: generated ${n} operations (${o['central-people']} people, ${o['central-interactions']} contacts) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    // A restart, as after an import: the directory index is built when the server starts.
    await server.stop();
    t = Date.now();
    server = await startServer(o.server, db, { staticDir: o.app, extra: serverExtra });
    central = server.tokens.central;
    log(`central phase: server restarted in ${((Date.now() - t) / 1000).toFixed(1)} s (${server.notes.join('; ')})`);

    context = await launch(chromium, path.join(tmp, 'central-profile'));
    const page = context.pages()[0] || (await context.newPage());
    page.on('pageerror', (e) => log('page error:', e.message));
    // Navigation start to the directory's first page on screen, in the page's own time.
    // Where the time goes: the page's start (body[data-ready]: connected to the worker, whose
    // database is open) and the directory's request as the browser saw it.
    const requests = [];
    context.on('requestfinished', (req) => {
      if (!req.url().includes('/api/v1/directory')) return;
      const tm = req.timing();
      requests.push({ start: tm.startTime, end: tm.startTime + tm.responseEnd });
    });
    const shown = () => page.waitForFunction(() => {
      const c = document.querySelector('[data-testid="dir-count"]');
      return c && c.dataset.total !== undefined && document.querySelector('[data-testid="dir-table"] tbody tr') ? performance.now() : false;
    }, null, { timeout: 60000, polling: 'raf' }).then((h) => h.jsonValue());
    await page.goto(`${server.origin}/#token=${central}`);
    const detail = async () => {
      const at = await page.evaluate(async () => {
        const mark = performance.getEntriesByName('liaison-ready')[0];
        const marks = performance.getEntriesByType('mark').map((m) => `${m.name} ${Math.round(m.startTime)}`);
        // The worker's steps (web/host/worker.js, timings.boot.at), in this page's time.
        const { connect } = await import('/host/client.js');
        const st = await (await connect()).call('status');
        const boot = (st.ok && st.value.timings.boot) || {};
        const steps = Object.entries(boot.at || {}).map(([k, v]) => `${k} ${Math.round(v - performance.timeOrigin)}`);
        return { origin: performance.timeOrigin, ready: mark ? mark.startTime : null, marks, steps };
      });
      const r = requests.splice(0).map((x) => `${Math.round(x.start - at.origin)}→${Math.round(x.end - at.origin)}`);
      return `ready ${at.ready === null ? '?' : Math.round(at.ready)} ms, directory request ${r.join(' ') || '?'}; page: ${at.marks.join(', ')}; worker: ${at.steps.join(', ')}`;
    };
    const screens = [await shown()];
    log(`central phase: signing in to the directory on screen: ${Math.round(screens[0])} ms (${await detail()})`);
    for (let run = 0; run < o['central-runs']; run++) {
      await page.reload();
      screens.push(await shown());
      log(`central phase: reload ${run + 1}: ${Math.round(screens.at(-1))} ms (${await detail()})`);
    }
    result.central_first_screen_ms = round(Math.max(...screens));
    log(`central phase: first screen ${screens.map((x) => Math.round(x)).join(', ')} ms (sign-in, then reloads)`);

    const queries = centralQueries(staff, stores.map((x) => x.id), brands);
    const pages = (rounds) => page.evaluate(async ([qs, n]) => {
      const { connect } = await import('/host/client.js');
      const l = await connect();
      const out = [];
      for (let r = 0; r < n; r++) {
        for (const q of qs) {
          const t0 = performance.now();
          const a = await l.call('api', { path: `/api/v1/directory?${q}${q ? '&' : ''}limit=50` });
          out.push(performance.now() - t0);
          if (!a.ok) return { error: a, q };
        }
      }
      return out;
    }, [queries, rounds]).then((times) => {
      if (times.error) throw new Error('directory failed: ' + JSON.stringify(times));
      return times;
    });
    // While the laptop's own first sync of the whole record runs (its worker applies pages
    // between the answers), then once it is done: the day-to-day figure, which RESULT reports.
    const syncing = async () => { const st = await hostCall(page, 'status', {}); return st.ok && (st.value.syncing || !st.value.lastSyncAt); };
    if (await syncing()) {
      const during = await pages(1);
      log(`central phase: directory during the laptop's first sync: p50 ${percentile(during, 50).toFixed(1)} ms, p95 ${percentile(during, 95).toFixed(1)} ms (${during.length} pages)`);
      const t1 = Date.now();
      while (await syncing()) {
        if (Date.now() - t1 > 900000) throw new Error('the laptop\'s first sync did not end within 15 minutes');
        await new Promise((r) => setTimeout(r, 1000));
      }
      log(`central phase: the laptop's first sync ended ${((Date.now() - t1) / 1000).toFixed(0)} s later`);
    }
    const times = await pages(3);
    result.central_directory_p95_ms = round(percentile(times, 95), 1);
    log(`central phase: directory p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${result.central_directory_p95_ms} ms (${times.length} pages, the laptop synced)`);
  } finally {
    if (context) await context.close();
    await server.stop();
  }
}

async function main() {
  const o = options();
  const phases = new Set(o.phases.split(','));
  for (const p of phases) if (!['main', 'store', 'central'].includes(p)) throw new Error(`unknown phase ${p} (main, store, central)`);
  const { chromium } = require('playwright-core');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-web-'));
  const shell = shellGzKb(o.app);
  const result = { shell_gz_kb: round(shell.kb) };
  log(`shell + module, gzip: ${result.shell_gz_kb} KB (rooms loaded on demand, not counted: ${round(shell.lazyKb, 1)} KB)`);
  if (phases.has('main')) await mainPhase(o, chromium, tmp, result);
  if (phases.has('store')) {
    const t = Date.now();
    await storePhase(o, chromium, tmp, result);
    log(`store phase: ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  if (phases.has('central')) {
    const t = Date.now();
    await centralPhase(o, chromium, tmp, result);
    log(`central phase: ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });

  const keys = ['shell_gz_kb', 'offline_reload_ms', 'first_sync_s', 'search_p95_ms', 'wasm_merge_ops_per_s',
    'store_first_sync_s', 'store_directory_p95_ms', 'store_pull_bytes_per_1000_interactions',
    'central_directory_p95_ms', 'central_first_screen_ms'];
  console.log('RESULT web ' + keys.filter((k) => k in result).map((k) => `${k}=${result[k]}`).join(' '));
}

main().catch((e) => {
  console.error('web: failed:', e.message);
  process.exit(1);
});
