// The worker that owns the browser's one copy of the record (web/README.md).
//
// A dedicated Worker. Normally the tabs elect one of them through the Web Lock 'liaison-db'
// (client.js); that tab starts this worker and hands it a port from the router, the
// SharedWorker every tab talks to (router.js). Where SharedWorker is missing, each tab starts
// its own worker, which waits for the same lock before it opens the database. It:
//   1. opens the database file in the Origin Private File System through synchronous access
//      handles (web/facade/opfs_file.hpp: SQLite reads only the pages it needs, so a start
//      costs the same for 1 MB or 1 GB) — or, where the browser has no such handles, reads it
//      back from IndexedDB (64 KiB chunks) into memory; a file kept in IndexedDB by an earlier
//      version moves to OPFS on the first start that can;
//   2. answers the tabs' calls one at a time; in IndexedDB mode, after every call that wrote,
//      it stores the dirtied chunks in ONE IndexedDB transaction before it answers (in OPFS
//      mode SQLite's own journal and syncs make each transaction durable);
//   3. syncs with the server: POST /api/v1/sync (binary), page after page until the server
//      has nothing more, after a local write (debounced), every 30 s, and when the network
//      comes back; between pages the tabs' calls are answered;
//   4. tells every tab when the record changed ('changed') and when the sync state changed
//      ('sync', with the value of 'status').
//
// OPFS: 'liaison.db' and its rollback journal 'liaison.db-journal'. IndexedDB 'liaison':
// store 'chunks' (IndexedDB mode only; key: chunk index, value: Uint8Array), store 'meta'
// (size: file size in bytes, IndexedDB mode; auth: {server, token, user, name, role, scope,
// staff}; settings; sync: {lastSyncAt}; inCharge: {"<server> <user>": staff id}, the person in
// charge chosen on this device, per user; views: {owner: "<server> <user>", items: [{person,
// viewed_at}]}, the full-record views not yet reported to the server). Workers have no
// localStorage.
'use strict';

const DB_PATH = '/liaison.db';
const CHUNK_BYTES = 64 * 1024;
const IDB_NAME = 'liaison';
const SYNC_PERIOD_MS = 30000;
const SYNC_AFTER_WRITE_MS = 1500;
const PUSH_MAX_OPS = 500;
// Changes per pulled page: the server's cap. A page is one transaction; at 2,000 the first sync
// of 20,000 influencers and 200,000 interactions took 13.3 s in Chromium, at 5,000 9.7 s (each
// commit writes the pages it dirtied). A tab's call waits for at most one page (~150 ms).
const PAGE_LIMIT = 5000;
// During a sync, pulled pages are persisted at most this often (and at the end): a page lost
// to a crash is pulled again, since the cursor is stored in the same chunks as the changes.
// Local writes are always persisted before they are answered.
const SYNC_PERSIST_EVERY_MS = 10000;
const MAX_ROUNDS = 100000;
const RATE_LIMIT_MAX_WAIT_S = 30;
const DEFAULT_SETTINGS = { contactCap: 4, lang: null };
// The files in OPFS, by the path SQLite opens them under.
const OPFS_FILES = { [DB_PATH]: 'liaison.db', [DB_PATH + '-journal']: 'liaison.db-journal' };
// A new owner may start while the previous one's handles are still closing (its tab just went).
const OPFS_OPEN_WAIT_MS = 10000;
// Where an IndexedDB-kept file is rebuilt in memory on its way to OPFS.
const MIGRATE_PATH = '/migrating.db';
// Tests may ask for IndexedDB mode with a worker name containing 'idb' (client.js, options.storage).
const FORCE_IDB = /\bidb\b/.test(self.name || '');

// The lists of calls are checked against the façade, router.js and web/README.md by
// tests/web/method_lists_test.mjs.
const WRITES = new Set([
  'logContact', 'createInfluencer', 'updateInfluencer', 'addToSet', 'removeFromSet',
  'checkIn', 'undoCheckIn', 'erase', 'dismissRefusals', 'create',
]);
// Calls answered by the server, outside the queue of database calls (serve()): they run while
// the database opens (web/README.md, "When is the worker ready?").
const SERVER_CALLS = new Set(['api', 'history', 'signIn', 'signInWithCode']);
// How long the database's synchronous steps (its open, applying a pulled page: 0.3–0.8 s) wait
// for a server call under way: its answer needs this thread to reach the page.
const SERVER_FIRST_MAX_MS = 1000;
// A new device opens its new file (0.5 s holding this thread) once the page, signed in, has
// asked for its first screen: no server call begun or ended for QUIET_MS, at most
// NEW_DEVICE_HOLD_MS (the workspace's room is loaded between the sign-in and its requests).
const QUIET_MS = 600;
const NEW_DEVICE_HOLD_MS = 3000;
const CORE_METHODS = new Set([
  ...WRITES, 'search', 'card', 'duplicates', 'possibleMatches', 'events', 'campaigns', 'checkins', 'stateHash', 'choices', 'limits', 'refusals',
  'report',
]);

// ---- Started before anything else -------------------------------------------------------
// The tab creates this worker before it knows whether it will own the database (client.js):
// what any owner needs first starts now, while the Emscripten glue below is still loading,
// and boot() picks it up. The WebAssembly module is fetched and compiled (streaming) and
// IndexedDB opened; the OPFS files are only touched by the owner (their handles are exclusive).
const scriptStart = performance.now();
const early = {
  wasm: compileCore(new URL('../core.wasm', self.location.href).href),
  idb: openIdb(),
};
early.wasm.catch(() => {}); // boot() reports these failures; they must not go unhandled before
early.idb.catch(() => {});

importScripts('../core.js');

// The module compiled as it arrives; a server that labels it wrongly (not application/wasm)
// costs a second read, not a failure.
function compileCore(url) {
  return fetch(url, { credentials: 'same-origin' }).then((res) => {
    if (!res.ok) throw new Error(`the WebAssembly module could not be loaded (${res.status} ${res.statusText})`);
    return WebAssembly.compileStreaming(res.clone()).catch(() => res.arrayBuffer().then((b) => WebAssembly.compile(b)));
  });
}

// The Emscripten module around the compiled core.
function loadCore() {
  return new Promise((resolve, reject) => {
    createLiaisonCore({
      // core.js sits at the app root, one level above this worker.
      locateFile: (file) => new URL('../' + file, self.location.href).href,
      instantiateWasm(imports, receive) {
        early.wasm
          .then((module) => WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module)))
          .catch(reject);
        return {}; // the exports arrive through receive()
      },
    }).then(resolve, reject);
  });
}

const ports = new Set();
const state = {
  core: null, // Module.Core
  full: false, // the core is core-full.wasm, with the reports (fullCore)
  module: null,
  idb: null,
  storage: null, // 'opfs' or 'idb'
  handles: null, // OPFS mode: path -> FileSystemSyncAccessHandle
  bootError: null,
  auth: null, // {server, token, user, name, role, scope, staff: [{id, name}]}
  inCharge: {}, // "<server> <user>" -> the staff id chosen as the person in charge here
  views: { owner: null, items: [] }, // full-record views to report (reportView)
  settings: { ...DEFAULT_SETTINGS },
  lastSyncAt: null,
  lastError: null,
  syncing: null, // the running sync's promise
  progress: null,
  online: typeof navigator === 'undefined' ? true : navigator.onLine !== false,
  syncTimer: null,
  upgradeRequired: false, // the server answered upgrade_required (426): no automatic syncs
  // Where the time went (ms), for diagnostics and ./scripts/bench web: boot (restore, open)
  // and the last sync (fetch, apply, persist, pages).
  timings: { boot: null, sync: null },
};

// ---- Small helpers ------------------------------------------------------------------------

const ok = (value) => ({ ok: true, value });
const fail = (code, message) => ({ ok: false, code, message });
const parse = (json) => JSON.parse(json);

function broadcast(event, data) {
  for (const port of ports) {
    try {
      port.postMessage({ event, data });
    } catch (e) {
      ports.delete(port);
    }
  }
}

function idbRequest(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function idbDone(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error || new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error || new Error('IndexedDB transaction aborted'));
  });
}

function openIdb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(IDB_NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('chunks')) db.createObjectStore('chunks');
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another version of the app'));
  });
}

async function metaGet(key) {
  const tx = state.idb.transaction('meta', 'readonly');
  return idbRequest(tx.objectStore('meta').get(key));
}

// Several keys in one transaction, in the order asked.
async function metaGetAll(keys) {
  const store = state.idb.transaction('meta', 'readonly').objectStore('meta');
  return Promise.all(keys.map((key) => idbRequest(store.get(key))));
}

async function metaPut(key, value) {
  const tx = state.idb.transaction('meta', 'readwrite');
  if (value === undefined) tx.objectStore('meta').delete(key);
  else tx.objectStore('meta').put(value, key);
  await idbDone(tx);
}

// ---- Persistence --------------------------------------------------------------------------

// Stores the chunks the last calls dirtied, with the file size, in one transaction.
// In OPFS mode SQLite wrote the file itself: nothing to do.
async function persist() {
  if (state.storage === 'opfs') return 0;
  const d = state.core.dirtyChunks();
  if (!d.ok) throw Object.assign(new Error(d.message), { code: d.code });
  const { size, chunks } = d.value;
  if (chunks.length === 0) return 0;
  const tx = state.idb.transaction(['chunks', 'meta'], 'readwrite');
  const store = tx.objectStore('chunks');
  for (const c of chunks) store.put(c.bytes, c.index);
  const count = Math.ceil(size / CHUNK_BYTES);
  store.delete(IDBKeyRange.lowerBound(count)); // the file shrank: drop what lies past its end
  tx.objectStore('meta').put(size, 'size');
  await idbDone(tx);
  return chunks.length;
}

// Every chunk IndexedDB holds, with the file size (undefined when there is no file).
async function readChunks() {
  const tx = state.idb.transaction(['chunks', 'meta'], 'readonly');
  const [keys, values, size] = await Promise.all([
    idbRequest(tx.objectStore('chunks').getAllKeys()),
    idbRequest(tx.objectStore('chunks').getAll()),
    idbRequest(tx.objectStore('meta').get('size')),
  ]);
  return { keys, values, size };
}

// Reads every chunk back into the in-memory file at `path`, before the database is opened.
async function restore(path) {
  const { keys, values, size } = await readChunks();
  if (size === undefined) return 0;
  const r = state.module.restoreFile(path, size, keys, values);
  if (!r.ok) throw new Error(r.message);
  return size;
}

// Whether this browser lets a worker read and write OPFS files synchronously.
function opfsAvailable() {
  return !FORCE_IDB && typeof FileSystemFileHandle === 'function' &&
    'createSyncAccessHandle' in FileSystemFileHandle.prototype &&
    !!(self.navigator && navigator.storage && navigator.storage.getDirectory);
}

// Opens a sync access handle on each OPFS file. A handle is exclusive: while the previous
// owner's worker is still going away, the open is retried for a few seconds.
async function openOpfs() {
  const root = await navigator.storage.getDirectory();
  const handles = {};
  try {
    for (const [path, name] of Object.entries(OPFS_FILES)) {
      const file = await root.getFileHandle(name, { create: true });
      const until = performance.now() + OPFS_OPEN_WAIT_MS;
      for (;;) {
        try {
          handles[path] = await file.createSyncAccessHandle();
          break;
        } catch (e) {
          if (e.name !== 'NoModificationAllowedError' || performance.now() > until) throw e;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }
  } catch (e) {
    for (const h of Object.values(handles)) h.close();
    throw e;
  }
  return handles;
}

// A file an earlier version kept in IndexedDB moves into the (empty) OPFS file, then leaves
// IndexedDB. A start interrupted between the two finds the OPFS file filled and only clears.
async function migrateFromIdb(handle) {
  if ((await metaGet('size')) === undefined) return 0;
  let moved = 0;
  if (handle.getSize() === 0 && (await restore(MIGRATE_PATH)) > 0) {
    const bytes = state.module.FS.readFile(MIGRATE_PATH);
    state.module.FS.unlink(MIGRATE_PATH);
    if (handle.write(bytes, { at: 0 }) !== bytes.length) throw new Error('the database could not be copied to the file system');
    handle.flush();
    moved = bytes.length;
  }
  const clear = state.idb.transaction(['chunks', 'meta'], 'readwrite');
  clear.objectStore('chunks').clear();
  clear.objectStore('meta').delete('size');
  await idbDone(clear);
  return moved;
}

async function wipeLocal() {
  if (state.core) state.core.call('close', '{}');
  if (state.storage === 'opfs') {
    for (const h of Object.values(state.handles)) {
      h.truncate(0);
      h.flush();
    }
  } else {
    state.module.restoreSize(DB_PATH, 0);
  }
  const tx = state.idb.transaction(['chunks', 'meta'], 'readwrite');
  tx.objectStore('chunks').clear();
  tx.objectStore('meta').delete('size');
  tx.objectStore('meta').delete('sync');
  await idbDone(tx);
  state.lastSyncAt = null;
  const opened = parse(state.core.call('open', JSON.stringify({ path: DB_PATH })));
  if (!opened.ok) throw new Error(opened.message);
  await persist();
}

// ---- Boot ---------------------------------------------------------------------------------

// What IndexedDB keeps, read first: a device where nobody is signed in starts with it alone.
async function readMeta() {
  state.idb = await early.idb;
  const [auth, settings, sync, inCharge, views] = await metaGetAll(['auth', 'settings', 'sync', 'inCharge', 'views']);
  state.auth = auth || null;
  state.newDevice = !auth; // nobody signed in at start: the first screen's calls go first
  state.inCharge = inCharge || {};
  state.settings = { ...DEFAULT_SETTINGS, ...(settings || {}) };
  state.lastSyncAt = (sync || {}).lastSyncAt || null;
  if (views && Array.isArray(views.items)) state.views = views;
}

async function boot(meta) {
  const t = { script: scriptStart, start: performance.now() };
  const opfs = opfsAvailable();
  const stamp = (key) => (value) => ((t[key] = performance.now()), value);
  // Independent, so at the same time: IndexedDB and what it keeps (sign-in, settings, last
  // sync), the module (fetched and compiled), the OPFS file handles.
  const settled = await Promise.allSettled([
    meta.then(stamp('idb')),
    loadCore().then(stamp('module')),
    opfs ? openOpfs().then(stamp('handles')) : null,
  ]);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) {
    // Handles are exclusive: leave none open behind a failed start.
    if (settled[2].value) for (const h of Object.values(settled[2].value)) h.close();
    throw failed.reason;
  }
  const [, module, handles] = settled.map((r) => r.value);
  state.module = module;
  let size;
  let migrated = 0;
  if (opfs) {
    state.handles = handles;
    migrated = await migrateFromIdb(handles[DB_PATH]);
    state.module.opfsFiles = handles; // read by web/facade/opfs_file.cpp
    state.storage = 'opfs';
    size = handles[DB_PATH].getSize();
  } else {
    state.storage = 'idb';
    size = await restore(DB_PATH);
  }
  t.restore = performance.now();
  if (state.newDevice) await firstScreenAsked(t.start); // the page may have signed in already
  await serverCallsSettled(); // the open holds this thread (a new file: 0.5 s)
  t.waited = performance.now();
  state.core = new state.module.Core();
  const opened = parse(state.core.call('open', JSON.stringify({ path: DB_PATH })));
  if (!opened.ok) throw Object.assign(new Error(opened.message), { code: opened.code });
  t.open = performance.now();
  await persist(); // a new file: its first pages
  const at = {}; // wall-clock ms of each step, comparable with a page's performance.timeOrigin
  for (const [k, v] of Object.entries(t)) at[k] = performance.timeOrigin + v;
  const since = (k) => Math.round(t[k] - t.start);
  state.timings.boot = {
    // From the start of boot; IndexedDB, module and handles overlap.
    idbMs: since('idb'),
    moduleMs: since('module'),
    handlesMs: opfs ? since('handles') : null,
    restoreMs: since('restore'), // the file ready: handles (and a move from IndexedDB), or read back
    waitedMs: Math.round(t.waited - t.restore), // for server calls under way
    openMs: since('open'), // the database open
    bytes: size,
    storage: state.storage,
    migratedBytes: migrated,
    at,
  };
  applyContext();
  announce(); // tabs that started before (nobody signed in) see the database's state
  setInterval(() => {
    if (state.auth && state.online) runSync().catch(() => {});
  }, SYNC_PERIOD_MS);
  if (state.auth && state.online) {
    scheduleSync(0);
    refreshMe().catch(() => {}); // the staff this user is linked to may have changed
  }
}

// Entries this device logs carry the signed-in user's place when it is a single one, and every
// change names the person in charge as its actor (docs/SYNC.md A1): `staff` of the context.
function applyContext() {
  if (!state.core) return; // boot() applies it
  const scope = (state.auth && state.auth.scope) || {};
  const one = (list) => (Array.isArray(list) && list.length === 1 ? list[0] : undefined);
  const ctx = { store: one(scope.stores), region: one(scope.regions), brand: one(scope.brands), staff: inCharge() || undefined };
  state.core.call('context', JSON.stringify(ctx));
}

// ---- The person in charge -----------------------------------------------------------------
// A store tablet is shared: the user it is signed in as is linked to the staff members who may
// work on it (GET /api/v1/me, `staff`), and the person at the counter says which of them is
// acting. The choice is kept per user on this device; it defaults to the first linked staff
// member, and a choice that is no longer linked falls back to that default.

const inChargeKey = () => `${state.auth.server} ${state.auth.user}`;

function linkedStaff() {
  return (state.auth && Array.isArray(state.auth.staff)) ? state.auth.staff : [];
}

// The staff id of the person in charge, or null when the user is linked to none.
function inCharge() {
  const staff = linkedStaff();
  if (!staff.length) return null;
  const chosen = state.inCharge[inChargeKey()];
  return staff.some((s) => s.id === chosen) ? chosen : staff[0].id;
}

async function setInCharge(args) {
  if (!state.auth) return fail('not_signed_in', 'Sign in first.');
  if (!linkedStaff().some((s) => s.id === args.staff))
    return fail('forbidden', 'This user is not linked to that staff member: they cannot be in charge on this device.');
  state.inCharge = { ...state.inCharge, [inChargeKey()]: args.staff };
  await metaPut('inCharge', state.inCharge);
  applyContext(); // the next change names her
  announce();
  return ok(statusValue());
}

// Reads the user's linked staff again (an administrator may have changed them since sign-in).
async function refreshMe() {
  const auth = state.auth;
  const res = await fetch(new URL('/api/v1/me', auth.server).href, {
    headers: { Authorization: 'Bearer ' + auth.token },
    cache: 'no-store',
  });
  if (!res.ok || state.auth !== auth) return;
  const me = await res.json();
  if (me.user !== auth.user || JSON.stringify(me.staff || []) === JSON.stringify(auth.staff || [])) return;
  state.auth = { ...auth, staff: me.staff || [] };
  await metaPut('auth', state.auth);
  applyContext();
  announce();
}

// ---- The server's REST API (central workspace, administration, history) -------------------

// What the central team and administrators read and do on the whole record is asked of the
// server, never held on the device (docs/USER-GUIDE.md, "The central workspace"): a request to
// /api/v1/… with this device's token, which the page never sees. Answers {status, body}: the
// JSON body, or the text of a CSV; an HTTP error is a failure with the server's code and message.
const API_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
const API_PATH = /^\/api\/v1\/[A-Za-z0-9_\-./]*(\?[A-Za-z0-9_\-.~%=&+,:]*)?$/;
async function api(args) {
  if (!state.auth) return fail('not_signed_in', 'Sign in to reach the server.');
  const method = args.method || 'GET';
  const path = args.path;
  if (!API_METHODS.has(method)) return fail('invalid_argument', 'method: not an HTTP method the API uses');
  if (typeof path !== 'string' || path.length > 4000 || !API_PATH.test(path) || path.includes('..'))
    return fail('invalid_argument', 'path: not a path of the API (/api/v1/…)');
  if (!state.online) return fail('offline', 'This is kept on the server: it can only be reached online.');
  const init = { method, headers: { Authorization: 'Bearer ' + state.auth.token }, cache: 'no-store' };
  if (typeof args.csv === 'string') {
    // An import (POST …/import): the file's text as it is.
    init.headers['Content-Type'] = 'text/csv';
    init.body = args.csv;
  } else if (args.bytes instanceof ArrayBuffer) {
    // A file's bytes as they are (an evidence file: the server reads its type from them).
    init.headers['Content-Type'] = 'application/octet-stream';
    init.body = args.bytes;
  } else if (args.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(args.body);
  }
  let res;
  try {
    res = await fetch(serverUrl(path), init);
  } catch (e) {
    return NETWORK;
  }
  if (res.status === 401) return REVOKED;
  if (!res.ok) return errorOf(res);
  const type = res.headers.get('Content-Type') || '';
  if (res.status === 204) return ok({ status: 204, body: null });
  // JSON, a CSV's text, or a file's bytes (an evidence file: PDF or image).
  const body = type.includes('json') ? await res.json() : type.startsWith('text/') ? await res.text() : await res.arrayBuffer();
  return ok({ status: res.status, body });
}

// ---- Views of a full record ------------------------------------------------------------------
// The server records who viewed a person's full record (docs/SECURITY.md, "Audit of personal-data
// reads"). The central workspace's person page reads her from the server, which records it; a
// card read from this device's replica (offline too) is reported here: queued in IndexedDB
// (meta 'views', so a restart or a day offline loses nothing) and sent to POST
// /api/v1/audit/views after each sync, in batches. A store's or field user's card of her own
// client is not a full-record view: not reported.
const VIEW_ROLES = new Set(['central', 'admin', 'regional']);
const VIEW_REPEAT_MS = 10 * 60 * 1000; // the server's kViewRepeatMs: a repeat is not queued
const VIEW_BATCH = 100; // the server's kMaxViewBatch
const VIEW_MAX_AGE_MS = 30 * 24 * 3600 * 1000; // the server refuses older views (kMaxViewAgeMs)
const VIEW_QUEUE_MAX = 5000; // a month offline at ten new people an hour, all day, fits
// Failures that say "later": the batch stays queued. Any other refusal is final (a malformed
// batch, a role that may no longer report, a clock far ahead): sending it again changes nothing.
const VIEW_RETRY = new Set(['network', 'offline', 'unauthorized', 'rate_limited', 'internal', 'storage', 'not_signed_in']);

async function reportView(args) {
  if (!state.auth) return fail('not_signed_in', 'Sign in first.');
  if (typeof args.id !== 'string' || !/^[0-9A-Za-z]{26}$/.test(args.id)) return fail('bad_format', 'id: not an id');
  if (!VIEW_ROLES.has(state.auth.role)) return ok(false);
  const owner = inChargeKey();
  const now = Date.now();
  const items = state.views.owner === owner ? state.views.items.filter((v) => v.viewed_at > now - VIEW_MAX_AGE_MS) : [];
  // Sent twice (a tab's call resent to a new owner), or opened again soon: one view.
  if (items.some((v) => v.person === args.id && now - v.viewed_at < VIEW_REPEAT_MS)) return ok(false);
  items.push({ person: args.id, viewed_at: now });
  if (items.length > VIEW_QUEUE_MAX) items.splice(0, items.length - VIEW_QUEUE_MAX);
  state.views = { owner, items };
  await metaPut('views', state.views);
  if (state.online) sendViews();
  return ok(true);
}

// Sends the queued views, batch after batch, while the server takes them; one run at a time.
let sendingViews = null;
function sendViews() {
  if (!sendingViews) sendingViews = sendViewBatches().catch(() => {}).finally(() => { sendingViews = null; });
  return sendingViews;
}
async function sendViewBatches() {
  while (state.auth && state.online && state.views.owner === inChargeKey() && state.views.items.length) {
    const batch = state.views.items.slice(0, VIEW_BATCH);
    const r = await api({ method: 'POST', path: '/api/v1/audit/views', body: { views: batch } });
    if (!r.ok && VIEW_RETRY.has(r.code)) return;
    if (!r.ok) console.warn(`liaison worker: ${batch.length} views refused by the server (${r.code}): ${r.message}`);
    state.views = { ...state.views, items: state.views.items.filter((v) => !batch.includes(v)) };
    await metaPut('views', state.views);
  }
}

// ---- The reports' core ----------------------------------------------------------------------
// The reports (core/query/reports.hpp) are in a second build of the core, core-full.wasm: the
// same façade and engine with the reports added, too large for the shell every store tablet
// installs (docs/PERFORMANCE.md, "Reports"). The first report a device asks for swaps the
// worker's core for it, in the queue of database calls and after any sync under way: the new
// module is loaded first (the old one keeps working if that fails: offline and never fetched),
// then the database is closed by the one and opened by the other — the same OPFS handles
// passed on, or the file read back from IndexedDB after everything was written there.
let upgrading = null;
function fullCore() {
  if (state.full) return Promise.resolve(ok(null));
  if (!upgrading) upgrading = upgradeCore().finally(() => { upgrading = null; });
  return upgrading;
}
async function upgradeCore() {
  if (state.syncing) await state.syncing.catch(() => {});
  let module;
  try {
    if (typeof createLiaisonCoreFull !== 'function') importScripts('../core-full.js');
    const compiled = compileCore(new URL('../core-full.wasm', self.location.href).href);
    module = await createLiaisonCoreFull({
      locateFile: (file) => new URL('../' + file, self.location.href).href,
      instantiateWasm(imports, receive) {
        compiled.then((m) => WebAssembly.instantiate(m, imports).then((i) => receive(i, m)));
        return {};
      },
    });
  } catch (e) {
    return fail(state.online ? 'internal' : 'offline',
      'The reports could not be loaded on this device' + (state.online ? '' : ' (offline, and never opened here online)') + ': ' + (e.message || e));
  }
  await persist(); // IndexedDB: every change written, for the new module to read back
  state.core.call('close', '{}');
  state.module = module;
  if (state.storage === 'opfs') module.opfsFiles = state.handles;
  else await restore(DB_PATH);
  state.core = new module.Core();
  const opened = parse(state.core.call('open', JSON.stringify({ path: DB_PATH })));
  if (!opened.ok) {
    state.bootError = { code: opened.code, message: 'The local database could not be opened again: ' + opened.message };
    return opened;
  }
  state.full = true;
  applyContext();
  return ok(null);
}

// GET /api/v1/influencers/<id>/history, the body only.
async function history(args) {
  if (typeof args.id !== 'string' || !/^[0-9A-Za-z]{1,40}$/.test(args.id)) return fail('bad_format', 'id: not an id');
  const r = await api({ path: `/api/v1/influencers/${args.id}/history?limit=1000` });
  return r.ok ? ok(r.value.body) : r;
}

// A report over the replica (façade `report`, docs/METRICS.md) covers what the signed-in user
// may see, as the server's REST report does for her token: the scope is the one GET
// /api/v1/me gave at sign-in, set here whatever the tab sent, and today is this device's clock.
function reportArgs(args) {
  const auth = state.auth || {};
  const scope = auth.scope || {};
  const list = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
  return {
    ...args,
    scope: {
      global: scope.global === true || auth.role === 'central' || auth.role === 'admin',
      regions: list(scope.regions), stores: list(scope.stores), brands: list(scope.brands),
    },
    now_ms: Date.now(),
  };
}

// ---- Status -------------------------------------------------------------------------------

function statusValue() {
  let local = { replicaId: null, pending: 0, cursor: 0, refused: 0 };
  if (state.core) {
    const s = parse(state.core.call('status', '{}'));
    if (s.ok) local = s.value;
  }
  const a = state.auth;
  return {
    signedIn: !!a,
    server: a ? a.server : null,
    user: a ? { id: a.user, name: a.name, role: a.role, scope: a.scope, staff: linkedStaff(), inCharge: inCharge() } : null,
    replicaId: local.replicaId,
    pending: local.pending,
    refused: local.refused || 0,
    cursor: local.cursor,
    lastSyncAt: state.lastSyncAt,
    lastError: state.lastError || (state.bootError ? { code: state.bootError.code, message: state.bootError.message } : null),
    syncing: !!state.syncing,
    online: state.online,
    progress: state.progress,
    timings: state.timings,
  };
}

const announce = () => broadcast('sync', statusValue());

// ---- Sync ---------------------------------------------------------------------------------

function scheduleSync(delayMs) {
  // A server that wants a newer app answers every push the same way until the page has
  // updated itself (app.js); only "Sync now" tries again meanwhile.
  if (!state.auth || state.upgradeRequired) return;
  clearTimeout(state.syncTimer);
  // Offline, nothing is tried until the network is back ('online' schedules a sync then);
  // "Sync now" still tries at once.
  state.syncTimer = setTimeout(() => {
    booted.then(() => {
      if (state.online && state.core) runSync().catch(() => {});
    });
  }, delayMs);
}

function serverUrl(path) {
  return new URL(path, state.auth.server).href;
}

async function errorOf(res) {
  try {
    const body = await res.json();
    if (body && body.error) {
      const out = fail(body.error.code || 'internal', body.error.message || res.statusText);
      // The input a refusal is about (the administrative routes), for the screen to show it there.
      if (typeof body.error.field === 'string') out.field = body.error.field;
      return out;
    }
  } catch (e) {
    /* not a JSON error body */
  }
  return fail('internal', `The server answered ${res.status} ${res.statusText}.`);
}

const NETWORK = fail('network', 'The server cannot be reached (no network?). Changes stay on this device and are sent later.');
const REVOKED = fail('unauthorized', 'The server refused this device: its token was revoked or is not valid. Sign in again.');

// One full exchange: pushes the outbox and pulls every page. Joins a sync already running.
function runSync() {
  if (!state.auth) return Promise.resolve(fail('not_signed_in', 'Sign in to sync with the server.'));
  if (!state.core) return Promise.resolve(fail('storage', 'The local database is not open.'));
  if (upgrading) return upgrading.then(() => runSync()); // the core is being swapped
  if (state.syncing) {
    // A sync started under another token (before a new sign-in) answers for that token: this
    // one runs after it, under the current one.
    if (state.syncingToken !== state.auth.token) return state.syncing.catch(() => {}).then(() => runSync());
    return state.syncing;
  }
  state.syncingToken = state.auth.token;
  state.syncing = exchange().finally(() => {
    state.syncing = null;
    state.syncingToken = null;
    state.progress = null;
    announce();
    // The server answered: the views queued meanwhile go now.
    if (state.online && state.views.items.length) sendViews();
  });
  return state.syncing;
}

// Sync requests run on a helper thread (fetcher.js), which reads the next page's body while
// this thread applies the current one. null until the first sync; false where it cannot run
// (no nested workers, or its script failed): then this thread fetches.
let fetcher = null;
const fetches = new Map(); // request id -> resolve({status, statusText, headers, body} | {failed})
let fetchIds = 0;

function startFetcher() {
  if (fetcher !== null) return fetcher;
  if (typeof Worker !== 'function') return (fetcher = false);
  try {
    fetcher = new Worker(new URL('./fetcher.js', self.location.href), { name: 'liaison-fetcher' });
  } catch (e) {
    return (fetcher = false);
  }
  fetcher.onmessage = ({ data }) => {
    const resolve = fetches.get(data.id);
    fetches.delete(data.id);
    if (resolve) resolve(data);
  };
  fetcher.onerror = (e) => {
    // Its script did not load or threw: the requests it held fail (a sync retries), and later
    // ones are fetched here.
    e.preventDefault();
    fetcher = false;
    for (const resolve of fetches.values()) resolve({ failed: 'the fetch thread stopped' });
    fetches.clear();
  };
  return fetcher;
}

// fetch() through the helper thread, as a Response whose body is already read.
function fetchOffThread(url, init, signal) {
  return new Promise((resolve, reject) => {
    const id = ++fetchIds;
    fetches.set(id, (m) => {
      if (m.failed) { reject(new Error(m.failed)); return; }
      const noBody = [101, 204, 205, 304].includes(m.status);
      resolve(new Response(noBody ? null : m.body, { status: m.status, statusText: m.statusText, headers: m.headers }));
    });
    // A view into a larger buffer would send all of it to the other thread.
    const b = init.body;
    const body = ArrayBuffer.isView(b) && b.byteLength !== b.buffer.byteLength ? b.slice() : b;
    fetcher.postMessage({ id, url, init: { ...init, body } });
    if (signal) signal.addEventListener('abort', () => { if (fetcher) fetcher.postMessage({ id, abort: true }); }, { once: true });
  });
}

// POSTs one encoded request; resolves (never rejects) to {res, bytes} when the server
// answered 2xx, {res} for any other status, or {failed} when the network did not answer.
async function post(body, signal) {
  const url = serverUrl('/api/v1/sync');
  const init = {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-liaison',
      Accept: 'application/x-liaison',
      Authorization: 'Bearer ' + state.auth.token,
    },
    body,
    cache: 'no-store',
  };
  let res;
  try {
    res = startFetcher() ? await fetchOffThread(url, init, signal) : await fetch(url, { ...init, signal });
    if (!res.ok) return { res };
    return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
  } catch (e) {
    return { failed: NETWORK };
  }
}

async function exchange() {
  const totals = { sent: 0, received: 0, rejected: 0 };
  const timing = { pages: 0, fetchMs: 0, applyMs: 0, persistMs: 0, chunks: 0, prefetched: 0, offThread: false };
  const since = (t0) => performance.now() - t0;
  let lastPersist = performance.now();
  state.progress = { received: 0 };
  announce();
  // While a page is applied, the next one of a pull with nothing to push is already on its
  // way: {push, reply, abort}. It is dropped if the page before it fails to apply.
  let next = null;
  let pending = 0; // operations waiting to be sent, as of the last page applied
  const dropNext = () => {
    if (next) next.abort.abort();
    next = null;
  };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let push;
    let got;
    let t0 = performance.now();
    if (next) {
      ({ push } = next);
      got = await next.reply;
      next = null;
    } else {
      push = state.core.makePush(PUSH_MAX_OPS, PAGE_LIMIT);
      if (!push.ok) return syncFailed(fail(push.code, push.message));
      got = await post(push.value);
    }
    if (got.failed) return syncFailed(got.failed);
    const { res } = got;
    if (res.status === 401) return syncFailed(REVOKED);
    if (res.status === 429 || res.status === 503) {
      // Over this token's rate limit (429), or the server or its load balancer busy (503, with
      // nothing of the request read: docs/OPERATIONS.md, "Limits under load"): wait as the
      // server asks, then send the same push again (the server applies an operation once
      // however often it arrives).
      const waitS = Math.min(Math.max(Number(res.headers.get('Retry-After')) || 1, 1), RATE_LIMIT_MAX_WAIT_S);
      await new Promise((resolve) => setTimeout(resolve, waitS * 1000));
      continue;
    }
    if (res.status === 426) {
      // upgrade_required: nothing of this push was taken, so the outbox stays as it is; the
      // tabs update the app (app.js, selfUpdate) and the new version sends it.
      state.upgradeRequired = true;
      return syncFailed(await errorOf(res));
    }
    if (!res.ok) return syncFailed(await errorOf(res));
    timing.fetchMs += since(t0);
    await serverCallsSettled(); // applying a page holds this thread
    t0 = performance.now();
    const head = parse(state.core.readReply(got.bytes));
    if (!head.ok) return syncFailed(fail(head.code, head.message));
    if (head.value.hasMore && push.ops === 0 && pending === 0) {
      const pull = state.core.makePull(head.value.cursor, PAGE_LIMIT);
      if (pull.ok) {
        const abort = new AbortController();
        next = { push: pull, reply: post(pull.value, abort.signal), abort };
        timing.prefetched++;
      }
    }
    const r = parse(state.core.applyRead());
    if (!r.ok) {
      dropNext();
      return syncFailed(fail(r.code, r.message));
    }
    timing.applyMs += since(t0);
    timing.pages++;
    const v = r.value;
    pending = v.pending;
    // One more round while operations wait and the last round made progress with them (or
    // they were written during the sync, after its push).
    const progress = push.ops === 0 || v.acknowledged + v.rejected > 0;
    const last = !v.hasMore && !(v.pending > 0 && progress);
    if (last || v.acknowledged + v.rejected > 0 || performance.now() - lastPersist > SYNC_PERSIST_EVERY_MS) {
      t0 = performance.now();
      timing.chunks += await persist();
      timing.persistMs += since(t0);
      lastPersist = performance.now();
    }
    totals.sent += v.acknowledged + v.rejected;
    totals.received += v.changes;
    totals.rejected += v.rejected;
    state.progress = { received: totals.received };
    if (v.changes || v.erased || v.rejected) broadcast('changed', { source: 'sync' });
    announce();
    if (last) break;
    // Let the tabs' calls that queued up during this page run before the next one.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  dropNext();
  for (const k of ['fetchMs', 'applyMs', 'persistMs']) timing[k] = Math.round(timing[k]);
  timing.offThread = Boolean(fetcher);  // the requests went through fetcher.js
  state.timings.sync = { ...timing, received: totals.received };
  state.lastSyncAt = Date.now();
  state.upgradeRequired = false;
  await metaPut('sync', { lastSyncAt: state.lastSyncAt });
  // Refused changes are not a failed sync: the page lists them (status.refused, 'refusals').
  state.lastError = null;
  return ok(totals);
}

function syncFailed(error) {
  state.lastError = { code: error.code, message: error.message };
  return error;
}

// ---- Calls --------------------------------------------------------------------------------

async function signIn(args) {
  const token = typeof args.token === 'string' ? args.token.trim() : '';
  if (!token) return fail('required', 'token: required');
  const server = typeof args.server === 'string' && args.server ? args.server : self.location.origin;
  let res;
  try {
    res = await fetch(new URL('/api/v1/me', server).href, {
      headers: { Authorization: 'Bearer ' + token },
      cache: 'no-store',
    });
  } catch (e) {
    return NETWORK;
  }
  if (res.status === 401) return fail('unauthorized', 'This token is not valid (mistyped, revoked or expired).');
  if (!res.ok) return errorOf(res);
  const me = await res.json();
  const previous = state.auth || (await metaGet('lastUser')) || null;
  // Another person's (or server's) record must not stay on this device.
  if (previous && (previous.user !== me.user || previous.server !== server)) await inTurn(wipeLocal);
  state.auth = { server, token, user: me.user, name: me.name, role: me.role, scope: me.scope, staff: me.staff || [] };
  await metaPut('auth', state.auth);
  await metaPut('lastUser', { user: me.user, server });
  state.lastError = null;
  applyContext();
  announce();
  scheduleSync(0);
  return ok(statusValue());
}

// A sign-in link carries a one-time code, never a token (docs/OPERATIONS.md "Sign-in links"):
// POST /api/v1/signin exchanges it for this device's own token, then signIn as with a token.
// Refusals keep the server's code: `used`, `expired`, `unauthorized` (not a code), `rate_limited`.
async function signInWithCode(args) {
  const code = typeof args.code === 'string' ? args.code.trim() : '';
  if (!/^[0-9a-f]{48}$/.test(code)) return fail('unauthorized', 'code: not a sign-in code');
  const server = typeof args.server === 'string' && args.server ? args.server : self.location.origin;
  const device = typeof args.device === 'string' ? args.device.slice(0, 100) : '';
  let res;
  try {
    res = await fetch(new URL('/api/v1/signin', server).href, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code, device }),
      cache: 'no-store',
    });
  } catch (e) {
    return NETWORK;
  }
  if (!res.ok) return errorOf(res);
  const { token } = await res.json();
  return signIn({ token, server });
}

async function signOut() {
  clearTimeout(state.syncTimer);
  if (state.syncing) await state.syncing.catch(() => {});
  await sendViews(); // the views are reported under the user who made them, or not at all
  state.auth = null;
  state.lastError = null;
  await metaPut('auth', undefined);
  await metaPut('lastUser', undefined);
  await wipeLocal();
  applyContext();
  broadcast('changed', { source: 'signOut' });
  announce();
  return ok(statusValue());
}

async function setSettings(args) {
  const next = { ...state.settings };
  if (args.contactCap !== undefined) {
    if (!Number.isInteger(args.contactCap) || args.contactCap < 1 || args.contactCap > 100)
      return fail('invalid_argument', 'contactCap: a whole number from 1 to 100');
    next.contactCap = args.contactCap;
  }
  if (args.lang !== undefined) {
    if (args.lang !== null && !['fr', 'en'].includes(args.lang)) return fail('unknown_value', 'lang: fr or en');
    next.lang = args.lang;
  }
  const capChanged = next.contactCap !== state.settings.contactCap;
  state.settings = next;
  await metaPut('settings', next);
  // Cards open in any tab show contact pressure against the cap: they redraw.
  if (capChanged) broadcast('changed', { source: 'settings' });
  return ok(next);
}

async function dispatch(method, args) {
  if (method === 'setOnline') {
    const was = state.online;
    state.online = !!args.online;
    if (state.online && !was) scheduleSync(0);
    if (was !== state.online) announce();
    return ok({});
  }
  if (state.bootError) return fail(state.bootError.code || 'storage', state.bootError.message);
  switch (method) {
    case 'status':
      return ok(statusValue());
    case 'signIn':
      return signIn(args);
    case 'signInWithCode':
      return signInWithCode(args);
    case 'signOut':
      return signOut();
    case 'syncNow':
      return runSync();
    case 'settings':
      return ok(state.settings);
    case 'setSettings':
      return setSettings(args);
    case 'setInCharge':
      return setInCharge(args);
    case 'history':
      return history(args);
    case 'reportView':
      return reportView(args);
    case 'api':
      return api(args);
    default:
      break;
  }
  if (!CORE_METHODS.has(method)) return fail('invalid_argument', `no such method: ${String(method).slice(0, 40)}`);
  if (method === 'card' && args.cap === undefined) args = { ...args, cap: state.settings.contactCap };
  if (method === 'report') {
    args = reportArgs(args);
    const up = await fullCore();
    if (!up.ok) return up;
  }
  const r = parse(state.core.call(method, JSON.stringify(args)));
  if (WRITES.has(method) && r.ok) {
    await persist();
    broadcast('changed', { source: 'local', method });
    scheduleSync(SYNC_AFTER_WRITE_MS);
    announce();
  }
  return r;
}

// Calls run one after another, in arrival order, whatever tab sent them.
let queue = Promise.resolve();
let booted = null; // boot()'s promise, once this worker may own the database
let known = null; // resolves once the sign-in kept on this device is read (or boot failed)
function startBoot() {
  const meta = readMeta();
  booted = boot(meta).catch((e) => {
    state.bootError = { code: e.code || 'storage', message: 'The local database could not be opened: ' + (e.message || e) };
    console.error('liaison worker:', e);
  });
  known = meta.then(() => {}, () => booted);
}

// Runs fn in the queue of database calls, in its turn (after boot).
function inTurn(fn) {
  const run = queue.then(() => booted).then(fn);
  queue = run.catch(() => {});
  return run;
}

let serverCalls = 0;
let lastServerCall = 0; // performance.now() when the latest server call began or ended
let settledWaiters = [];
// Nobody was signed in when this worker started: the page's sign-in, then the server calls of
// its first screen (the workspace's directory), go before the new file is opened.
async function firstScreenAsked(since) {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  while (performance.now() - since < NEW_DEVICE_HOLD_MS) {
    const quiet = performance.now() - lastServerCall;
    // A store or field device's first screen is its own file: it opens at once.
    if (state.auth && !['central', 'regional', 'admin'].includes(state.auth.role)) return;
    if (state.auth && serverCalls === 0 && quiet >= QUIET_MS) return;
    await sleep(Math.max(50, QUIET_MS - quiet));
  }
}
function serverCallsSettled(maxMs = SERVER_FIRST_MAX_MS) {
  if (serverCalls === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, maxMs);
    settledWaiters.push(() => { clearTimeout(timer); resolve(); });
  });
}
function serverCallEnded() {
  lastServerCall = performance.now();
  if (--serverCalls > 0) return;
  for (const wake of settledWaiters.splice(0)) wake();
}

// Nobody signed in: nothing local to show, so the tabs start before the database is open.
const startsEarly = () => !state.auth && !state.core && !state.bootError;

function serve(port, msg) {
  if (!msg || typeof msg !== 'object') return;
  if (msg.hello) {
    // `hello` goes back as it came: the router matches the answer to the tab that asked.
    known
      .then(() => (startsEarly() ? null : booted))
      .then(() => port.postMessage({ event: 'ready', data: statusValue(), hello: msg.hello }));
    return;
  }
  const { id, method } = msg;
  const args = msg.args && typeof msg.args === 'object' ? msg.args : {};
  if (SERVER_CALLS.has(method) || (method === 'status' && startsEarly())) {
    // Requests to the server do not touch the database: they do not wait behind a sync's
    // pages, other calls or its opening (the workspace's first screen must not wait for it).
    const counted = method !== 'status';
    if (counted) {
      serverCalls++;
      lastServerCall = performance.now();
    }
    known
      .then(() => dispatch(method, args))
      .catch((e) => fail(e.code || 'internal', String(e.message || e)))
      .then((result) => {
        if (counted) serverCallEnded();
        port.postMessage({ id, result });
      });
    return;
  }
  queue = queue
    .then(() => booted)
    .then(() => dispatch(method, args))
    .catch((e) => fail(e.code || 'internal', 'The local database failed: ' + (e.message || e)))
    .then((result) => {
      try {
        port.postMessage({ id, result });
      } catch (e) {
        port.postMessage({ id, result: fail('internal', 'The answer could not be sent to the page.') });
      }
    });
}

function addPort(port) {
  ports.add(port);
  port.onmessage = (e) => serve(port, e.data);
}

self.addEventListener('online', () => dispatch('setOnline', { online: true }));
self.addEventListener('offline', () => dispatch('setOnline', { online: false }));

// The first message says which role this worker has.
self.onmessage = (e) => {
  const m = e.data || {};
  if (m.serve && e.ports && e.ports[0]) {
    // Elected by the tabs (client.js): every call arrives through the router's port.
    self.onmessage = null;
    const port = e.ports[0];
    addPort(port);
    port.start();
    startBoot();
    return;
  }
  startAlone(m);
};

// No SharedWorker: one worker per tab, and only the holder of the lock opens the database.
function startAlone(first) {
  const port = self;
  ports.add(port);
  let granted = false;
  const pendingMessages = [first];
  self.onmessage = (e) => (granted ? serve(port, e.data) : pendingMessages.push(e.data));
  const start = () => {
    granted = true;
    startBoot();
    for (const m of pendingMessages.splice(0)) serve(port, m);
    return new Promise(() => {}); // hold the lock as long as this worker lives
  };
  if (self.navigator && navigator.locks) {
    navigator.locks.request('liaison-db', { ifAvailable: true }, (lock) => {
      if (lock) return start();
      port.postMessage({ event: 'blocked', data: { message: 'Liaison is open in another tab; it continues here when that tab closes.' } });
      return navigator.locks.request('liaison-db', start);
    });
  } else {
    start();
  }
}
