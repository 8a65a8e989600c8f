// The SharedWorker every tab of the origin joins (web/README.md, "Why one worker"). It holds
// no data: it passes each tab's calls to the one worker that owns the database (worker.js,
// started by whichever tab holds the Web Lock 'liaison-db', see client.js) and each answer
// back to the tab that asked; events ('changed', 'sync') go to every tab.
//
// A SharedWorker cannot own the database itself: only dedicated workers may hold the
// synchronous file handles that let SQLite read the pages it needs instead of the whole file.
//
// When the owner's tab closes, the lock passes to another tab, which starts a new owner and
// sends its port here. Calls the old owner had not answered are sent again when they only
// read; a write that was under way answers 'unavailable' (it may or may not have been saved:
// the person checks and tries again), never twice.
'use strict';

// The calls that change nothing, so sending them to the next owner is harmless (reportView
// queues a view, and the same view again soon after is not queued twice).
const RESENDABLE = new Set([
  'status', 'search', 'card', 'duplicates', 'possibleMatches', 'events', 'campaigns', 'checkins', 'stateHash', 'choices', 'limits', 'refusals', 'settings', 'setOnline', 'history',
  'report', 'reportView',
]);
const LOST_WRITE = {
  ok: false,
  code: 'unavailable',
  message: 'The tab that held the local database closed while this was being saved. Check whether it was saved, and try again.',
};

const tabs = new Set();
let owner = null; // MessagePort of the owning worker
const waiting = []; // {tab, msg} that arrived while there was no owner
const inflight = new Map(); // routed id -> {tab, msg}
let nextId = 1;

function send(tab, msg) {
  const rid = nextId++;
  inflight.set(rid, { tab, msg });
  owner.postMessage(msg.hello ? { hello: rid } : { id: rid, method: msg.method, args: msg.args });
}

function fromTab(tab, e) {
  const msg = e.data || {};
  if (msg.owner && e.ports && e.ports[0]) return setOwner(e.ports[0]);
  if (typeof msg !== 'object' || (!msg.hello && msg.id === undefined)) return;
  if (owner) send(tab, msg);
  else waiting.push({ tab, msg });
}

function fromOwner(e) {
  const m = e.data || {};
  const key = m.hello !== undefined ? m.hello : m.id;
  if (key !== undefined) {
    const asked = inflight.get(key);
    inflight.delete(key);
    if (!asked) return;
    asked.tab.postMessage(m.hello !== undefined ? { event: 'ready', data: m.data } : { id: asked.msg.id, result: m.result });
    return;
  }
  if (m.event) for (const tab of tabs) tab.postMessage(m);
}

function setOwner(port) {
  const lost = [...inflight.values()];
  inflight.clear();
  if (owner) owner.onmessage = null;
  owner = port;
  owner.onmessage = fromOwner;
  owner.start();
  for (const { tab, msg } of lost) {
    if (msg.hello || RESENDABLE.has(msg.method)) send(tab, msg);
    else tab.postMessage({ id: msg.id, result: LOST_WRITE });
  }
  for (const { tab, msg } of waiting.splice(0)) send(tab, msg);
}

self.onconnect = (e) => {
  const tab = e.ports[0];
  tabs.add(tab);
  tab.onmessage = (ev) => fromTab(tab, ev);
  tab.start();
};
