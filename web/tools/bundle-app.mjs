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
import { fileURLToPath } from 'node:url';

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
// Rooms that only some roles open (the central workspace, administration) are imported with
// import(): esbuild splits them (and code shared by several modules) into app/chunks/;
// lazy.json lists the files app/app.js does not need at start, which
// stamp-app.mjs leaves out of the service worker's install and of the preloads. A store tablet
// downloads them only if someone opens those screens on it.
// The bundle replaces its entry (allowOverwrite), so index.html and sw.js name app/app.js either way.
const result = esbuild.buildSync({
  entryPoints: [entry],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  sourcemap: 'linked',
  outdir: appDir,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  allowOverwrite: true,
  external: ['../host/client.js'],
  // The app's one runtime library (chart.js, for the reports room's charts: a chunk of its own)
  // is resolved from the repository's node_modules wherever the build tree lies.
  nodePaths: [path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules')],
  metafile: true,
  logLevel: 'warning',
  charset: 'utf8',
});
const outputs = result.metafile.outputs;
const rel = (p) => path.relative(root, path.resolve(p)).split(path.sep).join('/');
// What app/app.js needs at start: its static imports, transitively.
const eager = new Set();
(function walk(out) {
  const key = Object.keys(outputs).find((k) => path.resolve(k) === path.resolve(out));
  if (!key || eager.has(key)) return;
  eager.add(key);
  for (const i of outputs[key].imports) if (i.kind === 'import-statement' && !i.external) walk(i.path);
})(entry);
const lazy = Object.keys(outputs).filter((k) => k.endsWith('.js') && !eager.has(k)).map(rel);
const joined = Object.keys(result.metafile.inputs).map((p) => path.resolve(p));
const produced = new Set(Object.keys(outputs).map((p) => path.resolve(p)));
// Only the app's own modules: the bundle's inputs also include the library it joins from
// node_modules, which stays where it is.
const inApp = (f) => !path.relative(path.resolve(appDir), f).startsWith('..');
for (const f of joined) if (!produced.has(f) && inApp(f)) fs.rmSync(f, { force: true });
// Folders of the sources, now empty.
for (const e of fs.readdirSync(appDir, { withFileTypes: true }))
  if (e.isDirectory() && e.name !== 'chunks') fs.rmSync(path.join(appDir, e.name), { recursive: true, force: true });
// The reports' build of the core (web/CMakeLists.txt): loaded by the worker when a device first
// asks for a report, never installed with the shell.
for (const f of ['core-full.js', 'core-full.wasm']) if (fs.existsSync(path.join(root, f))) lazy.push(f);
fs.writeFileSync(path.join(appDir, 'lazy.json'), JSON.stringify(lazy));
const left = fs.readdirSync(appDir).filter((f) => f.endsWith('.js') && f !== 'app.js');
if (left.length) {
  console.error(`bundle-app: app/app.js does not import ${left.join(', ')} (remove them from web/app/ or import them)`);
  process.exit(1);
}
const size = (k) => fs.statSync(k).size;
console.log(`bundle-app: ${joined.length} modules in app/app.js (${size(entry)} bytes)` +
  (lazy.length ? ` and ${lazy.length} loaded on demand (${lazy.map((f) => size(path.join(root, f))).reduce((a, b) => a + b, 0)} bytes)` : ''));

// The host's scripts (the worker that owns the database, the tab-side client, the router and
// the fetch helper) are served as they are written, comments and all: minified here too, each
// keeping its own name and exports (client.js is the public API), with a linked source map.
// The worker alone was 13.6 KB gzipped of the 700 KB a device installs (docs/PERFORMANCE.md).
for (const name of ['worker.js', 'client.js', 'router.js', 'fetcher.js']) {
  const file = path.join(root, 'host', name);
  if (!fs.existsSync(file)) continue;
  const source = fs.readFileSync(file, 'utf8');
  const esm = /^\s*(import|export)\s/m.test(source);
  const out = esbuild.transformSync(source, {
    loader: 'js', minify: true, target: 'es2020', charset: 'utf8', sourcemap: 'external',
    sourcefile: name, ...(esm ? { format: 'esm' } : {}),
  });
  fs.writeFileSync(file, `${out.code}//# sourceMappingURL=${name}.map\n`);
  fs.writeFileSync(`${file}.map`, out.map);
}
