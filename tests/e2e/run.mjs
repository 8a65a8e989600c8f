// Runs one end-to-end flow: node tests/e2e/run.mjs --server <liaison-server> --app <app dir>
// [--screenshots <dir>] <flow> (flows are tests/e2e/flows/<flow>.mjs; --screenshots: where the
// screenshots flow writes its pictures, by default a scratch folder removed afterwards). Prints "PASS <flow> (<s> s)" or "FAIL <flow>: why"
// and exits 0 or 1. Every flow gets a fresh server and fresh browser profiles.
import { existsSync } from 'node:fs';
import { Harness, TestFailure } from './harness.mjs';

const FLOW_TIMEOUT_MS = Number(process.env.LIAISON_E2E_TIMEOUT_MS || 240000);

function args() {
  const a = process.argv.slice(2);
  const out = { flows: [] };
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--server') out.serverBin = a[++i];
    else if (a[i] === '--app') out.appDir = a[++i];
    else if (a[i] === '--screenshots') out.screenshotsDir = a[++i];
    else out.flows.push(a[i]);
  }
  return out;
}

async function runFlow(name, opts) {
  const hx = new Harness(opts);
  const started = Date.now();
  let timer;
  try {
    const { default: flow } = await import(`./flows/${name}.mjs`);
    await Promise.race([
      (async () => { await hx.startServer(); await flow(hx); })(),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new TestFailure(`took longer than ${FLOW_TIMEOUT_MS / 1000} s`)), FLOW_TIMEOUT_MS); }),
    ]);
    hx.assertNoConsoleErrors();
    console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return true;
  } catch (e) {
    const why = e instanceof TestFailure ? e.message : (e && e.stack) || String(e);
    console.log(`FAIL ${name} (${((Date.now() - started) / 1000).toFixed(1)} s): ${why}`);
    if (hx.consoleErrors.length) console.log(`browser console errors:\n  ${hx.consoleErrors.join('\n  ')}`);
    for (const c of hx.contexts) for (const p of c.pages()) {
      const seen = await p.evaluate(() => `${location.hash} | ${document.getElementById('syncbar')?.innerText || ''} | ${document.getElementById('main')?.innerText.slice(0, 400)}`).catch(() => '?');
      console.log(`screen of ${c.deviceName}: ${seen.replace(/\s+/g, ' ')}`);
    }
    if (hx.serverLog && process.env.LIAISON_E2E_VERBOSE) console.log(`server log:\n${hx.serverLog}`);
    return false;
  } finally {
    clearTimeout(timer);
    await hx.cleanup();
  }
}

const opts = args();
if (!opts.serverBin || !opts.appDir || !opts.flows.length) {
  console.error('usage: node tests/e2e/run.mjs --server <liaison-server> --app <assembled app dir> [--screenshots <dir>] <flow>...');
  process.exit(2);
}
for (const f of [opts.serverBin, `${opts.appDir}/index.html`, `${opts.appDir}/core.wasm`]) {
  if (!existsSync(f)) { console.log(`FAIL: ${f} is missing (build the server and the WebAssembly tree first)`); process.exit(1); }
}
let ok = true;
for (const flow of opts.flows) ok = (await runFlow(flow, opts)) && ok;
process.exit(ok ? 0 : 1);
