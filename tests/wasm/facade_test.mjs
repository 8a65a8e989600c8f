// The WebAssembly façade (web/facade) under node: the real core.wasm with SQLite in MEMFS.
//   node --no-experimental-fetch tests/wasm/facade_test.mjs <wasm build>/app
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { appDir, caller, check, collect, flatten, loadCore, runner, value } from './harness.mjs';
import { CHOICES, LIMITS } from '../../web/app/common/choices.js';

const dir = appDir();
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const { test, run } = runner();

async function openCore(M) {
  M = M || (await loadCore(dir));
  const core = new M.Core();
  const call = caller(core);
  value(call('open', { path: '/liaison.db' }), 'open');
  return { M, core, call };
}

const helene = {
  name: 'Hélène Dupont',
  email: 'Helene.Dupont@example.fr',
  phone: '+33 6 12 34 56 78',
  tier: 'expert',
  consent: 'granted',
  handles: ['instagram:helene.dupont:125000'],
};

test('calls before open are refused with a code, not an exception', async () => {
  const M = await loadCore(dir);
  const core = new M.Core();
  const call = caller(core);
  const r = call('search', { text: 'x' });
  check(r.ok === false && r.code === 'storage', 'search before open', r);
  const p = core.makePush(10, 10);
  check(p.ok === false, 'makePush before open', p);
  check(core.dirtyChunks().ok === false, 'dirtyChunks before open');
  check(JSON.parse(core.applyReply(new Uint8Array([1, 2, 3]))).ok === false, 'applyReply before open');
});

test('bad arguments give clear errors and the module keeps working', async () => {
  const { core, call } = await openCore();
  const cases = [
    [call('search', '{not json'), 'malformed'],
    [call('search', '[1,2]'), 'malformed'],
    [call('noSuchMethod', {}), 'invalid_argument'],
    [call('card', { id: 'not-an-id' }), 'bad_format'],
    [call('card', {}), 'required'],
    [call('card', { id: '01JD0000000000000000000000' }), 'not_found'],
    [call('search', { text: 42 }), 'invalid_argument'],
    [call('addToSet', { kind: 'spaceship', id: '01JD0000000000000000000000', set: 'tags', elem: 'x' }), 'unknown_kind'],
    [call('createInfluencer', { name: 'Bob', email: 'bob@' }), 'bad_format'],
    [call('createInfluencer', { name: 'Bob', shoe_size: 44 }), 'unknown_field'],
    [call('open', {}), 'conflict'],
  ];
  for (const [r, code] of cases) check(r.ok === false && r.code === code && r.message, `expected ${code}`, r);
  check(JSON.parse(core.applyReply(new Uint8Array([0xff, 0, 1]))).code === 'malformed', 'garbage reply');
  check(JSON.parse(core.applyReply('not bytes')).code === 'invalid_argument', 'a string is not bytes');
  check(core.makePush(0, 10).ok === false, 'makePush with no room');
  // A refused create leaves nothing behind.
  check(value(call('search', { text: 'bob' }), 'search').length === 0, 'no half-created Bob');
  check(value(call('status'), 'status').pending === 0, 'nothing queued');
});

test("the app's pickers offer exactly the core's values, and the core refuses others", async () => {
  const M = await loadCore(dir);
  const call = caller(new M.Core());
  const core = value(call('choices', {}), 'choices before open');  // the model needs no database
  check(Object.keys(core).length >= 10, 'the model has enum fields', core);
  for (const [key, values] of Object.entries(CHOICES)) {
    const want = core[key];
    check(Array.isArray(want), `${key}: no such enum field or set in the core`, Object.keys(core));
    const missing = want.filter((v) => !values.includes(v));
    const extra = values.filter((v) => !want.includes(v));
    check(!missing.length && !extra.length && new Set(values).size === values.length,
      `${key}: the app lacks [${missing}] and offers [${extra}] (core: [${want}])`);
  }
  const { call: opened } = await openCore(M);
  for (const field of ['tier', 'status', 'consent']) {
    const r = opened('createInfluencer', { name: 'Test', [field]: 'not_a_value' });
    check(r.ok === false && r.code === 'unknown_value', `${field}: a value outside the list is refused`, r);
  }
});

test("the app's forms count against the core's limits, and a refusal names its field", async () => {
  const M = await loadCore(dir);
  const call = caller(new M.Core());
  const core = value(call('limits', {}), 'limits before open');
  for (const [key, max] of Object.entries(LIMITS))
    check(core[key] === max, `${key}: the app counts up to ${max}, the core allows ${core[key]}`, core);
  const { call: opened } = await openCore(M);
  const phone = opened('createInfluencer', { name: 'Test', phone: 'call me maybe' });
  check(phone.ok === false && phone.code === 'bad_format' && phone.field === 'phone', 'a bad phone names the field phone', phone);
  check(/^phone: /.test(phone.message), "the core's message is kept for logs and tools", phone);
  const long = opened('createInfluencer', { name: 'Test', notes: 'x'.repeat(LIMITS['influencer.notes'] + 1) });
  check(long.ok === false && long.code === 'too_long' && long.field === 'notes', 'a long note names the field notes', long);
  const missing = opened('createInfluencer', { email: 'a@example.com' });
  check(missing.ok === false && missing.code === 'required' && missing.field === 'name', 'a missing name names the field name', missing);
  const notField = opened('no_such_method', {});
  check(notField.ok === false && !('field' in notField), 'a refusal that is not about a field names none', notField);
});

test('a created influencer is found without accents and shows on the card', async () => {
  const { call } = await openCore();
  const { id } = value(call('createInfluencer', helene), 'create');
  const hits = value(call('search', { text: 'helene', limit: 5 }), 'search');
  check(hits.length === 1 && hits[0].id === id && hits[0].name === 'Hélène Dupont', 'search helene', hits);
  check(hits[0].handles[0] === 'instagram:helene.dupont:125000' && hits[0].tier === 'expert', 'hit fields', hits[0]);
  check(value(call('search', { text: '0612345678' }), 'phone search').length === 1, 'national phone form');
  const card = value(call('card', { id }), 'card');
  check(card.influencer.id === id && card.warnings.length === 0, 'clean card', card);
  check(value(call('status'), 'status').pending === 2, 'create + handle queued');
});

test('the card warns about missing consent, do-not-contact and contact pressure', async () => {
  const { call } = await openCore();
  const { id } = value(call('createInfluencer', { name: 'Marc Petit' }), 'create');
  check(value(call('card', { id }), 'card').warnings.includes('consent_missing'), 'consent_missing');
  value(call('updateInfluencer', { id, fields: { status: 'do_not_contact', consent: 'granted' } }), 'update');
  let card = value(call('card', { id }), 'card');
  check(card.warnings[0] === 'do_not_contact' && !card.warnings.includes('consent_missing'), 'do_not_contact', card.warnings);
  // Explicit times a minute apart: two contacts logged in the same millisecond have no order.
  for (let i = 0; i < 2; i++)
    value(call('logContact', { influencer: id, touchpoint: 'store', department: 'retail', summary: `visit ${i}`, at: Date.now() - 60000 * (2 - i) }), 'log');
  card = value(call('card', { id, cap: 2 }), 'card');
  check(card.contacts_recent === 2 && card.warnings.includes('contact_pressure'), 'contact_pressure', card);
  check(card.timeline.length === 2 && card.timeline[0].entry.summary === 'visit 1', 'timeline newest first', card.timeline);
  const bad = call('logContact', { influencer: id, touchpoint: 'carrier_pigeon', department: 'retail' });
  check(bad.ok === false && bad.code === 'unknown_value', 'bad touchpoint', bad);
  check(call('updateInfluencer', { id, fields: { handles: ['x:y'] } }).ok === false, 'sets refused in update');
});

test('likely duplicates are found by handle, e-mail, phone and name, with reasons', async () => {
  const { call } = await openCore();
  const { id } = value(call('createInfluencer', helene), 'create');
  value(call('createInfluencer', { name: 'Hélène Martin' }), 'create 2');
  const byHandle = value(call('duplicates', { handles: ['Instagram:@Helene.Dupont'] }), 'dup handle');
  check(byHandle.length === 1 && byHandle[0].id === id && byHandle[0].reasons.join() === 'handle', 'handle', byHandle);
  const all = value(call('duplicates', { name: 'helene dupont', email: 'HELENE.DUPONT@EXAMPLE.FR', phone: '06 12 34 56 78' }), 'dup');
  check(all.length === 1 && all[0].reasons.join() === 'email,phone,name', 'email, phone and name', all);
  const byName = value(call('duplicates', { name: 'Hélène' }), 'dup name');
  check(byName.length === 2 && byName.every((h) => h.reasons.join() === 'name'), 'both Hélènes by name', byName);
  check(value(call('duplicates', { email: 'someone@else.com', handles: ['tiktok:helene.dupont'] }), 'none').length === 0, 'other platform, other e-mail');
  check(call('duplicates', { handles: 'x' }).code === 'invalid_argument', 'handles must be a list');
});

test('check-in at an event, already checked in, undo, check in again', async () => {
  const { call } = await openCore();
  const { id: who } = value(call('createInfluencer', helene), 'create');
  const { id: event } = value(call('create', { kind: 'event', fields: { name: 'Lancement', starts: 1800000000000 } }), 'event');
  const first = value(call('checkIn', { event, influencer: who, walk_in: true }), 'checkIn');
  check(first.already === false, 'first check-in');
  check(value(call('checkIn', { event, influencer: who }), 'again').already === true, 'already checked in');
  let list = value(call('checkins', { event }), 'checkins');
  check(list.count === 1 && list.entries[0].influencer.name === 'Hélène Dupont' && list.entries[0].walk_in === true, 'entry', list);
  const events = value(call('events'), 'events');
  check(events.length === 1 && events[0].name === 'Lancement' && events[0].checked_in === 1, 'events', events);
  value(call('undoCheckIn', { id: first.id }), 'undo');
  list = value(call('checkins', { event }), 'checkins');
  check(list.count === 0 && list.entries.length === 0, 'undone', list);
  const again = value(call('checkIn', { event, influencer: who }), 'check in again');
  check(again.already === false && again.id !== first.id, 'a fresh check-in after an undo', again);
  check(value(call('checkins', { event }), 'checkins').count === 1, 'counted again');
  check(call('checkIn', { event: who, influencer: who }).code === 'not_found', 'an influencer is not an event');
});

test('the push request carries the outbox and decodes', async () => {
  const { core, call } = await openCore();
  value(call('createInfluencer', { name: 'Ana Lima', handles: ['tiktok:ana:10'] }), 'create');
  const push = core.makePush(500, 1000);
  check(push.ok && push.value instanceof Uint8Array && push.ops === 2, 'push bytes', { ok: push.ok, ops: push.ops });
  const req = value(JSON.parse(core.requestJson(push.value)), 'decode');
  check(req.ops.length === 2 && req.ops[0].type === 'create' && req.cursor === 0, 'decoded request', req);
  check(req.replica === value(call('status'), 'status').replicaId, 'replica id');
});

test('a server reply is applied: acknowledgements, rejections, changes, cursor', async () => {
  const { core, call } = await openCore();
  const bytes = new Uint8Array(fs.readFileSync(path.join(fixtures, 'push-reply-v1.bin')));
  const r = value(JSON.parse(core.applyReply(bytes)), 'applyReply');
  const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'push-reply-v1.json'), 'utf8'));
  check(r.changes === expected.changes.length && r.cursor === expected.next_cursor, 'changes and cursor', r);
  check(r.rejections.length === 1 && r.rejections[0].code === 'out_of_scope', 'rejection reported', r.rejections);
  check(value(call('search', { text: 'helene' }), 'search').length >= 1, 'pulled influencer searchable');
  check(value(call('status'), 'status').cursor === expected.next_cursor, 'cursor kept');
});

test('a reply read first is applied once, and pulls can start from its cursor', async () => {
  const { core, call } = await openCore();
  check(JSON.parse(core.applyRead()).code === 'invalid_argument', 'nothing read yet');
  check(JSON.parse(core.readReply(new Uint8Array([0xff, 0, 1]))).code === 'malformed', 'garbage reply');
  check(JSON.parse(core.readReply('not bytes')).code === 'invalid_argument', 'a string is not bytes');
  const bytes = new Uint8Array(fs.readFileSync(path.join(fixtures, 'push-reply-v1.bin')));
  const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'push-reply-v1.json'), 'utf8'));
  const head = value(JSON.parse(core.readReply(bytes)), 'readReply');
  check(head.cursor === expected.next_cursor && head.hasMore === expected.has_more, 'cursor before applying', head);
  check(value(call('status'), 'status').cursor === 0, 'reading applies nothing');
  const pull = core.makePull(head.cursor, 5000);
  const req = value(JSON.parse(core.requestJson(pull.value)), 'decode pull');
  check(pull.ops === 0 && req.ops.length === 0 && req.cursor === expected.next_cursor && req.page_limit === 5000, 'a pull from that cursor', req);
  check(core.makePull(-1, 10).ok === false && core.makePull(0, 0).ok === false, 'bad cursor or limit');
  const r = value(JSON.parse(core.applyRead()), 'applyRead');
  check(r.changes === expected.changes.length && r.cursor === expected.next_cursor, 'applied', r);
  check(JSON.parse(core.applyRead()).code === 'invalid_argument', 'a reply is applied once');
});

test('persisted chunks alone rebuild the database in a fresh module', async () => {
  const { core, call } = await openCore();
  const image = collect(core);
  const { id } = value(call('createInfluencer', helene), 'create');
  value(call('logContact', { influencer: id, touchpoint: 'event', department: 'pr' }), 'log');
  collect(core, image);
  check(value(core.dirtyChunks(), 'again').chunks.length === 0, 'taking the chunks forgets them');
  for (let i = 0; i < 300; i++) value(call('createInfluencer', { name: `Person ${i}`, notes: 'x'.repeat(500) }), 'bulk');
  collect(core, image);
  check(image.size > 4 * 65536, 'a file of several chunks', image.size);
  const hash = value(call('stateHash'), 'hash');
  const status = value(call('status'), 'status');

  const M2 = await loadCore(dir);
  // As the worker reads them back: indexes and chunks in two arrays, in any order.
  const entries = [...image.chunks].reverse();
  const restored = value(M2.restoreFile('/liaison.db', image.size, entries.map(([i]) => i), entries.map(([, b]) => b)), 'restoreFile');
  check(restored.size === image.size, 'restored size', restored);
  const second = await openCore(M2);
  check(value(second.call('stateHash'), 'hash 2') === hash, 'same state hash');
  const s2 = value(second.call('status'), 'status 2');
  check(s2.replicaId === status.replicaId && s2.pending === status.pending, 'same replica and outbox', s2);
  check(value(second.call('card', { id }), 'card').contacts_recent === 1, 'contact kept');
  const M3 = await loadCore(dir);
  const refused = [
    ['a negative index', [-1], [new Uint8Array(1)]],
    ['a fractional index', [0.5], [new Uint8Array(1)]],
    ['an oversized chunk', [0], [new Uint8Array(65537)]],
    ['a chunk that is not bytes', [0], ['text']],
    ['more chunks than indexes', [0], [new Uint8Array(1), new Uint8Array(1)]],
    ['no arrays', 0, null],
  ];
  for (const [what, indexes, chunks] of refused) {
    const r = M3.restoreFile('/liaison.db', 65536, indexes, chunks);
    check(r.ok === false && r.code === 'invalid_argument', `${what} refused`, r);
  }
  check(M3.restoreFile('/liaison.db', -1, [], []).ok === false, 'a negative size refused');
  check(M3.restoreFile('/liaison.db', 1e12, [], []).ok === false, 'a size over the limit refused');
});

test('an erase arriving by sync purges the person from the persisted chunks', async () => {
  const { core, call } = await openCore();
  const image = collect(core);
  // The fixture brings Hélène Dupont (and an interaction about her) from the server.
  const reply = JSON.parse(fs.readFileSync(path.join(fixtures, 'push-reply-v1.json'), 'utf8'));
  value(JSON.parse(core.applyReplyJson(JSON.stringify(reply))), 'first reply');
  const person = reply.changes.find((c) => c.kind === 'influencer');
  value(call('logContact', { influencer: person.id, touchpoint: 'store', department: 'retail', summary: 'Hélène aime le rouge' }), 'log');
  for (let i = 0; i < 50; i++) value(call('createInfluencer', { name: `Other ${i}` }), 'others');
  collect(core, image);
  check(flatten(image).includes(Buffer.from('Hélène')), 'the name is on disk before the erase');
  const erase = { ...reply, results: [], changes: [], aliases: [], evictions: [], erased: [person.id], next_cursor: reply.next_cursor + 1, has_more: false };
  const r = value(JSON.parse(core.applyReplyJson(JSON.stringify(erase))), 'erase reply');
  check(r.erased === 1, 'erase counted', r);
  check(value(call('search', { text: 'helene' }), 'search').length === 0, 'not searchable');
  check(call('card', { id: person.id }).code === 'not_found', 'no card');
  collect(core, image);
  const disk = flatten(image);
  for (const text of ['Hélène', 'aime le rouge', 'helene']) check(!disk.includes(Buffer.from(text)), `"${text}" left the persisted file`);
  check(disk.includes(Buffer.from('Other 7')), 'the others are still there');
});

test('many calls in a row do not leak: no exception reaches JavaScript', async () => {
  const { core, call } = await openCore();
  for (let i = 0; i < 200; i++) {
    check(call('card', { id: 'Z'.repeat(26) }).ok === false, 'bad id');
    check(call('search', { text: '"\'*)(' + i }).ok === true, 'hostile search text');
  }
  // A lone surrogate is not text: refused as malformed, not a crash.
  check(JSON.parse(core.call('search', JSON.stringify({ text: '\u0000\ud800' }))).code === 'malformed', 'lone surrogate');
  check(JSON.parse(core.call('search', JSON.stringify({ text: 'nul\u0000 ok' }))).ok === true, 'NUL in text');
});

await run();
