// The web benchmark's generator (bench/web/run.mjs): fills a real server with a company's
// worth of records by pushing operations through the sync endpoint (JSON encoding, as any
// device could). The server process itself is started by tests/wasm/server.mjs.
import crypto from 'node:crypto';

import { recordModelVersion } from '../../tests/wasm/server.mjs';

export { startServer, recordModelVersion } from '../../tests/wasm/server.mjs';

// ---- Operations ---------------------------------------------------------------------------

const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// 16 bytes as 26 Crockford base32 digits (core/model/ids.hpp).
export function idText(bytes) {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 26; i++) {
    out = B32[Number(v & 31n)] + out;
    v >>= 5n;
  }
  return out;
}
export const randomId = () => idText(crypto.randomBytes(16));
// An entity id as devices make them (core/model/ids.hpp): 48-bit milliseconds, then 80
// random bits, so records created later sort later.
export function entityIdAt(ms) {
  const bytes = crypto.randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  return idText(bytes);
}

// A deterministic pseudo-random stream (so a run replays the same company).
function rng(seed) {
  let s = BigInt(seed) || 1n;
  return () => {
    s ^= (s << 13n) & 0xffffffffffffffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffffffffffffffffn;
    return Number(s % 1000000007n);
  };
}

const FIRST = ['Hélène', 'Marc', 'Ana', 'Léa', 'Chloé', 'Jean', 'Inès', 'Lucas', 'Zoé', 'Hugo', 'Emma', 'Noah', 'Sofia', 'Yanis', 'Camille', 'Théo', 'Maëlle', 'Louis', 'Jade', 'Adam'];
const LAST = ['Dupont', 'Martin', 'Bernard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'García', 'Rossi', 'Müller', 'Nguyen', 'Fournier', 'Girard', 'Bonnet', 'Mercier', 'Faure'];
const TOUCH = ['store', 'event', 'email', 'social', 'phone', 'gifting', 'meeting'];
const DEPT = ['pr', 'social', 'marketing', 'retail', 'events'];
const TIER = ['top', 'expert', 'employee', 'advocate', 'prospect'];

// Operations in order: `influencers` creates (with a handle each), then `interactions` spread
// over them — or over `subjects`, people made before — stamped by `replica`. `place(i)` and
// `contactPlace(i)` give the reference fields (store, brand) of person `offset + i` and of
// interaction i; none by default. The people's ids are appended to `ids` as they are made.
export function* makeOps({ influencers, interactions, seed = 7, replica, offset = 0,
  place = () => [], contactPlace = () => [], subjects, ids = [] }) {
  const next = rng(seed);
  const now = Date.now();
  let hlc = BigInt(now - 3600_000) << 16n; // an hour ago: never "ahead" of the server
  const stamp = () => `${(hlc++).toString(16).padStart(16, '0')}-${replica}`;
  const text = (v) => ({ type: 'text', value: v });
  const int = (v) => ({ type: 'int', value: v });
  const first = ids.length;
  // Records were created one after the other over the past year, by the devices' clocks.
  let created = now - 365 * 86400_000 + offset * 1000;
  const newId = () => entityIdAt((created += 50));
  for (let n = 0; n < influencers; n++) {
    const i = offset + n;
    const id = newId();
    ids.push(id);
    const given = FIRST[next() % FIRST.length];
    const last = LAST[next() % LAST.length];
    const handle = `${given}.${last}.${i}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    yield {
      id: stamp(), type: 'create', kind: 'influencer', entity: id, actor: '',
      fields: [
        { field: 'name', value: text(`${given} ${last} ${i}`) },
        { field: 'email', value: text(`${handle}@example.com`) },
        { field: 'tier', value: text(TIER[next() % TIER.length]) },
        { field: 'consent', value: text('granted') },
        ...place(i),
      ],
    };
    yield { id: stamp(), type: 'add', kind: 'influencer', entity: id, actor: '', set: 'handles', elem: `instagram:${handle}:${next() % 500000}` };
  }
  const of = subjects || ids.slice(first);
  for (let i = 0; i < interactions; i++) {
    yield {
      id: stamp(), type: 'create', kind: 'interaction', entity: newId(), actor: '',
      fields: [
        { field: 'influencer', value: text(of[next() % of.length]) },
        { field: 'at', value: int(now - (next() % 31_536_000) * 1000) },
        { field: 'touchpoint', value: text(TOUCH[next() % TOUCH.length]) },
        { field: 'department', value: text(DEPT[next() % DEPT.length]) },
        { field: 'summary', value: text(`Visit ${i}: talked about the new collection.`) },
        ...contactPlace(i),
      ],
    };
  }
}

// Reference fields of an operation, e.g. refFields({ store, brand }).
export const refFields = (refs) => Object.entries(refs).map(([field, id]) => ({ field, value: { type: 'text', value: id } }));

// Pushes every operation to the server in pushes of up to 2,000 (the protocol's limit).
// `replica` must be the id the operations were stamped with (the server checks it).
export async function pushAll(origin, token, replica, ops, onProgress) {
  let batch = [];
  let sent = 0;
  const flush = async () => {
    // Protocol 2 names the record model (docs/SYNC.md "Versions", "Schema evolution").
    const body = JSON.stringify({ protocol: 3, replica, cursor: 0, client_hlc: 0, page_limit: 1,
      schema_version: recordModelVersion(), ops: batch });
    const res = await fetch(origin + '/api/v1/sync', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
      body,
    });
    if (!res.ok) throw new Error(`push refused: ${res.status} ${await res.text()}`);
    const reply = await res.json();
    const bad = reply.results.find((r) => r.outcome === 'rejected');
    if (bad) throw new Error(`operation rejected: ${bad.code} ${bad.detail}`);
    sent += batch.length;
    batch = [];
    if (onProgress) onProgress(sent);
  };
  for (const op of ops) {
    batch.push(op);
    if (batch.length === 2000) await flush();
  }
  if (batch.length) await flush();
  return sent;
}
