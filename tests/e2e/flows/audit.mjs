// The audit of full-record views (docs/SECURITY.md, "Audit of personal-data reads"): the
// central team opens a person's page in the workspace (read from the server, which records
// it), then, offline, a card from the laptop's own replica; the view is kept through an offline
// reload and reaches the server's audit once the laptop is online and has synced. A store
// user's card of her own client is not recorded.
import { check, firstSync, hostCall, LAPTOP, openCard, signInLink, step, syncNow, waitServiceWorker } from '../harness.mjs';

async function views(hx, person) {
  const r = await hx.api('GET', `/api/v1/audit?action=person.view&subject=${person}`, { role: 'central' });
  check(r.status === 200, `GET /api/v1/audit: ${r.status} ${r.text.slice(0, 200)}`);
  return r.json.items.map((i) => i.actor);
}

async function waitViews(hx, person, n) {
  const until = Date.now() + 15000;
  for (;;) {
    const actors = await views(hx, person);
    if (actors.length >= n || Date.now() > until) return actors;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export default async function audit(hx) {
  const central = `user:${(await hx.api('GET', '/api/v1/me', { role: 'central' })).json.user}`;
  const people = (await hx.api('GET', '/api/v1/directory?sort=name&limit=2', { role: 'central' })).json.items;
  check(people.length === 2, 'the demo has fewer than two people');
  const [onPage, onCard] = people;

  step('a person opened in the central workspace is recorded by the server');
  const laptop = await hx.browser('central', { viewport: LAPTOP });
  const page = await signInLink(laptop, hx.url, hx.tokens.central);
  await waitServiceWorker(page);
  await firstSync(page);
  check((await views(hx, onPage.id)).length === 0, 'a view recorded before anyone looked');
  await page.goto(page.url().replace(/#.*$/, '') + `#/central/person/${onPage.id}`);
  await page.waitForFunction((name) => document.querySelector('[data-testid="person-name"]')?.textContent === name, onPage.name, { timeout: 15000 });
  const seen = await waitViews(hx, onPage.id, 1);
  check(seen.length === 1 && seen[0] === central, `her page's view is not recorded once for ${central}: ${JSON.stringify(seen)}`);

  step('offline, a card read from the laptop is queued, kept through a reload, and sent once online');
  // The workspace's rooms are the server's and load on demand: offline, the laptop is on its
  // search screen.
  await page.goto(page.url().replace(/#.*$/, '') + '#/search');
  await laptop.setOffline(true);
  await page.reload();
  await page.waitForSelector('body[data-ready="1"]', { timeout: 10000 });
  const status = await hostCall(page, 'status');
  check(status.ok && status.value.online === false, 'the worker believes it is online');
  await openCard(page, onCard);
  const queued = await hostCall(page, 'reportView', { id: onCard.id });
  check(queued.ok && queued.value === false, `the card's view was not queued (a second report was not a repeat): ${JSON.stringify(queued)}`);
  check((await views(hx, onCard.id)).length === 0, 'a view reached the server from an offline laptop');
  await page.reload();
  await page.waitForSelector('body[data-ready="1"]', { timeout: 10000 });
  await laptop.setOffline(false);
  for (const until = Date.now() + 10000; !(await hostCall(page, 'status')).value.online;) {
    check(Date.now() < until, 'the worker did not learn that the network is back');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await syncNow(page);
  const reported = await waitViews(hx, onCard.id, 1);
  check(reported.length === 1 && reported[0] === central, `the offline card's view did not reach the audit: ${JSON.stringify(reported)}`);

  step("a store user's card of her own client is not recorded");
  const tablet = await hx.browser('store-tablet');
  const spage = await signInLink(tablet, hx.url, hx.tokens.store);
  await firstSync(spage);
  const mine = await hostCall(spage, 'search', { text: 'a', limit: 50 });
  const client = mine.value.find((p) => p.email); // a full record the store holds
  check(client, 'the store holds no full record');
  await openCard(spage, client);
  const own = await hostCall(spage, 'reportView', { id: client.id });
  check(own.ok && own.value === false, `a store user's view was queued: ${JSON.stringify(own)}`);
  const store = `user:${(await hx.api('GET', '/api/v1/me', { role: 'store' })).json.user}`;
  check(!(await views(hx, client.id)).includes(store), 'a store user\'s view is in the audit');
}
