// Directory flow (docs/SYNC.md "Directory", D1–D6): one record at every store. Store A
// registers Hélène Dupont with a canary e-mail, phone and note, and logs a contact; the
// central team marks her do-not-contact. Store B — another store of the same brand — offline,
// finds her by name, by handle and by e-mail, sees her owner, the warning and store A's contact
// as its mark (when and where, not what was said), and logs a contact on her record.
// Back online, the central record holds both stores' contacts and one Hélène, each contact
// naming the person in charge who logged it and her store (docs/SYNC.md A1); nothing of the
// canaries, in any normalised form, is in store B's storage or in the sync replies it got.
import { check, firstSync, hostCall, logContact, search, signInLink, step, storedOccurrences, syncNow } from '../harness.mjs';

// The timeline entry `staff` logged on the card on screen, as the person reads it.
async function entryText(page, staff) {
  const entry = page.locator(`[data-testid="timeline"] li[data-kind="interaction"][data-staff="${staff.id}"]`);
  check(await entry.count() === 1, `the timeline has ${await entry.count()} contacts logged by ${staff.name}, not one`);
  return entry.innerText();
}

export default async function directory(hx) {
  const me = await hx.api('GET', '/api/v1/me', { role: 'store' });
  const storeA = me.json.scope.stores[0];
  const stores = await hx.api('GET', '/api/v1/stores?limit=200');
  check(stores.status === 200, `stores: ${stores.text.slice(0, 200)}`);
  const a = stores.json.items.find((s) => s.id === storeA);
  const b = stores.json.items.find((s) => s.id !== storeA && s.brand === a.brand);
  check(a && a.brand && b, 'the demo has no second store of the first store\'s brand');
  // Her owner works at store A (staff of the brand are in its directory): store B must name her.
  const staff = (await hx.api('GET', '/api/v1/staff?limit=200')).json.items;
  // Who acts (A1): the demo store user works with store A's team, the first in charge; Bruno
  // is linked to a staff member of store B.
  const inChargeA = me.json.staff[0];
  const inChargeB = staff.find((s) => s.store === b.id);
  check(inChargeA && inChargeB, 'the demo has no staff member at store A or store B');
  const tokenB = hx.addUser('Bruno', 'store', { stores: [b.id], staff: [inChargeB.id] });
  const owner = staff.find((s) => s.store === storeA) || staff.find((s) => s.brand === a.brand);
  check(owner, 'the demo has no staff member of store A\'s brand');

  const duponts = async () => {
    const r = await hx.api('GET', `/api/v1/influencers?q=${encodeURIComponent('Hélène Dupont')}&limit=100`, { role: 'central' });
    check(r.status === 200, `search on the server: ${r.text.slice(0, 200)}`);
    return r.json.items.filter((p) => p.name === 'Hélène Dupont').length;
  };
  const before = await duponts();  // the demo's random names may hold some already

  step('store A registers Hélène Dupont');
  const tabletA = await hx.browser('store-a');
  const pageA = await signInLink(tabletA, hx.url, hx.tokens.store);
  await firstSync(pageA);
  const canary = { email: 'quorvant.lichenspire@example.org', phone: '+33 6 98 76 54 32', note: 'Zanthropy marbleglow canary' };
  const made = await hostCall(pageA, 'createInfluencer', {
    name: 'Hélène Dupont', email: canary.email, phone: canary.phone, notes: canary.note, country: 'FR',
    owner: owner.id, handles: ['instagram:helene.dupont.e2e:125000'],
    store: storeA, brand: a.brand,  // what the app's form adds (person-form.js, userScopeFields)
  });
  check(made.ok, `createInfluencer: ${JSON.stringify(made)}`);
  const id = made.value.id || made.value;
  await pageA.goto(`${hx.url}/#/card/${id}`);
  await pageA.waitForSelector('[data-testid="card-name"]', { timeout: 10000 });
  await logContact(pageA, { note: 'Registered at the counter, Quillfeather canary' });
  await syncNow(pageA);
  const patched = await hx.api('PATCH', `/api/v1/influencers/${id}`, { role: 'central', body: { status: 'do_not_contact' } });
  check(patched.status === 200, `central could not mark her do-not-contact: ${patched.text.slice(0, 300)}`);

  step('store B, offline, finds her by name, handle and e-mail, and logs a contact');
  const tabletB = await hx.browser('store-b');
  const replies = [];
  tabletB.on('response', async (res) => {
    if (res.url().includes('/api/v1/sync')) replies.push(Buffer.from(await res.body().catch(() => Buffer.alloc(0))));
  });
  const pageB = await signInLink(tabletB, hx.url, tokenB);
  await firstSync(pageB);
  await tabletB.setOffline(true);
  const mine = (results) => results.and(pageB.locator(`a[href="#/card/${id}"]`));
  // The demo has dozens of Hélènes: "hel" lists the first of them, "hel dup" narrows to her.
  const held = await hostCall(pageB, 'card', { id });
  check(held.ok && held.value.directory, `store B does not hold her directory record: ${JSON.stringify(held).slice(0, 300)}`);
  // "hel": the search call as the screen makes it, with room for every Hélène of the demo.
  const byHel = await hostCall(pageB, 'search', { text: 'hel', limit: 200 });
  check(byHel.ok && byHel.value.some((p) => p.id === id), `store B does not find her by "hel" (${byHel.ok ? byHel.value.length : byHel.code} results)`);
  check(await mine(await search(pageB, 'hel dup')).count() === 1, 'store B does not find her by "hel dup"');
  check(await mine(await search(pageB, 'helene.dupont.e2e')).count() === 1, 'store B does not find her by her handle');
  const byEmail = mine(await search(pageB, 'Quorvant.Lichenspire@example.org'));
  check(await byEmail.count() === 1, 'store B does not find her by her e-mail');
  await byEmail.click();
  await pageB.waitForSelector('[data-testid="card-name"]', { timeout: 10000 });
  const card = await pageB.locator('[data-testid="card"]').innerText();
  check(card.includes('Directory record'), `her card does not say it is a directory record: ${card.slice(0, 400)}`);
  check(card.includes(owner.name), `her card does not name her owner ${owner.name}: ${card.slice(0, 400)}`);
  check(await pageB.locator('[data-warning="do_not_contact"]').count() === 1, 'no do-not-contact warning on store B');
  // D6: store A's contact is on B as its mark — when, where — without its summary or who.
  const markA = pageB.locator('[data-testid="timeline"] li[data-kind="interaction"][data-mark="1"]');
  check(await markA.count() === 1, `store B holds ${await markA.count()} marks of store A's contact, not one`);
  const markText = await markA.innerText();
  check(markText.includes(`at ${a.name}`) && !markText.includes('Quillfeather') && !markText.includes(inChargeA.name),
    `store A's contact reads on store B: ${markText}`);
  check(card.includes('Last contact') && card.includes(`at ${a.name}`), `store B's card does not say where she was last contacted: ${card.slice(0, 600)}`);
  await logContact(pageB, { note: 'Asked about the autumn collection' });
  await tabletB.setOffline(false);
  await syncNow(pageB);

  step('the central record: both contacts on one Hélène');
  const central = await hx.api('GET', `/api/v1/influencers/${id}`, { role: 'central' });
  check(central.status === 200, `central card: ${central.text.slice(0, 300)}`);
  const contacts = central.json.timeline.filter((e) => e.entry.kind === 'interaction').map((e) => e.entry);
  const seen = JSON.stringify(contacts.map((e) => [e.store, e.staff]));
  check(contacts.length === 2, `the central timeline holds ${contacts.length} contacts, not two: ${seen}`);
  check(contacts.some((e) => e.store === storeA && e.staff === inChargeA.id), `the central timeline lacks store A's contact by ${inChargeA.name}: ${seen}`);
  check(contacts.some((e) => e.store === b.id && e.staff === inChargeB.id), `the central timeline lacks store B's contact by ${inChargeB.name}: ${seen}`);
  const after = await duponts();
  check(after === before + 1, `${after - before} new Hélène Dupont on the server, not one`);
  // On the central team's screen, each contact names who logged it and where.
  const office = await hx.browser('central');
  const pageC = await signInLink(office, hx.url, hx.tokens.central);
  await firstSync(pageC, 90000);
  await pageC.goto(`${hx.url}/#/card/${id}`);
  await pageC.waitForSelector('[data-testid="timeline"]', { timeout: 10000 });
  for (const [who, where] of [[inChargeA, a], [inChargeB, b]]) {
    const text = await entryText(pageC, who);
    check(text.includes(`by ${who.name}`) && text.includes(`at ${where.name}`), `the contact logged by ${who.name} at ${where.name} reads: ${text}`);
  }

  step('nothing of the canaries on store B');
  const needles = ['quorvant', 'lichenspire', 'zanthropy', 'marbleglow', 'quillfeather', '98 76 54 32', '698765432', '+33698765432'];
  const stored = await storedOccurrences(pageB, needles);
  const found = needles.filter((n, i) => stored.counts[i] > 0);
  check(found.length === 0, `store B's storage holds ${found.join(', ')}`);
  const wire = Buffer.concat(replies).toString('latin1').toLowerCase();
  const inReplies = needles.filter((n) => wire.includes(n));
  check(inReplies.length === 0, `store B's sync replies held ${inReplies.join(', ')}`);
}
