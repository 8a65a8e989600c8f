// The reference lists the workspace's pickers offer (staff, regions, stores, brands), asked of
// the server once per visit of the workspace and kept for five minutes.
const TTL_MS = 5 * 60 * 1000;
const MAX_ITEMS = 5000;
const cache = new Map(); // collection -> {at, promise}

async function fetchAll(app, collection) {
  const items = [];
  let offset = 0;
  while (offset !== null && items.length < MAX_ITEMS) {
    const r = await app.call('api', { path: `/api/v1/${collection}?limit=500&offset=${offset}` });
    if (!r.ok) return r;
    items.push(...r.value.body.items);
    offset = r.value.body.next_offset;
  }
  items.sort((a, b) => String(a.name || '').localeCompare(String(b.name || '')));
  return { ok: true, value: items };
}

// {ok, value: [{id, name, …}]} sorted by name.
export function refs(app, collection) {
  const hit = cache.get(collection);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.promise;
  const promise = fetchAll(app, collection).then((r) => {
    if (!r.ok) cache.delete(collection);
    return r;
  });
  cache.set(collection, { at: Date.now(), promise });
  return promise;
}

// Forget what was read (after a write that changes a list).
export function forgetRefs() { cache.clear(); }
