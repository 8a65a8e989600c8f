// The workspace's events (docs/WORKSPACE.md, "Events"), on a laptop: central creates an event at
// a store with the New event form, invites three people selected in the directory in one
// bulk action, records two answers on the event's page and lowers the capacity with the edit
// form (the over-capacity warning appears); a store tablet checks one guest in and syncs, and
// the event's page, left open, shows the check-in without being reloaded.
import { check, firstSync, hostCall, LAPTOP, signInLink, step, syncNow } from '../harness.mjs';

const counts = (page) => page.locator('[data-testid="ev-counts"]');

async function countIs(page, name, n, timeout = 20000) {
  await page.waitForFunction(([k, v]) => document.querySelector('[data-testid="ev-counts"]')?.dataset[k] === String(v),
    [name, n], { timeout });
}

export default async function centralEvents(hx) {
  const me = await hx.api('GET', '/api/v1/me', { role: 'store' });
  const storeId = me.json.scope.stores[0];
  const store = (await hx.api('GET', `/api/v1/stores/${storeId}`)).json;
  const place = { store: storeId, region: store.region, brand: store.brand };
  const people = [];
  for (const name of ['Inès Invitée-Flux', 'Jules Invité-Flux', 'Karim Invité-Flux']) {
    const r = await hx.api('POST', '/api/v1/influencers', { role: 'central', body: { name, ...place } });
    check(r.status === 201, `creating ${name}: ${r.status} ${r.text}`);
    people.push({ id: r.json.id, name });
  }

  step('central creates an event at the store with the New event form');
  const laptop = await hx.browser('central', { viewport: LAPTOP });
  const page = await signInLink(laptop, hx.url, hx.tokens.central);
  await page.waitForSelector('main[data-view="central"]', { timeout: 20000 });
  await page.getByRole('link', { name: 'Events and guests', exact: true }).click();
  await page.getByTestId('ev-new-open').click();
  const form = page.getByTestId('event-form');
  await form.getByLabel('Name').fill('Soirée des invités — flux');
  const tomorrow = new Date(Date.now() + 86400000);
  const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}T19:00`;
  await form.getByLabel('Starts').fill(local);
  // A capacity that is not a number of people is refused beside its field, and nothing is made.
  await form.getByLabel('Capacity (people)').fill('-3');
  await form.getByLabel('Store').selectOption(storeId);
  const before = (await hx.api('GET', '/api/v1/agenda?limit=500', { role: 'central' })).json.total;
  await page.getByTestId('event-save').click();
  await page.getByTestId('error-capacity').waitFor({ timeout: 10000 });
  check((await hx.api('GET', '/api/v1/agenda?limit=500', { role: 'central' })).json.total === before, 'a refused event was stored');
  await form.getByLabel('Capacity (people)').fill('3');
  await page.getByTestId('event-save').click();
  await page.waitForFunction(() => /^#\/central\/event\/[0-9A-Z]{26}$/.test(location.hash), null, { timeout: 15000 });
  const eventId = await page.evaluate(() => location.hash.split('/').pop());
  const made = (await hx.api('GET', `/api/v1/events/${eventId}`, { role: 'central' })).json;
  check(made.store === storeId && made.region === store.region && made.capacity === 3,
    `the event is ${JSON.stringify({ store: made.store, region: made.region, capacity: made.capacity })}`);

  step('three people selected in the directory are invited in one bulk action');
  await page.goto(`${hx.url}/#/central?q=${encodeURIComponent('Invité-Flux')}`);
  await page.waitForFunction(() => document.querySelector('[data-testid="dir-count"]')?.dataset.total === '3'
    && !document.querySelector('[data-testid="dir-table"]').hasAttribute('aria-busy'), null, { timeout: 20000 });
  await page.getByTestId('dir-select-page').check();
  await page.waitForFunction(() => document.querySelector('[data-testid="dir-event"] option:nth-child(2)'), null, { timeout: 10000 });
  await page.getByTestId('dir-event').selectOption(eventId);
  await page.getByTestId('dir-invite').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="dir-invite-status"]')?.dataset.invited === '3', null, { timeout: 15000 });
  // Again: nobody is invited twice.
  await page.getByTestId('dir-invite').click();
  await page.waitForFunction(() => /0 invited; 3 already/.test(document.querySelector('[data-testid="dir-invite-status"]')?.textContent || ''), null, { timeout: 15000 });

  step('the event page lists them; two accept; the capacity lowered to 1 warns');
  await page.goto(`${hx.url}/#/central/event/${eventId}`);
  await countIs(page, 'invited', 3);
  const guests = page.getByTestId('ev-guests');
  for (const p of people) check(await guests.getByRole('link', { name: p.name }).count() === 1, `${p.name} is not on the guest list`);
  for (const p of people.slice(0, 2)) {
    await page.getByLabel(`Answer of ${p.name}`).selectOption('accepted');
    await page.waitForFunction((id) => document.querySelector(`[data-testid="ev-guests"] tr[data-id="${id}"] select`)?.value === 'accepted'
      && !document.querySelector(`[data-testid="ev-guests"] tr[data-id="${id}"] select`).disabled, p.id, { timeout: 10000 });
  }
  await page.waitForFunction(() => /2 expected of 3 places/.test(document.querySelector('[data-testid="ev-counts"]')?.textContent || ''), null, { timeout: 10000 });
  check(await page.getByTestId('ev-over').count() === 0, 'a warning with 2 expected for 3 places');
  await page.getByTestId('ev-edit').click();
  await page.getByTestId('event-form').getByLabel('Capacity (people)').fill('1');
  await page.getByTestId('event-save').click();
  await page.getByTestId('ev-over').waitFor({ timeout: 15000 });

  step('a store tablet checks Karim in; the open event page shows it without a reload');
  const tablet = await hx.browser('store');
  const tabletPage = await signInLink(tablet, hx.url, hx.tokens.store);
  await firstSync(tabletPage, 90000);
  await syncNow(tabletPage);
  const done = await hostCall(tabletPage, 'checkIn', { event: eventId, influencer: people[2].id });
  check(done.ok, `the tablet's check-in: ${JSON.stringify(done)}`);
  await syncNow(tabletPage);
  const reloads = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) reloads.push(f.url()); });
  await countIs(page, 'checkedIn', 1, 15000);
  check(reloads.length === 0, `the event page was reloaded: ${reloads.join(', ')}`);
  const row = page.locator(`[data-testid="ev-guests"] tr[data-id="${people[2].id}"] [data-testid="ev-checked-in-at"]`);
  check((await row.textContent()) !== '—', 'Karim shows no check-in time');
  check(/1 checked in/.test(await counts(page).textContent()), `the counts read ${await counts(page).textContent()}`);
}
