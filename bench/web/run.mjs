// ./scripts/bench web — the browser app's timings, in headless Chromium against a real
// liaison-server that serves the built app and holds a generated company.
//
//   node bench/web/run.mjs --app build/wasm/app --server build/native/server/liaison-server
//        [--merge-wasm build/wasm/web/merge_bench.js] [--merge-native build/native/bench/merge_bench]
//        [--influencers 20000] [--interactions 200000] [--search-influencers 100000]
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
// Ends with one line: RESULT web shell_gz_kb=… offline_reload_ms=… first_sync_s=…
// search_p95_ms=… wasm_merge_ops_per_s=…
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import { makeOps, pushAll, randomId, startServer } from './lib.mjs';

const require = createRequire(import.meta.url);

function options() {
  const o = { influencers: 20000, interactions: 200000, 'search-influencers': 100000, 'merge-ops': 200000 };
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

// Every compressed file of the shell (all but the icons) and the module.
function shellGzKb(app) {
  let bytes = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'icons') walk(p);
      } else if (e.name.endsWith('.gz')) {
        bytes += fs.statSync(p).size;
      }
    }
  };
  walk(app);
  return bytes / 1024;
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

async function main() {
  const o = options();
  const { chromium } = require('playwright-core');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-bench-web-'));
  const result = { shell_gz_kb: round(shellGzKb(o.app)) };
  log(`shell + module, gzip: ${result.shell_gz_kb} KB`);

  const server = await startServer(o.server, path.join(tmp, 'server.db'), {
    staticDir: o.app,
    extra: ['--rate-limit', '1000000', '--burst', '1000000'],
  });
  let context;
  try {
    const token = server.tokens.central;
    if (!token) throw new Error('the demo printed no central token');
    let t = Date.now();
    const replica = randomId();
    const n = await pushAll(server.origin, token, replica, makeOps({ influencers: o.influencers, interactions: o.interactions, replica }));
    log(`generated ${n} operations (${o.influencers} influencers, ${o.interactions} interactions) on top of the demo in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] || (await context.newPage());
    page.on('pageerror', (e) => log('page error:', e.message));
    await page.goto(server.origin + '/', { waitUntil: 'load' });

    // ---- First sync: sign in on a new device, every page applied and persisted.
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
      } while (st.syncing || !st.lastSyncAt);
      const ms = performance.now() - t0;
      return { ms, r: st.lastError ? { ok: false, error: st.lastError } : { ok: true, value: st.timings.sync }, status: st };
    }, token);
    if (first.error || !first.r.ok) throw new Error('first sync failed: ' + JSON.stringify(first.error || first.r));
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
      const synced = await page.evaluate(async () => {
        const { connect } = await import('/host/client.js');
        const l = await connect();
        return l.call('syncNow');
      });
      if (!synced.ok) throw new Error('second sync failed: ' + JSON.stringify(synced));
      log(`${more} more influencers pushed and synced in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
    const times = await page.evaluate(async () => {
      const { connect } = await import('/host/client.js');
      const l = await connect();
      const words = ['h', 'he', 'hel', 'hélè', 'helene d', 'ma', 'mar', 'martin', 'zo', 'zoé m', 'nguy', 'lé', 'lea', 'chlo', 'dupont 12', 'in', 'inès', 'mü', 'muller', 'ga', 'garcia r', 'ca', 'cam', 'camille f', 'théo', 'jade 4', 'adam', '5', '123', 'yanis bon'];
      const out = [];
      for (let round = 0; round < 7; round++) {
        for (const w of words) {
          const t0 = performance.now();
          const r = await l.call('search', { text: w, limit: 20 });
          out.push(performance.now() - t0);
          if (!r.ok) return { error: r };
        }
      }
      return out;
    });
    if (times.error) throw new Error('search failed: ' + JSON.stringify(times.error));
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
  fs.rmSync(tmp, { recursive: true, force: true });

  const keys = ['shell_gz_kb', 'offline_reload_ms', 'first_sync_s', 'search_p95_ms', 'wasm_merge_ops_per_s'];
  console.log('RESULT web ' + keys.map((k) => `${k}=${result[k]}`).join(' '));
}

main().catch((e) => {
  console.error('web: failed:', e.message);
  process.exit(1);
});
