// Compliance (docs/COMPLIANCE.md): on a laptop, central records a failed vetting in the
// compliance room and sees the collaboration's move to contracted refused, then overrides it
// with a reason, which the server records; two collaborations over France's written-contract
// threshold together and a post without the mention are in the room's open issues; central
// registers an objection, and the store's
// tablet then shows the person as objecting and cannot log a marketing contact with her — a
// visit still logs.
import { check, step, signInLink, open, signInTyped, firstSync, openCard, syncNow, LAPTOP } from '../harness.mjs';

export default async function compliance(hx) {
  const me = (await hx.api('GET', '/api/v1/me', { role: 'store' })).json;
  const storeId = me.scope.stores[0];
  const name = 'Carla Conforme-Flux';
  const made = await hx.api('POST', '/api/v1/influencers', { role: 'central', body: { name, store: storeId } });
  check(made.status === 201, `creating ${name}: ${made.status} ${made.text}`);
  const person = { id: made.json.id, name };
  const brand = (await hx.api('GET', `/api/v1/stores/${storeId}`, { role: 'central' })).json.brand;
  // Two paid collaborations for one objective: €600 and €500, over France's €1,000 together.
  const terms = { influencer: person.id, type: 'paid', store: storeId, brand, currency: 'EUR', objective: 'Lancement du sérum', markets: ['FR'] };
  const deal = await hx.api('POST', '/api/v1/collaborations', { role: 'central', body: { ...terms, fee: 60000 } });
  check(deal.status === 201, `creating her collaboration: ${deal.status} ${deal.text}`);
  const second = await hx.api('POST', '/api/v1/collaborations', { role: 'central', body: { ...terms, fee: 50000 } });
  check(second.status === 201, `creating her second collaboration: ${second.status} ${second.text}`);
  // Her post for the first, in France, without the mention.
  const post = await hx.api('POST', '/api/v1/content', { role: 'central', body: {
    influencer: person.id, collaboration: deal.json.id, platform: 'instagram', url: 'https://www.instagram.com/p/carla-flux/',
    caption: 'Ma routine du soir avec le nouveau sérum', store: storeId } });
  check(post.status === 201, `logging her post: ${post.status} ${post.text}`);
  const vetted = await hx.api('POST', `/api/v1/collaborations/${deal.json.id}/moves`, { role: 'central', body: { to: 'vetted' } });
  check(vetted.status === 200, `moving it to vetted: ${vetted.status} ${vetted.text}`);

  step('central records a failed vetting in the compliance room');
  const laptop = await hx.browser('central', { viewport: LAPTOP });
  const page = await signInLink(laptop, hx.url, hx.tokens.central);
  await page.waitForSelector('main[data-view="central"]', { timeout: 20000 });
  await page.getByRole('link', { name: 'Compliance', exact: true }).click();
  const form = page.getByTestId('vetting-form');
  await form.waitFor({ timeout: 15000 });
  await form.getByTestId('vet-person-q').fill('Carla Conforme');
  await form.getByRole('button', { name: `Choose ${name}` }).click();
  await form.locator('select[data-guideline="political_neutrality"]').selectOption('fail');
  await form.locator('[data-field="notes"]').fill('Campaigned for a party last spring');
  await form.getByTestId('vet-save').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="vet-msg"]')?.dataset.state === 'failed', null, { timeout: 10000 });

  step('the move to contracted is refused, then overridden with a reason');
  await page.goto(`${hx.url}/#/central/collaboration/${deal.json.id}`);
  await page.waitForFunction(() => document.querySelector('[data-testid="co-pipeline"]')?.dataset.status === 'vetted', null, { timeout: 10000 });
  await page.getByTestId('move-contracted').click();
  await page.getByTestId('gate-why').waitFor({ timeout: 10000 });
  check(/vetting is failed/.test(await page.getByTestId('gate-why').textContent()), `the refusal says: ${await page.getByTestId('gate-why').textContent()}`);
  let co = (await hx.api('GET', `/api/v1/collaborations/${deal.json.id}`, { role: 'central' })).json;
  check(co.status === 'vetted', `the refused move changed the status to ${co.status}`);
  // A sync redraws the page: the refusal stays, with the reason field.
  await syncNow(page);
  await page.waitForTimeout(300);
  check(await page.getByTestId('gate-why').isVisible(), 'a sync took the refusal off the page');
  await page.getByTestId('override-reason').fill('Legal reviewed: the post was satire');
  await page.getByTestId('override-contracted').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="co-pipeline"]')?.dataset.status === 'contracted', null, { timeout: 10000 });
  co = (await hx.api('GET', `/api/v1/collaborations/${deal.json.id}`, { role: 'central' })).json;
  check(co.status === 'contracted' && co.override_reason === 'Legal reviewed: the post was satire', `the override was not recorded: ${JSON.stringify(co)}`);

  step('the compliance view lists the contract over the threshold and the post without the mention');
  await page.goto(`${hx.url}/#/central/compliance`);
  for (const type of ['contract_missing', 'disclosure_missing'])
    await page.locator(`[data-testid="issues"] li[data-type="${type}"][data-person="${person.id}"]`).first().waitFor({ timeout: 15000 });

  step('central registers her objection to direct marketing');
  const request = page.getByTestId('request-form');
  await request.waitFor({ timeout: 15000 });
  await request.getByTestId('req-person-q').fill('Carla Conforme');
  await request.getByRole('button', { name: `Choose ${name}` }).click();
  await request.locator('[data-field="type"]').selectOption('objection');
  await request.getByTestId('req-save').click();
  await page.locator(`[data-testid="requests"] tr[data-status="open"] a[href="#/central/person/${person.id}"]`).waitFor({ timeout: 10000 });

  step('the store tablet shows her objection and refuses a marketing contact; a visit logs');
  const tablet = await hx.browser('store-tablet');
  const store = await open(tablet, hx.url);
  await signInTyped(store, hx.tokens.store);
  await firstSync(store);
  await openCard(store, person);
  await store.locator('[data-warning="objection"]').waitFor({ timeout: 10000 });
  await store.getByRole('link', { name: 'Log a contact' }).click();
  await store.waitForSelector('main[data-view="log"]');
  await store.getByLabel('E-mail', { exact: true }).check();
  await store.getByLabel('Department').selectOption('marketing');
  await store.getByRole('button', { name: 'Save contact' }).click();
  await store.waitForFunction(() => /objected to marketing/.test(document.querySelector('main[data-view="log"] .error')?.textContent || ''), null, { timeout: 10000 });
  check(await store.locator('main[data-view="log"]').count() === 1, 'the refused contact left the form');
  await store.getByLabel('In store', { exact: true }).check();
  await store.getByLabel('Department').selectOption('retail');
  await store.getByRole('button', { name: 'Save contact' }).click();
  await store.waitForSelector('main[data-view="card"] [data-testid="card-name"]', { timeout: 10000 });
  await syncNow(store);
  const contacts = (await hx.api('GET', `/api/v1/interactions?influencer=${person.id}&limit=10`, { role: 'central' })).json.items;
  check(contacts.length === 1 && contacts[0].touchpoint === 'store', `the server holds her contacts: ${JSON.stringify(contacts)}`);
}
