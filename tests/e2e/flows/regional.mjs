// Regional flow (docs/SYNC.md "Scopes", S1): a store registers a person and logs a contact
// with her; the person carries only the store. The store's regional manager, on her own
// device, then finds the person and the contact: her region covers its stores' records.
import { check, firstSync, hostCall, logContact, openCard, signInLink, step, syncNow } from '../harness.mjs';

export default async function regional(hx) {
  const me = await hx.api('GET', '/api/v1/me', { role: 'store' });
  const storeId = me.json.scope.stores[0];
  const store = (await hx.api('GET', `/api/v1/stores/${storeId}`)).json;
  const manager = await hx.api('GET', '/api/v1/me', { role: 'regional' });
  check(manager.json.scope.regions.includes(store.region),
    `the demo's regional manager (${manager.json.scope.regions}) is not the store's (${store.region})`);

  step('the store registers Oriane Vasseur-Quint and logs a contact');
  const tablet = await hx.browser('store-tablet');
  const page = await signInLink(tablet, hx.url, hx.tokens.store);
  await firstSync(page);
  const made = await hostCall(page, 'createInfluencer', { name: 'Oriane Vasseur-Quint', store: storeId, brand: store.brand });
  check(made.ok, `createInfluencer: ${JSON.stringify(made)}`);
  const person = { id: made.value.id, name: 'Oriane Vasseur-Quint' };
  await openCard(page, person);
  await logContact(page, { note: 'Regional flow: first visit' });
  await syncNow(page);
  const row = await hx.api('GET', `/api/v1/influencers/${person.id}`, { role: 'central' });
  check(row.status === 200 && !row.json.influencer.region, `she should carry only her store: ${row.text.slice(0, 300)}`);

  step('her regional manager finds her and the contact');
  const laptop = await hx.browser('regional-laptop');
  const mpage = await signInLink(laptop, hx.url, hx.tokens.regional);
  await firstSync(mpage);
  await openCard(mpage, person);
  const card = await hostCall(mpage, 'card', { id: person.id });
  check(card.ok && !card.value.directory, `the manager holds no full record of her: ${JSON.stringify(card).slice(0, 300)}`);
  const notes = card.value.timeline.map((e) => e.entry.summary || '');
  check(notes.includes('Regional flow: first visit'), `the manager does not see the store's contact: ${JSON.stringify(notes)}`);
}
