// Conversions (docs/PROGRAMMES.md, "Links and conversions", C1–C6): a shop's integration posts
// the same order twice and it counts once; the central team imports a shop's orders from a CSV
// file on the programmes page and every bad row is reported with its reason while the good
// ones are kept, and the campaign's page counts its link's order; a store tablet then pulls the conversions of its own store's campaign and
// none of another store's — not on the card, not anywhere in its storage.
import { check, firstSync, hostCall, LAPTOP, signInLink, step, storedOccurrences } from '../harness.mjs';

export default async function conversions(hx) {
  const me = await hx.api('GET', '/api/v1/me', { role: 'store' });
  const storeA = me.json.scope.stores[0];
  const stores = (await hx.api('GET', '/api/v1/stores?limit=200')).json.items;
  const a = stores.find((s) => s.id === storeA);
  const b = stores.find((s) => s.id !== storeA && s.brand === a.brand);
  check(a && b, 'the demo has no second store of the first store\'s brand');
  // One person of store A, with a link in a campaign of each store.
  const made = await hx.api('POST', '/api/v1/influencers', { role: 'central', body: { name: 'Octave Commande-Flux', store: a.id, region: a.region, brand: a.brand } });
  check(made.status === 201, `creating the person: ${made.text}`);
  const person = made.json.id;
  const link = {};
  for (const [key, s] of [['a', a], ['b', b]]) {
    const c = await hx.api('POST', '/api/v1/campaigns', { role: 'central', body: { name: `Boutique ${key.toUpperCase()} — flux`, store: s.id, region: s.region, brand: s.brand, currency: 'EUR', budget: 500000 } });
    check(c.status === 201, `campaign ${key}: ${c.text}`);
    const l = await hx.api('POST', '/api/v1/tracked-links', { role: 'central', body: { target: `https://shop.example.com/${key}`, influencer: person, campaign: c.json.id, store: s.id, region: s.region, brand: s.brand } });
    check(l.status === 201, `link ${key}: ${l.text}`);
    const got = await hx.api('GET', `/api/v1/tracked-links/${l.json.id}`, { role: 'central' });
    check(/^[A-Za-z0-9_-]{4,32}$/.test(got.json.code || ''), `the server gave link ${key} no code: ${got.text}`);
    link[key] = { id: l.json.id, code: got.json.code, campaign: c.json.id };
  }

  step('the shop posts the same order twice: it counts once');
  const shop = hx.addUser('Boutique en ligne', 'integration');
  const order = { shop: 'eshop-flux', order_ref: 'ORDER-B-Zephyrquill-1', at: Date.now(), value: 12900, currency: 'EUR', link_code: link.b.code };
  const first = await hx.api('POST', '/api/v1/conversions', { token: shop, body: order });
  check(first.status === 201 && first.json.duplicate === false, `first post: ${first.status} ${first.text}`);
  const second = await hx.api('POST', '/api/v1/conversions', { token: shop, body: order });
  check(second.status === 200 && second.json.duplicate === true, `second post: ${second.status} ${second.text}`);
  const counted = await hx.api('GET', `/api/v1/conversions?link=${link.b.id}`, { role: 'central' });
  check(counted.json.items.length === 1, `the order counts ${counted.json.items.length} times`);
  const elsewhere = await hx.api('GET', '/api/v1/influencers?limit=1', { token: shop });
  check(elsewhere.status === 403, `an integration token read people: ${elsewhere.status}`);

  step('central imports a shop\'s CSV on the programmes page: each bad row is reported');
  const laptop = await hx.browser('central', { viewport: LAPTOP });
  const page = await signInLink(laptop, hx.url, hx.tokens.central);
  await page.waitForSelector('main[data-view="central"]', { timeout: 20000 });
  await page.getByRole('link', { name: 'Programmes', exact: true }).click();
  const csv = [
    'shop,order_ref,at,value,currency,link_code,promo_code',
    `eshop-flux,ORDER-A-Zephyrquill-2,2026-11-20T10:00:00Z,4500,EUR,${link.a.code},`,
    `eshop-flux,ORDER-A-3,2026-11-20T11:00:00Z,4500,euros,${link.a.code},`,
    'eshop-flux,ORDER-A-4,2026-11-20T12:00:00Z,4500,EUR,NO-SUCH-LINK,',
    `eshop-flux,ORDER-B-Zephyrquill-1,2026-11-20T10:00:00Z,12900,EUR,${link.b.code},`,
  ].join('\r\n') + '\r\n';
  await page.getByTestId('or-import-file').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByTestId('or-import').click();
  const report = page.getByTestId('or-import-report');
  await page.waitForFunction(() => document.querySelector('[data-testid="or-import-report"]')?.dataset.imported !== undefined, null, { timeout: 15000 });
  const text = await report.innerText();
  check(await report.getAttribute('data-imported') === '1', `imported: ${text}`);
  check(await report.getAttribute('data-refused') === '2', `refused: ${text}`);
  check(/Row 3: .*currency/.test(text), `the bad currency is not reported on its row: ${text}`);
  check(/Row 4: .*NO-SUCH-LINK/.test(text), `the unknown link is not reported on its row: ${text}`);
  check(/1 already there/.test(text), `the order already recorded is not counted as already there: ${text}`);

  step('campaign A\'s page counts its link\'s order');
  await page.goto(`${hx.url}/#/central/campaign/${link.a.campaign}`);
  const orders = page.locator(`[data-testid="cp-links"] tr[data-id="${link.a.id}"] [data-testid="cp-link-orders"]`);
  await orders.waitFor({ timeout: 15000 });
  check(await orders.innerText() === '1', `link A's orders read ${await orders.innerText()}`);

  step('a store A tablet pulls store A\'s conversion and none of store B\'s');
  const tablet = await hx.browser('store-a');
  const tab = await signInLink(tablet, hx.url, hx.tokens.store);
  await firstSync(tab);
  const card = await hostCall(tab, 'card', { id: person });
  check(card.ok, `the card: ${JSON.stringify(card).slice(0, 300)}`);
  const links = card.value.links || [];
  const mine = links.find((l) => l.entry.id === link.a.id);
  check(mine && mine.conversions === 1, `store A's link on the card: ${JSON.stringify(links).slice(0, 400)}`);
  check(!links.some((l) => l.entry.id === link.b.id), 'store B\'s link is on store A\'s card');
  const stored = await storedOccurrences(tab, ['ORDER-A-Zephyrquill-2', 'ORDER-B-Zephyrquill-1']);
  check(stored.counts[0] > 0, 'store A\'s own order is not in its storage (the check would see nothing)');
  check(stored.counts[1] === 0, `store B's order is in store A's storage ${stored.counts[1]} times`);
}
