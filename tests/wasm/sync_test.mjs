// The WebAssembly façade syncing with a REAL liaison-server (serve --demo on a free port):
// binary pushes and pulls over HTTP exactly as the browser worker makes them.
//   node tests/wasm/sync_test.mjs <wasm build>/app <native build>/server/liaison-server
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { appDir, caller, check, collect, flatten, loadCore, runner, value } from './harness.mjs';
import { startServer } from './server.mjs';

const dir = appDir();
const serverBin = process.argv[3];
if (!serverBin || !fs.existsSync(serverBin)) {
  console.error('usage: node sync_test.mjs <wasm build>/app <liaison-server>');
  process.exit(2);
}
const { test, run } = runner();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-wasm-sync-'));
const server = await startServer(serverBin, path.join(tmp, 'server.db'));

// A device: a fresh module, its replica, and the exchange loop of web/host/worker.js.
async function device(token) {
  const M = await loadCore(dir);
  const core = new M.Core();
  const call = caller(core);
  value(call('open', {}), 'open');
  const sync = async (tok = token) => {
    const totals = { sent: 0, received: 0, rejected: 0, erased: 0, rejections: [], pages: 0 };
    for (;;) {
      const push = core.makePush(500, 1000);
      check(push.ok, 'makePush', push);
      const res = await fetch(server.origin + '/api/v1/sync', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-liaison', Authorization: 'Bearer ' + tok },
        body: push.value,
      });
      if (res.status !== 200) return { status: res.status, body: await res.text() };
      check(res.headers.get('content-type').startsWith('application/x-liaison'), 'binary answer');
      const r = value(JSON.parse(core.applyReply(new Uint8Array(await res.arrayBuffer()))), 'applyReply');
      totals.pages++;
      totals.sent += r.acknowledged + r.rejected;
      totals.received += r.changes;
      totals.rejected += r.rejected;
      totals.erased += r.erased;
      totals.rejections.push(...r.rejections);
      if (!r.hasMore && !(r.pending > 0 && push.ops > 0)) return totals;
    }
  };
  return { M, core, call, sync };
}

test('a new device pulls its scope page by page and its own writes reach another device', async () => {
  const store = await device(server.tokens.store);
  const first = await store.sync();
  check(first.received > 0 && first.pages >= 1, 'pulled the demo', first);
  const cursor = value(store.call('status'), 'status').cursor;
  check(cursor > 0, 'cursor moved');
  const again = await store.sync();
  check(again.received === 0, 'nothing new the second time', again);

  const me = await (await fetch(server.origin + '/api/v1/me', { headers: { Authorization: 'Bearer ' + server.tokens.store } })).json();
  value(store.call('context', { store: me.scope.stores[0] }), 'context');
  const { id } = value(store.call('createInfluencer', { name: 'Océane Wasm-Sync', email: 'oceane@example.fr' }), 'create');
  value(store.call('logContact', { influencer: id, touchpoint: 'store', department: 'retail' }), 'log');
  const pushed = await store.sync();
  check(pushed.sent === 2 && pushed.rejected === 0, 'the create and its contact, nothing refused', pushed);
  check(value(store.call('status'), 'status').pending === 0, 'outbox empty');

  const central = await device(server.tokens.central);
  const pulled = await central.sync();
  check(pulled.pages > 1, 'a large pull comes in several pages', pulled);
  const hits = value(central.call('search', { text: 'oceane wasm' }), 'search');
  check(hits.length === 1 && hits[0].id === id, 'the other device sees it', hits);
  check(value(central.call('card', { id }), 'card').contacts_recent === 1, 'with its contact');
});

test('pulling the next page while the current one is applied ends in the server\'s state', async () => {
  // The worker's first sync (web/host/worker.js, exchange): read a page, send the pull for the
  // one after it, apply, and so on; small pages, so there are many.
  const central = await device(server.tokens.central);
  const post = (body) => fetch(server.origin + '/api/v1/sync', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-liaison', Authorization: 'Bearer ' + server.tokens.central },
    body,
  });
  let push = central.core.makePush(500, 300);
  let reply = post(push.value);
  let pages = 0;
  for (;;) {
    const res = await reply;
    check(res.status === 200, 'page fetched', res.status);
    const head = value(JSON.parse(central.core.readReply(new Uint8Array(await res.arrayBuffer()))), 'readReply');
    if (head.hasMore) reply = post(central.core.makePull(head.cursor, 300).value);
    const r = value(JSON.parse(central.core.applyRead()), 'applyRead');
    pages++;
    check(r.cursor === head.cursor, 'the cursor read is the cursor applied', { r, head });
    if (!head.hasMore) break;
  }
  check(pages > 3, 'several pages', pages);
  const paged = value(central.call('stateHash'), 'hash');
  const plain = await device(server.tokens.central);
  await plain.sync();
  check(value(plain.call('stateHash'), 'hash') === paged, 'same state as a device that pulled page after page');
});

test('A1: the person in charge acts — each contact names her, the card says who, where and which campaign, a switch holds from the next change', async () => {
  const api = async (path, token) => (await fetch(server.origin + path, { headers: { Authorization: 'Bearer ' + token } })).json();
  const me = await api('/api/v1/me', server.tokens.store);
  check(me.staff.length >= 2, 'the demo store user works with two staff members or more', me.staff);
  const [first, second] = me.staff;
  const store = await device(server.tokens.store);
  await store.sync();
  const campaigns = value(store.call('campaigns'), 'campaigns');
  const central = await device(server.tokens.central);
  await central.sync();
  const campaign = campaigns[0] || value(central.call('campaigns'), 'campaigns')[0];
  check(campaign && campaign.name, 'a campaign of the demo', campaign);
  value(store.call('context', { store: me.scope.stores[0], staff: first.id }), 'context');
  const { id } = value(store.call('createInfluencer', { name: 'Agathe Témoin-Acte' }), 'create');
  const byFirst = value(store.call('logContact', { influencer: id, touchpoint: 'store', department: 'retail', campaign: campaign.id }), 'log').id;
  value(store.call('context', { store: me.scope.stores[0], staff: second.id }), 'context');
  const bySecond = value(store.call('logContact', { influencer: id, touchpoint: 'store', department: 'pr' }), 'log').id;
  value(store.call('context', { store: me.scope.stores[0] }), 'context');  // nobody in charge
  const byNobody = value(store.call('logContact', { influencer: id, touchpoint: 'phone', department: 'pr' }), 'log').id;
  const pushed = await store.sync();
  check(pushed.rejected === 0, 'nothing refused', pushed);

  const storeName = (await api(`/api/v1/stores/${me.scope.stores[0]}`, server.tokens.admin)).name;
  await central.sync();
  const timeline = value(central.call('card', { id }), 'card').timeline;
  const entry = (eid) => timeline.find((e) => e.entry.id === eid).entry;
  check(entry(byFirst).staff === first.id && entry(byFirst).names.staff === first.name, 'the first contact names the first person in charge', entry(byFirst));
  check(entry(byFirst).names.store === storeName && entry(byFirst).names.campaign === campaign.name, 'where and for which campaign', entry(byFirst));
  check(entry(bySecond).staff === second.id && entry(bySecond).names.staff === second.name, 'the switch holds from the next contact', entry(bySecond));
  check(!entry(byNobody).staff && !(entry(byNobody).names || {}).staff, 'with nobody in charge no one is named', entry(byNobody));
  // The server's history names the actor of each operation.
  const actor = async (eid) => (await api(`/api/v1/interactions/${eid}/history`, server.tokens.admin)).entries[0].actor;
  check((await actor(byFirst)).id === first.id, 'the server says the first acted', await actor(byFirst));
  check((await actor(bySecond)).id === second.id, 'the server says the second acted', await actor(bySecond));
  check((await actor(byNobody)) === null, 'and nobody for the last', await actor(byNobody));
});

test("D3: a national number typed on a store tablet is read in its store's country", async () => {
  const api = async (path, token) => (await fetch(server.origin + path, { headers: { Authorization: 'Bearer ' + token } })).json();
  const me = await api('/api/v1/me', server.tokens.store);
  const stores = (await api('/api/v1/stores?limit=200', server.tokens.admin)).items;
  const mine = stores.find((s) => s.id === me.scope.stores[0]);
  const other = stores.find((s) => s.id !== mine.id && s.brand === mine.brand);
  check(mine.country === 'FR' && other, 'the demo places its stores in France', mine);
  const central = await device(server.tokens.central);
  await central.sync();
  // Registered at another store of the brand with a national number and no country of her own.
  const { id } = value(central.call('createInfluencer', { name: 'Noémie Sans-Pays', phone: '06 55 44 33 21', store: other.id, brand: other.brand }), 'create');
  await central.sync();
  const store = await device(server.tokens.store);
  await store.sync();
  check(value(store.call('card', { id }), 'card').directory === true, 'a directory record on the store tablet');
  const matches = () => value(store.call('possibleMatches', { text: '06 55 44 33 21' }), 'possibleMatches').map((p) => p.id);
  check(!matches().includes(id), 'with no store and no country a national number matches nobody');
  value(store.call('context', { store: mine.id }), 'context');
  check(matches().includes(id), "read in the store's country, the number proposes her", matches());
});

test('G1: a walk-in registered and checked in is one action: the server takes both, or neither', async () => {
  const api = async (path, token) => {
    const res = await fetch(server.origin + path, { headers: { Authorization: 'Bearer ' + token } });
    return { status: res.status, json: res.status === 200 ? await res.json() : null };
  };
  const me = (await api('/api/v1/me', server.tokens.store)).json;
  const stores = (await api('/api/v1/stores?limit=200', server.tokens.admin)).json.items;
  const mine = stores.find((s) => s.id === me.scope.stores[0]);
  const other = stores.find((s) => s.id !== mine.id && s.brand === mine.brand);
  const tablet = await device(server.tokens.store);
  await tablet.sync();
  value(tablet.call('context', { store: mine.id, brand: mine.brand }), 'context');
  const event = value(tablet.call('create', { kind: 'event', fields: { name: 'Soirée G1', starts: Date.now(), store: mine.id, brand: mine.brand } }), 'create event');
  const eventId = event.id || event;
  // Accepted: the person and her check-in reach the server together.
  const one = value(tablet.call('createInfluencer', { name: 'Walk-in Entière', check_in_event: eventId }), 'walk-in');
  check(one.checkin && one.checkin.id, 'the walk-in is checked in', one);
  // Refused: registered at another store (outside this tablet's scope) — her check-in, which
  // alone would be accepted, is refused with her.
  const two = value(tablet.call('createInfluencer', { name: 'Walk-in Refusée', store: other.id, brand: other.brand, check_in_event: eventId }), 'walk-in elsewhere');
  const pushed = await tablet.sync();
  check(pushed.rejected === 2, 'the second walk-in\'s two operations are refused together', pushed);
  check((await api(`/api/v1/influencers/${one.id}`, server.tokens.admin)).status === 200, 'the first walk-in is on the server');
  check((await api(`/api/v1/checkins/${one.checkin.id}`, server.tokens.admin)).status === 200, 'and her check-in');
  check((await api(`/api/v1/influencers/${two.id}`, server.tokens.admin)).status === 404, 'the refused walk-in is not on the server');
  check((await api(`/api/v1/checkins/${two.checkin.id}`, server.tokens.admin)).status === 404, 'nor her check-in');
  await tablet.sync();
  check(value(tablet.call('checkins', { event: eventId }), 'checkins').count === 1, 'the tablet keeps the first check-in only');
  const told = value(tablet.call('refusals'), 'refusals');
  check(told.length === 1 && told[0].id === two.id, 'the person is told once, about the walk-in', told);
});

test('an operation outside the device scope is refused and reported, the rest goes through', async () => {
  const store = await device(server.tokens.store);
  await store.sync();
  // A store user writing for another store.
  value(store.call('context', { store: '01JD0000000000000000000000' }), 'context');
  value(store.call('createInfluencer', { name: 'Hors Champ' }), 'create');
  const r = await store.sync();
  check(r.rejected >= 1 && r.rejections[0].code === 'out_of_scope' && r.rejections[0].message, 'refused with a reason', r);
  check(value(store.call('status'), 'status').pending === 0, 'refused operations leave the outbox');
  // The person who made it is told: whom, what, why, until they dismiss it.
  check(value(store.call('status'), 'status').refused === 1, 'the status counts the refusal');
  const told = value(store.call('refusals'), 'refusals');
  check(told.length === 1 && told[0].label === 'Hors Champ' && told[0].type === 'create' && told[0].kind === 'influencer' &&
    told[0].code === 'out_of_scope' && told[0].message && told[0].fields.includes('name') && told[0].at > 0, 'the refusal as told', told);
  check(!value(store.call('search', { text: 'Hors Champ' }), 'search').length, 'the refused person is gone from the device');
  value(store.call('dismissRefusals'), 'dismiss');
  check(value(store.call('refusals'), 'refusals').length === 0 && value(store.call('status'), 'status').refused === 0, 'dismissed');
});

test('an erase made on one device purges the person on another, on disk too', async () => {
  const central = await device(server.tokens.central);
  const { id } = value(central.call('createInfluencer', { name: 'Effacée Totalement', email: 'effacee@example.fr' }), 'create');
  await central.sync();
  const other = await device(server.tokens.central);
  await other.sync();
  check(value(other.call('search', { text: 'effacee' }), 'search').length === 1, 'present before');
  const image = collect(other.core); // the persisted file so far
  check(flatten(image).includes(Buffer.from('Effacée')), 'on disk before');
  value(central.call('erase', { id }), 'erase');
  const s = await central.sync();
  check(s.rejected === 0, 'the erase was accepted', s);
  const r = await other.sync();
  check(r.erased >= 1, 'the erase arrived', r);
  check(value(other.call('search', { text: 'effacee' }), 'search').length === 0, 'gone from search');
  const disk = flatten(collect(other.core, image));
  for (const text of ['Effacée', 'effacee@example.fr']) check(!disk.includes(Buffer.from(text)), `no trace of "${text}" on disk`);
});

test('a wrong token is refused with 401 and nothing changes locally', async () => {
  const d = await device(server.tokens.store);
  const r = await d.sync('lsn_0000000000000000_' + 'A'.repeat(43));
  check(r.status === 401, 'unauthorized', r);
  check(value(d.call('status'), 'status').cursor === 0, 'cursor untouched');
});

await run();
await server.stop();
fs.rmSync(tmp, { recursive: true, force: true });
