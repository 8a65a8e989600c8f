// The central team's directory (docs/WORKSPACE.md), on a laptop: signing in as central opens the
// workspace; filters narrow the table to what the server says they should; a saved view comes
// back; 50 people without an owner get one in one bulk assignment, which reaches a store tablet
// of their brand; the CSV export is the view, line for line.
import { readFileSync } from 'node:fs';
import { LAPTOP, check, firstSync, hostCall, signInLink, step, syncNow } from '../harness.mjs';

async function shown(page) {
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid="dir-table"]');
    return t && !t.hasAttribute('aria-busy') && document.querySelector('[data-testid="dir-count"]')?.dataset.total !== undefined;
  }, null, { timeout: 15000 });
  return Number(await page.getAttribute('[data-testid="dir-count"]', 'data-total'));
}

// Waits until the table shows `total` people (a filter's answer has arrived).
async function waitTotal(page, total, what) {
  try {
    await page.waitForFunction((n) => {
      const t = document.querySelector('[data-testid="dir-table"]');
      return t && !t.hasAttribute('aria-busy') && document.querySelector('[data-testid="dir-count"]')?.dataset.total === String(n);
    }, total, { timeout: 15000 });
  } catch {
    const text = await page.locator('[data-testid="dir-count"]').textContent();
    check(false, `${what}: the table shows "${text}", the server counts ${total}`);
  }
}

export default async function centralDirectory(hx) {
  const me = await hx.api('GET', '/api/v1/me', { role: 'store' });
  const storeId = me.json.scope.stores[0];
  const store = (await hx.api('GET', `/api/v1/stores/${storeId}`)).json;
  const brand = store.brand;
  check(brand, `the demo's store ${storeId} has no brand`);

  step('signing in as central opens the workspace, on a laptop');
  const laptop = await hx.browser('central', { viewport: LAPTOP });
  const page = await signInLink(laptop, hx.url, hx.tokens.central);
  await page.waitForSelector('main[data-view="central"]', { timeout: 20000 });
  // A new laptop's page starts before its database is open (docs/PERFORMANCE.md, "The central
  // workspace"): the sign-in and the directory's first page do not wait for the file's creation.
  const start = await page.evaluate(async () => {
    const mark = performance.getEntriesByName('liaison-connected')[0];
    const { connect } = await import('/host/client.js');
    const st = await (await connect()).call('status');
    const boot = st.ok && st.value.timings.boot;
    return { connected: mark ? performance.timeOrigin + mark.startTime : null, open: boot ? boot.at.open : null };
  });
  check(start.connected !== null && start.open !== null && start.connected < start.open,
    `a new laptop's page waited for its database: connected at ${start.connected}, the database open at ${start.open}`);
  const everyone = await shown(page);
  const all = await hx.api('GET', '/api/v1/directory?limit=1', { role: 'central' });
  check(everyone === all.json.total && everyone >= 1000, `the directory shows ${everyone} people, the server holds ${all.json.total}`);

  step('filters narrow the table to what the server counts');
  await page.getByRole('checkbox', { name: 'Top influencer', exact: true }).check();
  const top = await hx.api('GET', '/api/v1/directory?tier=top&limit=1', { role: 'central' });
  await waitTotal(page, top.json.total, 'tier = top');
  const tiers = await page.locator('[data-testid="dir-table"] tbody tr td:nth-child(3)').allTextContents();
  check(tiers.length > 0 && tiers.every((x) => x === 'Top influencer'), `tier column under "Top influencer": ${[...new Set(tiers)].join(', ')}`);
  await page.getByLabel('Owner', { exact: true }).selectOption('none');
  const topNone = await hx.api('GET', '/api/v1/directory?tier=top&owner=none&limit=1', { role: 'central' });
  await waitTotal(page, topNone.json.total, 'tier = top, no owner');
  // Sorted by audience, largest first: a click on the column's header, twice.
  await page.getByRole('button', { name: 'Sort by Audience' }).click();
  await page.waitForFunction(() => location.hash.includes('sort=audience'));
  await page.getByRole('button', { name: 'Sort by Audience' }).click();
  await page.waitForFunction(() => location.hash.includes('sort=-audience'));
  const sorted = await hx.api('GET', '/api/v1/directory?tier=top&owner=none&sort=-audience&limit=5', { role: 'central' });
  await page.waitForFunction((id) => document.querySelector('[data-testid="dir-table"] tbody tr')?.dataset.id === id,
    sorted.json.items[0].id, { timeout: 10000 });

  step('a saved view comes back');
  await page.getByLabel('Name of this view').fill('Top, no owner');
  await page.getByRole('button', { name: 'Save this view' }).click();
  await page.getByRole('button', { name: 'Clear the filters' }).click();
  await waitTotal(page, everyone, 'cleared');
  await page.getByRole('button', { name: 'Top, no owner', exact: true }).click();
  await waitTotal(page, topNone.json.total, 'the saved view');

  step('50 people of the store\'s brand with no owner get one, in one bulk assignment');
  await page.getByRole('button', { name: 'Clear the filters' }).click();
  await waitTotal(page, everyone, 'cleared');
  await page.getByLabel('Brand', { exact: true }).selectOption(brand);
  await page.getByLabel('Owner', { exact: true }).selectOption('none');
  const unowned = await hx.api('GET', `/api/v1/directory?brand=${brand}&owner=none&limit=1`, { role: 'central' });
  check(unowned.json.total >= 50, `only ${unowned.json.total} people of the brand have no owner in the demo`);
  await waitTotal(page, unowned.json.total, 'brand, no owner');
  const ids = await page.locator('[data-testid="dir-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.id));
  check(ids.length === 50, `the page shows ${ids.length} people, not 50`);
  await page.getByTestId('dir-select-page').check();
  check(await page.getAttribute('[data-testid="dir-selected"]', 'data-n') === '50', 'selecting the page does not select 50 people');
  const staff = (await hx.api('GET', '/api/v1/staff?limit=500', { role: 'central' })).json.items;
  const owner = staff.find((s) => s.brand === brand) || staff[0];
  await page.getByTestId('dir-owner').selectOption(owner.id);
  await page.getByTestId('dir-assign').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="dir-bulk-status"]')?.dataset.done === '50', null, { timeout: 60000 });
  await waitTotal(page, unowned.json.total - 50, 'after the assignment');
  const owned = await hx.api('GET', `/api/v1/directory?owner=${owner.id}&limit=500`, { role: 'central' });
  const ownedIds = new Set(owned.json.items.map((p) => p.id));
  check(ids.every((id) => ownedIds.has(id)), `the server does not give ${owner.name} all 50 people`);
  const hist = await hx.api('GET', `/api/v1/influencers/${ids[0]}/history`, { role: 'central' });
  check(hist.status === 200 && hist.text.includes(owner.id), 'the assignment is not in the person\'s history');

  step('the assignment reaches a store tablet of the brand');
  const tablet = await hx.browser('store');
  const tabletPage = await signInLink(tablet, hx.url, hx.tokens.store);
  await firstSync(tabletPage, 90000);
  await syncNow(tabletPage);
  for (const id of [ids[0], ids[49]]) {
    const card = await hostCall(tabletPage, 'card', { id });
    check(card.ok && card.value.influencer.owner === owner.id && card.value.owner && card.value.owner.name === owner.name,
      `on the store tablet, ${id}'s owner is ${card.ok ? JSON.stringify(card.value.owner) : card.message}`);
  }

  step('the CSV export is the view');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dir-export').click()]);
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.split('\r\n').filter(Boolean);
  check(lines[0].startsWith('id,name,tier'), `the CSV's header: ${lines[0]}`);
  check(lines.length === 1 + unowned.json.total - 50, `the CSV holds ${lines.length - 1} people, the view ${unowned.json.total - 50}`);
  check(download.suggestedFilename() === 'influencers.csv', `the file is called ${download.suggestedFilename()}`);
}
