// Run by the build (web/CMakeLists.txt) on the assembled app folder, before compression:
//   node web/tools/stamp-app.mjs build/wasm/app
//
// 1. sw.js: the line `const BUILD = …;` gets the app's files (everything the service worker
//    caches for a start with no network) and a version, the SHA-256 of their contents. A new
//    build therefore changes sw.js, which is how browsers learn there is an update (sw.js is
//    served no-cache); an unchanged build leaves it byte for byte the same.
// 2. index.html: the marker `<!-- modulepreload -->` becomes one <link rel="modulepreload">
//    per front-end module (after bundle-app.mjs, the one app/app.js) and the tab-side client,
//    so the browser fetches them at once instead of discovering them import by import.
// Source maps (*.map) are left out of the cache: only developer tools ask for them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = process.argv[2];
if (!root || !fs.existsSync(path.join(root, 'sw.js'))) {
  console.error('usage: stamp-app.mjs APP_DIR (the assembled app, with sw.js at its root)');
  process.exit(2);
}

// Files loaded on demand (bundle-app.mjs, lazy.json): not installed, not preloaded.
const lazyList = path.join(root, 'app', 'lazy.json');
const lazy = new Set(fs.existsSync(lazyList) ? JSON.parse(fs.readFileSync(lazyList, 'utf8')) : []);
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    const rel = path.relative(root, p).split(path.sep).join('/');
    if (e.isDirectory()) walk(p);
    else if (!/\.(gz|br|map)$/.test(e.name) && rel !== 'sw.js' && rel !== 'app/lazy.json' && !lazy.has(rel)) files.push(rel);
  }
})(root);

const hash = crypto.createHash('sha256');
for (const f of files) hash.update(f).update('\0').update(fs.readFileSync(path.join(root, f))).update('\0');
// The files loaded on demand too: the service worker keeps them in this version's cache
// (core-full.* keeps its name when its content changes).
for (const f of [...lazy].sort()) hash.update(f).update('\0').update(fs.readFileSync(path.join(root, f))).update('\0');
const version = hash.digest('hex').slice(0, 16);

function replaceOnce(file, pattern, replacement) {
  const p = path.join(root, file);
  const text = fs.readFileSync(p, 'utf8');
  if (!pattern.test(text)) {
    console.error(`stamp-app: ${file} has no ${pattern} to fill in`);
    process.exit(1);
  }
  fs.writeFileSync(p, text.replace(pattern, replacement));
}

// The client first: it starts the database worker (app/start.js, bundled into app/app.js).
const modules = ['host/client.js', ...files.filter((f) => /^app\/.*\.js$/.test(f))];
replaceOnce('index.html', /<!-- modulepreload -->/,
  modules.map((m) => `<link rel="modulepreload" href="${m}">`).join('\n'));
// The shell's entry is './' too: a navigation to the app's root.
replaceOnce('sw.js', /^const BUILD = .*;$/m,
  `const BUILD = ${JSON.stringify({ version, files: ['./', ...files] })};`);
console.log(`stamp-app: version ${version}, ${files.length} files, ${modules.length} modules preloaded`);
