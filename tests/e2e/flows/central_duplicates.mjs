// The duplicates queue (docs/WORKSPACE.md, "Duplicates"), on a laptop: central opens the
// queue, merges a pair keeping the name of one record and the e-mail of the other (the sloppy
// record's newer edit does not win), dismisses another pair as "not the same person" (it leaves
// the queue and stays gone after a reload), and a store tablet of the brand syncs and shows the
// merged person with the chosen values.
import { check, firstSync, hostCall, signInLink, step, syncNow } from '../harness.mjs';

const LAPTOP = { width: 1280, height: 800 };

async function queueShown(page) {
  await page.waitForFunction(() => {
    const t = document.querySelector('[data-testid="dupq-table"]');
    return t && !t.hasAttribute('aria-busy') && document.querySelector('[data-testid="dupq-count"]')?.dataset.total !== undefined;
  }, null, { timeout: 20000 });
}

const rowOf = (page, x, y) => page.locator(`[data-testid="dupq-table"] tbody tr[data-a="${x < y ? x : y}"][data-b="${x < y ? y : x}"]`);

export default async function centralDuplicates(hx) {
  const me = await hx.api('GET', '/api/v1/me', { role: 'store' });
  const storeId = me.json.scope.stores[0];
  const store = (await hx.api('GET', `/api/v1/stores/${storeId}`)).json;
  const place = { store: storeId, region: store.region, brand: store.brand };
  const make = async (fields) => {
    const r = await hx.api('POST', '/api/v1/influencers', { role: 'central', body: { ...fields, ...place } });
    check(r.status === 201, `creating ${fields.name}: ${r.status} ${r.text}`);
    return r.json.id;
  };

  step('two pairs of likely duplicates at the store: one to merge, one of two different people');
  // The well-spelled record first; the sloppy one later, with a newer edit of its name.
  const kept = await make({ name: 'Zoé Nouvelle-Venue', email: 'zoe@example.com', phone: '+33 6 70 11 22 33',
    handles: ['instagram:zoe.nouvellevenue:4200'] });
  const sloppy = await make({ name: 'Zoe Nouvelle Venue', email: 'zoe.nv@example.org', phone: '06 70 11 22 33',
    handles: ['instagram:zoe.nouvellevenue:0'] });
  const edit = await hx.api('PATCH', `/api/v1/influencers/${sloppy}`, { role: 'central', body: { name: 'Zoe Nouvelle Venue', notes: 'seen at the fair' } });
  check(edit.status === 200, `the sloppy record's edit: ${edit.status}`);
  const lea1 = await make({ name: 'Léa Fontaine-Roux', phone: '+33 6 70 44 55 66', handles: ['tiktok:leafr:900'] });
  const lea2 = await make({ name: 'Lea Fontaine Roux', phone: '06 70 44 55 66', handles: ['tiktok:LeaFR:0'] });

  step('central opens the duplicates queue on a laptop');
  const laptop = await hx.browser('central', { viewport: LAPTOP });
  const page = await signInLink(laptop, hx.url, hx.tokens.central);
  await page.waitForSelector('main[data-view="central"]', { timeout: 20000 });
  await page.getByRole('link', { name: 'Duplicates', exact: true }).click();
  await queueShown(page);
  const total = Number(await page.getAttribute('[data-testid="dupq-count"]', 'data-total'));
  const server = await hx.api('GET', '/api/v1/duplicates?limit=1', { role: 'central' });
  check(total === server.json.total, `the queue shows ${total} pairs, the server counts ${server.json.total}`);
  check(await rowOf(page, kept, sloppy).count() === 1, 'the Zoé pair is not on the first page of the queue');
  check(await rowOf(page, lea1, lea2).count() === 1, 'the Léa pair is not on the first page of the queue');

  step('merge, keeping the name of the first record and the e-mail of the other');
  await rowOf(page, kept, sloppy).getByRole('button').click();
  const keptSide = kept < sloppy ? 'a' : 'b';
  const otherSide = keptSide === 'a' ? 'b' : 'a';
  await page.getByTestId(`dupq-keep-${keptSide}`).check();
  // Every differing field defaults to the kept record's value.
  const nameRadio = page.locator(`.dupq-field[data-field="name"] input[value="${keptSide}"]`);
  check(await nameRadio.isChecked(), 'the name does not default to the kept record');
  // From the keyboard: the e-mail's radio group, then the other record's value.
  await page.locator(`.dupq-field[data-field="email"] input[value="${otherSide}"]`).focus();
  await page.keyboard.press('Space');
  check(await page.locator(`.dupq-field[data-field="email"] input[value="${otherSide}"]`).isChecked(), 'the e-mail choice did not take');
  await page.getByTestId('dupq-merge').click();
  await rowOf(page, kept, sloppy).waitFor({ state: 'detached', timeout: 15000 });
  // The merge is written to the laptop's replica first; the server knows it once it is pushed.
  await syncNow(page);
  const survivor = kept < sloppy ? kept : sloppy;
  const merged = (await hx.api('GET', `/api/v1/influencers/${sloppy}`, { role: 'central' })).json;
  const person = merged.influencer || merged;
  check(person.id === survivor, `the survivor is ${person.id}, not the smaller id ${survivor}`);
  check(person.name === 'Zoé Nouvelle-Venue', `the merged person is called "${person.name}"`);
  check(person.email === 'zoe.nv@example.org', `the merged person's e-mail is ${person.email}`);

  step('dismiss the other pair: it leaves the queue and stays gone after a reload');
  await rowOf(page, lea1, lea2).getByRole('button').click();
  await page.getByTestId('dupq-dismiss').click();
  await rowOf(page, lea1, lea2).waitFor({ state: 'detached', timeout: 15000 });
  await page.reload();
  await page.waitForSelector('main[data-view="central"]', { timeout: 20000 });
  await queueShown(page);
  check(await rowOf(page, lea1, lea2).count() === 0, 'the dismissed pair is back after a reload');
  await syncNow(page);
  const distinct = (await hx.api('GET', `/api/v1/influencers/${lea2}`, { role: 'central' })).json;
  check(((distinct.influencer || distinct).distinct_from || []).includes(lea1), 'Léa\'s records do not name each other as distinct');

  step('a store tablet of the brand shows the merged person with the chosen values');
  const tablet = await hx.browser('store');
  const tabletPage = await signInLink(tablet, hx.url, hx.tokens.store);
  await firstSync(tabletPage, 90000);
  await syncNow(tabletPage);
  for (const id of [kept, sloppy]) {
    const card = await hostCall(tabletPage, 'card', { id });
    check(card.ok && card.value.influencer.id === survivor && card.value.influencer.name === 'Zoé Nouvelle-Venue'
      && card.value.influencer.email === 'zoe.nv@example.org',
    `on the store tablet, ${id} is ${card.ok ? JSON.stringify({ id: card.value.influencer.id, name: card.value.influencer.name, email: card.value.influencer.email }) : card.message}`);
  }
}
