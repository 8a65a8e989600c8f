// Store flow: sign in, search (by keyboard), open a card, log a contact, reload: still there; after sync
// the server has it (its REST API when it exists, and a second device of the same store that
// syncs and shows it on the card); when its token is revoked, the sync bar says so. On the way,
// the device's contact-pressure cap is lowered in Settings and the card then warns.
import { check, open, signInTyped, firstSync, openCard, logContact, syncNow, signInLink, hostCall } from '../harness.mjs';

export default async function store(hx) {
  const tablet = await hx.browser('store-tablet');
  const page = await open(tablet, hx.url);
  await signInTyped(page, hx.tokens.store);
  await firstSync(page);

  // Someone of this store's scope, found the way a person would: by typing part of the name.
  const some = await hostCall(page, 'search', { text: 'e', limit: 5 });
  check(some.ok && some.value.length > 0, `the store device has no influencers after its first sync: ${JSON.stringify(some)}`);
  const person = some.value[0];
  // By keyboard only: the search box has the focus; type, Tab to the person, Enter.
  await page.waitForFunction(() => document.activeElement && document.activeElement.type === 'search');
  await page.keyboard.type(person.name);
  await page.waitForFunction((q) => document.querySelector('[data-testid="search-results"]')?.dataset.query === q, person.name);
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate((id) => document.activeElement?.getAttribute('href') === `#/card/${id}`, person.id);
  }
  check(reached, `the Tab key never reaches ${person.name}'s search result`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="card-name"]', { timeout: 10000 });
  check((await page.locator('[data-testid="card-name"]').textContent()) === person.name, 'the card shows another person');

  const note = `Came in for the autumn range (store flow ${Date.now()})`;
  await logContact(page, { note });
  await page.locator('[data-testid="timeline"] li', { hasText: note }).first().waitFor({ timeout: 5000 });

  await page.reload();
  await page.waitForSelector('body[data-ready="1"]');
  await page.locator('[data-testid="timeline"] li', { hasText: note }).first().waitFor({ timeout: 10000 })
    .catch(() => { throw new Error('after a reload the logged contact is gone from the card'); });

  await contactCapWarns(page, person);

  await syncNow(page);

  const rest = await hx.api('GET', `/api/v1/influencers/${person.id}`, { role: 'central' });
  if (rest.status !== 404) {
    check(rest.status === 200, `GET /api/v1/influencers/${person.id} answered ${rest.status}: ${rest.text.slice(0, 300)}`);
    check(rest.text.includes(note), 'the central record (REST) does not have the logged contact');
  }
  // A second device of the same store receives it through the server.
  const other = await hx.browser('store-counter-pc');
  const token2 = hx.issueToken('store');
  const page2 = await signInLink(other, hx.url, token2);
  await firstSync(page2);
  await openCard(page2, person);
  await page2.locator('[data-testid="timeline"] li', { hasText: note }).first().waitFor({ timeout: 5000 })
    .catch(() => { throw new Error('a second device of the same store does not see the contact after syncing'); });

  // The sync bar says in plain words when the server refuses the device.
  await revokedSays(hx, page2, token2);
}

async function revokedSays(hx, page, token) {
  hx.revokeToken(token);
  await page.getByRole('button', { name: 'Sync now' }).click();
  await page.waitForSelector('#syncbar[data-error="unauthorized"]', { timeout: 10000 })
    .catch(() => { throw new Error('after its token was revoked, the sync bar does not say the device may no longer sync'); });
  const text = await page.locator('#syncbar').innerText();
  check(text.includes('no longer allowed to sync'), `the sync bar does not say it in plain words: ${text}`);
}

// Settings: the cap refuses nonsense with a message and saves a valid number; a card warns
// of contact pressure when the person's contacts of the last 30 days reach the cap, not below.
async function contactCapWarns(page, person) {
  const card = await hostCall(page, 'card', { id: person.id });
  const n = card.ok && card.value.contacts_recent;
  check(n >= 1 && n < 100, `the card counts ${n} recent contacts after one was logged`);
  const setCap = async (value, expect) => {
    await page.goto(page.url().replace(/#.*$/, '') + '#/search');
    await page.getByRole('link', { name: 'Settings' }).click();
    const cap = page.getByLabel('Contact-pressure cap (contacts in 30 days)');
    await page.waitForFunction(() => document.querySelector('[data-testid="settings"] input')?.value !== '', null, { timeout: 10000 });
    await cap.fill(String(value));
    await page.getByRole('button', { name: 'Save' }).click();
    const msg = page.locator('[data-testid="settings-msg"]');
    await msg.filter({ hasText: expect }).waitFor({ timeout: 5000 })
      .catch(async () => { throw new Error(`a cap of ${value}: the settings say "${await msg.innerText()}", not "${expect}"`); });
  };
  const warns = async () => {
    await page.goto(page.url().replace(/#.*$/, '') + `#/card/${encodeURIComponent(person.id)}`);
    await page.waitForSelector('[data-testid="card-name"]', { timeout: 10000 });
    return page.locator('.warnings li', { hasText: 'Contacted often lately' }).count();
  };
  await setCap(0, 'whole number from 1 to 100');
  await setCap(n + 1, 'Saved');
  check(await warns() === 0, `with a cap of ${n + 1}, ${person.name}'s card (${n} recent contacts) warns of contact pressure`);
  await setCap(n, 'Saved');
  check(await warns() === 1, `with a cap of ${n}, ${person.name}'s card (${n} recent contacts) does not warn of contact pressure`);
}
