// Run by the build (web/CMakeLists.txt) on the assembled app folder, before stamp-app.mjs:
//   node web/tools/bundle-app.mjs build/wasm/app
//
// The front end is a dozen small ES modules (web/app/). Served one by one, each start of the
// app asks the service worker for every one of them, and on a two-core tablet those answers
// are most of the time before the database worker even starts (docs/PERFORMANCE.md, offline
// reload). This joins them, with esbuild (pinned in package-lock.json), into the one module
// app/app.js (minified, with app/app.js.map for the browser's developer tools) and removes
// the separate files. host/client.js stays its own module: it is the host's public API, which
// other code (tests, benchmarks, integrations) imports by its address, and a page must have
// exactly one instance of it (it elects the worker that owns the database).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = process.argv[2];
const entry = root && path.join(root, 'app', 'app.js');
if (!entry || !fs.existsSync(entry)) {
  console.error('usage: bundle-app.mjs APP_DIR (the assembled app, with app/app.js)');
  process.exit(2);
}

let esbuild;
try {
  esbuild = createRequire(import.meta.url)('esbuild');
} catch (e) {
  console.error('bundle-app: esbuild is not installed (scripts/deps installs it: npm ci)');
  process.exit(1);
}

const appDir = path.join(root, 'app');
// The bundle replaces its entry (allowOverwrite), so index.html and sw.js name app/app.js either way.
const result = esbuild.buildSync({
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  sourcemap: 'linked',
  outfile: entry,
  allowOverwrite: true,
  external: ['../host/client.js'],
  metafile: true,
  logLevel: 'warning',
  charset: 'utf8',
});
const joined = Object.keys(result.metafile.inputs).map((p) => path.resolve(p));
for (const f of joined) if (f !== path.resolve(entry)) fs.rmSync(f);
const left = fs.readdirSync(appDir).filter((f) => f.endsWith('.js') && f !== 'app.js');
if (left.length) {
  console.error(`bundle-app: app/app.js does not import ${left.join(', ')} (remove them from web/app/ or import them)`);
  process.exit(1);
}
console.log(`bundle-app: ${joined.length} modules in app/app.js (${fs.statSync(entry).size} bytes)`);
