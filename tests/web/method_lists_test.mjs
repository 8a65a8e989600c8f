// The browser host's method names agree across the files that list them (node, no browser):
//   web/facade/facade.cpp  kMethods: what the core answers;
//   web/host/worker.js     WRITES and CORE_METHODS: what a tab may call, and which calls write;
//                          the worker's own calls (its dispatch switch);
//   web/host/router.js     RESENDABLE: the calls sent again to the next owner (reads only);
//   web/README.md          the client API's table.
// A name added to one and not the others fails here, naming the file to fix.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (p) => readFileSync(join(root, p), 'utf8');

// The quoted names inside the first `const NAME = new Set([ ... ]);` (spread entries skipped).
function setLiteral(text, name, file) {
  const m = new RegExp(`const ${name} = new Set\\(\\[([\\s\\S]*?)\\]\\);`).exec(text);
  if (!m) throw new Error(`${file}: no "const ${name} = new Set([...])"`);
  return new Set([...m[1].matchAll(/'([A-Za-z]+)'/g)].map((x) => x[1]));
}

const facadeText = read('web/facade/facade.cpp');
const table = /const MethodDef kMethods\[\] = \{([\s\S]*?)\};/.exec(facadeText);
if (!table) throw new Error('web/facade/facade.cpp: no kMethods table');
const facade = new Set([...table[1].matchAll(/\{"([A-Za-z]+)",/g)].map((x) => x[1]));

const workerText = read('web/host/worker.js');
const writes = setLiteral(workerText, 'WRITES', 'web/host/worker.js');
const core = new Set([...setLiteral(workerText, 'CORE_METHODS', 'web/host/worker.js'), ...writes]);
// The worker's own calls: the `case '...':` labels of dispatch(), and setOnline before it.
const dispatchBody = /async function dispatch\(method, args\) \{([\s\S]*?)\n\}/.exec(workerText);
if (!dispatchBody) throw new Error('web/host/worker.js: no dispatch()');
const own = new Set([...dispatchBody[1].matchAll(/case '([A-Za-z]+)':|method === '([A-Za-z]+)'/g)].map((x) => x[1] || x[2]));
// The façade calls the worker makes itself rather than for a tab.
const internal = new Set([...workerText.matchAll(/state\.core\.call\('([A-Za-z]+)'/g)].map((x) => x[1]));
// signInWithCode spends a one-time code: never sent twice.
const ownWrites = new Set(['signIn', 'signInWithCode', 'signOut', 'syncNow', 'setSettings', 'setInCharge', 'api']);

const resendable = setLiteral(read('web/host/router.js'), 'RESENDABLE', 'web/host/router.js');
const readme = read('web/README.md');
const documented = new Set([...readme.matchAll(/^\| `([A-Za-z]+)`(?: \/ `([A-Za-z]+)`)?/gm)].flatMap((x) => [x[1], x[2]]).filter(Boolean));

const problems = [];
for (const m of core) if (!facade.has(m)) problems.push(`web/host/worker.js lists "${m}", which the façade (kMethods) does not answer`);
for (const m of facade)
  if (!core.has(m) && !internal.has(m))
    problems.push(`web/host/worker.js: the façade's "${m}" is neither callable by a tab (CORE_METHODS) nor called by the worker`);
const callable = new Set([...core, ...own]);
const reads = [...callable].filter((m) => !writes.has(m) && !ownWrites.has(m));
for (const m of resendable) {
  if (!callable.has(m)) problems.push(`web/host/router.js: RESENDABLE "${m}" is not a call the worker takes`);
  else if (writes.has(m) || ownWrites.has(m)) problems.push(`web/host/router.js: RESENDABLE "${m}" writes; sent twice it could apply twice`);
}
for (const m of reads) if (!resendable.has(m)) problems.push(`web/host/router.js: the read "${m}" is not RESENDABLE (lost when the owner tab closes)`);
for (const m of callable) if (!documented.has(m)) problems.push(`web/README.md: the call "${m}" is not in the client API's table`);
for (const m of documented) if (!callable.has(m)) problems.push(`web/README.md documents "${m}", which no tab can call`);

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`method lists agree: ${facade.size} façade methods, ${callable.size} calls (${writes.size + ownWrites.size} writes), ${resendable.size} resendable`);
