// The tab side of the browser host: joins the one worker that owns the database and calls
// it (web/README.md, "The client API"). Tabs never touch SQLite.
//
//   import { connect } from './client.js';
//   const liaison = await connect({ onBlocked });   // resolves when the database is ready, or
//                                                    // at once where nobody is signed in (web/README.md)
//   const r = await liaison.call('search', { text: 'hel', limit: 20 });
//   liaison.on('changed', fn); liaison.on('sync', fn);
//
// call() never rejects: it resolves to {ok:true, value} or {ok:false, code, message}. A call
// left unanswered while the worker shows no sign of life for its time limit resolves to code
// 'unavailable' (the worker stopped: reload the page).
//
// Every tab joins one SharedWorker, the router (router.js), and calls go through it to the one
// worker that owns the database (worker.js). Each tab also asks for the Web Lock 'liaison-db':
// the tab that holds it starts that worker and hands the router a port to it; when that tab
// closes, the next tab in line does the same. Where SharedWorker is missing, each tab starts
// its own worker and the workers take turns through the same lock: a second tab waits, and
// onBlocked() tells the page.
//
// options.storage: 'idb' keeps the database in IndexedDB even where OPFS is available (tests).

const WORKER_URL = new URL('./worker.js', import.meta.url);
const ROUTER_URL = new URL('./router.js', import.meta.url);
const DEFAULT_TIMEOUT_MS = 20000;
// Calls that may wait for the network or rewrite the whole database.
const SLOW_TIMEOUT_MS = { signIn: 60000, signInWithCode: 60000, syncNow: 300000, signOut: 60000, api: 120000 };

const UNAVAILABLE = {
  ok: false,
  code: 'unavailable',
  message: 'The local database did not answer (its background worker stopped). Reload the page.',
};

let candidate = null; // this page's owner-to-be: one per page, however often connect() is called

function startWorker(options) {
  const name = options.storage === 'idb' ? 'liaison idb' : 'liaison';
  if (typeof SharedWorker === 'function' && typeof navigator !== 'undefined' && navigator.locks) {
    const router = new SharedWorker(ROUTER_URL, { name: 'liaison' });
    router.port.start();
    const serve = (owner) => {
      const channel = new MessageChannel();
      owner.postMessage({ serve: true }, [channel.port1]);
      router.port.postMessage({ owner: true }, [channel.port2]);
      return new Promise(() => {}); // held while this tab lives
    };
    // The owner-to-be starts loading (its script, the WebAssembly module) while the lock is
    // asked for, not after: a reload's lock comes only once the old page has let it go. In a
    // tab that waits for its turn, it waits loaded (it touches the database only when served).
    // A page asks once: its first connect() decides (a later one joins the same router).
    if (!candidate) {
      candidate = new Worker(WORKER_URL, { name });
      navigator.locks.request('liaison-db', () => serve(candidate));
    }
    return { port: router.port, target: router };
  }
  // Dedicated fallback: the worker itself is the port.
  const worker = new Worker(WORKER_URL, { name });
  return { port: worker, target: worker };
}

export function connect(options = {}) {
  const { port, target } = startWorker(options);
  const pending = new Map(); // id -> {resolve, timer}
  const listeners = new Map(); // event -> Set(fn)
  let nextId = 1;
  let dead = null; // an {ok:false} once the worker is known to be gone

  const emit = (event, data) => {
    for (const fn of listeners.get(event) || []) {
      try {
        fn(data);
      } catch (e) {
        console.error('liaison: a listener of', event, 'failed:', e);
      }
    }
  };
  const failAll = (result) => {
    dead = result;
    for (const [, p] of pending) {
      clearTimeout(p.timer);
      p.resolve(result);
    }
    pending.clear();
    emit('error', result);
  };

  // A call fails as 'unavailable' when the worker shows no sign of life for its time limit;
  // every message from the worker (a long sync reports each page) restarts the clocks.
  const arm = (id, p) => {
    clearTimeout(p.timer);
    p.timer = setTimeout(() => {
      pending.delete(id);
      p.resolve(UNAVAILABLE);
    }, p.ms);
  };

  const liaison = {
    call(method, args = {}) {
      if (dead) return Promise.resolve(dead);
      return new Promise((resolve) => {
        const id = nextId++;
        const ms = SLOW_TIMEOUT_MS[method] || DEFAULT_TIMEOUT_MS;
        const p = { resolve, ms, timer: null };
        arm(id, p);
        pending.set(id, p);
        try {
          port.postMessage({ id, method, args });
        } catch (e) {
          clearTimeout(p.timer);
          pending.delete(id);
          resolve({ ok: false, code: 'invalid_argument', message: 'These arguments cannot be sent: ' + e.message });
        }
      });
    },
    on(event, fn) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(fn);
      return () => listeners.get(event).delete(fn);
    },
    off(event, fn) {
      listeners.get(event)?.delete(fn);
    },
  };

  // The worker learns about the network from the tabs too (and sees navigator.onLine itself).
  const tellOnline = () => liaison.call('setOnline', { online: navigator.onLine });
  addEventListener('online', tellOnline);
  addEventListener('offline', tellOnline);

  return new Promise((resolve) => {
    let ready = false;
    port.onmessage = (e) => {
      const m = e.data || {};
      for (const [id, p] of pending) arm(id, p);
      if (m.id !== undefined) {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        clearTimeout(p.timer);
        p.resolve(m.result);
        return;
      }
      if (m.event === 'ready') {
        if (!ready) {
          ready = true;
          // A worker started while the tab is offline may not see it (its own navigator.onLine
          // can disagree, and a test's offline emulation does not reach shared workers): the
          // tab says so as it connects, not only when the network changes.
          if (navigator.onLine === false) tellOnline();
          resolve(liaison);
        }
        emit('sync', m.data);
      } else if (m.event === 'blocked') {
        if (options.onBlocked) options.onBlocked();
        emit('blocked', m.data);
      } else if (m.event) {
        emit(m.event, m.data);
      }
    };
    // A worker script that fails to load or crashes: every waiting call gets an answer.
    target.onerror = (e) => {
      if (e && e.preventDefault) e.preventDefault();
      failAll(UNAVAILABLE);
      if (!ready) {
        ready = true;
        resolve(liaison);
      }
    };
    port.postMessage({ hello: true });
  });
}
