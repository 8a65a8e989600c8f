// The browser half of ./scripts/bench reports (docs/PERFORMANCE.md "Reports"): a regional
// manager's AMEC report computed in headless Chromium from her laptop's replica.
//
//   node bench/web/reports.mjs --app build/wasm/app --server build/native/server/liaison-server
//        [--people 100000] [--contacts 1000000] [--region-share 0.1] [--runs 40]
//        [--keep-replica FILE]
//
// A real liaison-server (the demo, plus a generated company pushed through the sync endpoint
// with bench/web/lib.mjs): --people people and --contacts contacts overall, the share
// --region-share of them placed at the stores of the demo regional manager's region, the rest
// at the other stores. Her laptop (a new browser profile) signs in and first-syncs its scope —
// the region's people and contacts — then asks the worker for the region's AMEC report
// (`report`, the façade over core::run_report, docs/METRICS.md; her scope, no filter) --runs
// times, alternating the period, the breakdown and the attribution model as a person does; the
// time of each call is taken in the page, through the worker (the router, the database worker,
// the WebAssembly core).
// Checks that the report counts the region's contacts, and that the device's figures equal the
// server's REST report for her token.
//
// Ends with one line: browser_p95_ms=<n> [budget < 500 ms].
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import { makeOps, pushAll, randomId, refFields, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);
const log = (...a) => console.log('reports:', ...a);

function options() {
  const o = { people: 100000, contacts: 1000000, 'region-share': 0.1, runs: 40, 'keep-replica': '' };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in o) && !['app', 'server'].includes(key)) throw new Error(`unknown option ${argv[i]}`);
    o[key] = typeof o[key] === 'number' ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!o.app || !o.server) throw new Error('usage: reports.mjs --app DIR --server BIN [--people N] [--contacts N] [--region-share F] [--runs N]');
  if (!(o['region-share'] > 0 && o['region-share'] <= 1)) throw new Error('--region-share: a fraction in (0, 1]');
  return o;
}

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

async function api(origin, token, route) {
  const res = await fetch(origin + route, { headers: { Authorization: 'Bearer ' + token } });
  if (!res.ok) throw new Error(`GET ${route}: ${res.status} ${await res.text()}`);
  return res.json();
}

// Runs inside the database worker (web/host/worker.js, a classic script: its top-level `state`
// is visible here). Wraps the OPFS handles' read and the core's `call` of every core the worker
// will hold (the first report swaps it), recording one entry per `report` call.
function probeWorker() {
  const probe = (self.benchProbe = { reads: 0, bytes: 0, readMs: 0, calls: [] });
  for (const h of Object.values(state.handles || {})) {
    const read = h.read.bind(h);
    h.read = (buf, opts) => {
      const t0 = performance.now();
      const n = read(buf, opts);
      probe.readMs += performance.now() - t0;
      probe.reads++;
      probe.bytes += buf.length;
      return n;
    };
  }
  const wrap = (core) => {
    if (!core || core.benchWrapped) return core;
    const call = core.call.bind(core);
    core.call = (method, args) => {
      if (method !== 'report') return call(method, args);
      probe.reads = probe.bytes = probe.readMs = 0;
      const t0 = performance.now();
      const r = call(method, args);
      probe.calls.push({ ms: performance.now() - t0, reads: probe.reads, mib: probe.bytes / 1048576, readMs: probe.readMs });
      return r;
    };
    core.benchWrapped = true;
    return core;
  };
  let core = wrap(state.core);
  Object.defineProperty(state, 'core', { get: () => core, set: (v) => { core = wrap(v); }, configurable: true });
}

// Copies the replica out of the closed browser profile: Chromium keeps an OPFS file under an
// opaque name in the profile's "File System" folder; the replica is the largest file there
// that starts as an SQLite database does.
function keepReplica(profile, target) {
  let best = null;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const size = fs.statSync(p).size;
        if (size < 100 || (best && size <= best.size)) continue;
        const head = Buffer.alloc(16);
        const fd = fs.openSync(p, 'r');
        fs.readSync(fd, head, 0, 16, 0);
        fs.closeSync(fd);
        if (head.toString('latin1') === 'SQLite format 3\0') best = { p, size };
      }
    }
  };
  walk(path.join(profile, 'Default', 'File System'));
  if (!best) throw new Error('no SQLite file in the profile\'s OPFS folder');
  fs.copyFileSync(best.p, target);
  log(`replica kept: ${target} (${(best.size / 1048576).toFixed(1)} MiB)`);
}

async function main() {
  const o = options();
  const { chromium } = require('playwright-core');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-reports-'));
  const server = await startServer(o.server, path.join(tmp, 'server.db'), { staticDir: o.app, extra: ['--rate-limit', '1000000', '--burst', '1000000'] });
  let context = null;
  try {
    const { central, regional } = server.tokens;
    if (!central || !regional) throw new Error('the demo printed no central or regional token');
    const me = await api(server.origin, regional, '/api/v1/me');
    const region = me.scope.regions[0];
    if (!region) throw new Error(`the demo's regional manager has no region: ${JSON.stringify(me.scope)}`);
    const stores = (await api(server.origin, central, '/api/v1/stores?limit=200')).items;
    const mine = stores.filter((s) => s.region === region);
    const others = stores.filter((s) => s.region !== region);
    if (!mine.length || !others.length) throw new Error('the demo has no store inside and outside the regional manager\'s region');

    // ---- The company: the region's share first, then everyone else.
    const regionPeople = Math.round(o.people * o['region-share']);
    const regionContacts = Math.round(o.contacts * o['region-share']);
    const at = (list) => (i) => { const s = list[i % list.length]; return refFields({ store: s.id, brand: s.brand }); };
    let t = Date.now();
    let sent = 0;
    for (const [people, contacts, list, seed, offset] of [
      [regionPeople, regionContacts, mine, 31, 0],
      [o.people - regionPeople, o.contacts - regionContacts, others, 37, regionPeople]]) {
      const replica = randomId();
      sent += await pushAll(server.origin, central, replica, makeOps({ influencers: people, interactions: contacts, seed, replica, offset,
        place: at(list), contactPlace: at(list) }));
    }
    log(`generated ${sent} operations (${o.people} people, ${o.contacts} contacts; region ${region}: ${regionPeople} people, ${regionContacts} contacts at its ${mine.length} stores) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // ---- Her laptop: a new profile, signed in, first sync of her scope.
    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: process.env.LIAISON_CHROMIUM || '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] || await context.newPage();
    page.on('pageerror', (e) => log('page error:', e.message));
    await page.goto(server.origin + '/', { waitUntil: 'load' });
    t = Date.now();
    const synced = await page.evaluate(async (tok) => {
      const { connect } = await import('/host/client.js');
      const l = await connect();
      const s = await l.call('signIn', { token: tok });
      if (!s.ok) return { error: s };
      let st;
      do {
        await new Promise((r) => setTimeout(r, 200));
        st = (await l.call('status')).value;
      } while ((st.syncing || !st.lastSyncAt) && !st.lastError);
      return st.lastError ? { error: st.lastError } : { cursor: st.cursor };
    }, regional);
    if (synced.error) throw new Error('first sync failed: ' + JSON.stringify(synced.error));
    log(`regional first sync in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // ---- The report, through the worker, as the screen asks it.
    const day = (ms) => new Date(ms).toISOString().slice(0, 10);
    const now = Date.now();
    // Her scope is the region: no region filter, which would keep only the entries that name
    // the region itself, not those that name one of its stores (core/query/reports/context.cpp).
    const variants = [
      {},
      { from: day(now - 90 * 86400000), to: day(now) },
      { group_by: 'month' },
      { model: 'linear' },
      { group_by: 'department', from: day(now - 180 * 86400000), to: day(now) },
    ];
    // Where each call's time goes, measured inside the database worker: the façade's `report`
    // call (WebAssembly, SQLite, the answer's JSON) and the reads SQLite asked of the OPFS
    // access handles (web/facade/opfs_file.cpp), calls and bytes. The rest of a call's time in
    // the page is the worker's queue, the core swap of the first call and the messages.
    const dbWorker = page.workers().find((w) => /\/host\/worker\.js/.test(w.url()));
    if (dbWorker) await dbWorker.evaluate(probeWorker);
    const res = await page.evaluate(async ([vs, runs]) => {
      const { connect } = await import('/host/client.js');
      const l = await connect();
      const times = [];
      let first = null;
      for (let i = 0; i < runs; i++) {
        const args = { report: 'amec', ...vs[i % vs.length] };
        const t0 = performance.now();
        const r = await l.call('report', args);
        times.push(performance.now() - t0);
        if (!r.ok) return { error: r };
        if (i === 0) first = r.value;
      }
      return { times, first };
    }, [variants, o.runs]);
    if (res.error) throw new Error('report failed: ' + JSON.stringify(res.error));
    const contacts = res.first.tables.find((x) => x.id === 'activities').rows.find((r) => r[0] === 'contacts')[1];
    if (contacts < regionContacts) throw new Error(`the device's report counts ${contacts} contacts, fewer than the region's ${regionContacts}`);
    const rest = await api(server.origin, regional, '/api/v1/reports/amec');
    if (JSON.stringify(rest.tables) !== JSON.stringify(res.first.tables)) throw new Error('the device\'s figures differ from the server\'s REST report for the same token');
    const p50 = percentile(res.times, 50), p95 = percentile(res.times, 95);
    log(`AMEC report of region ${region} (${contacts} contacts in scope) through the worker, ${res.times.length} runs: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...res.times).toFixed(1)} ms; equal to the server's REST report`);
    log(`first call (with the swap to the reports' core and the making of the place index): ${res.times[0].toFixed(1)} ms`);
    if (dbWorker) {
      const calls = await dbWorker.evaluate(() => self.benchProbe.calls);
      const col = (k) => calls.map((c) => c[k]);
      const stat = (k, unit) => `p50 ${percentile(col(k), 50).toFixed(1)}${unit}, p95 ${percentile(col(k), 95).toFixed(1)}${unit}, max ${Math.max(...col(k)).toFixed(1)}${unit}`;
      log(`  in the worker, ${calls.length} report calls: core ${stat('ms', ' ms')}; OPFS reads ${stat('reads', '')} calls, ${stat('readMs', ' ms')}, ${stat('mib', ' MiB')}`);
      for (let i = 0; i < Math.min(calls.length, 10); i++) {
        const c = calls[i];
        log(`  call ${i} (${JSON.stringify(variants[i % variants.length])}): page ${res.times[i].toFixed(1)} ms, core ${c.ms.toFixed(1)} ms, ${c.reads} reads (${c.mib.toFixed(2)} MiB, ${c.readMs.toFixed(1)} ms)`);
      }
    }
    console.log(`browser_p95_ms=${Math.round(p95)}`);
    if (o['keep-replica']) {
      await context.close();
      context = null;
      keepReplica(path.join(tmp, 'profile'), o['keep-replica']);
    }
  } finally {
    if (context) await context.close();
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error('reports bench failed:', e.message || e);
  process.exit(1);
});
