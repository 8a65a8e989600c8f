// Refused flow: a store tablet logs a contact offline; meanwhile an administrator moves its
// user to another store. When the tablet syncs, the server refuses the contact (the person is
// no longer in the user's scope) and the device undoes it; the sync bar says a change was
// refused, and its page says about whom, what, and why, in words, with the server's reason.
// "I have read this" clears it.
import { check, firstSync, hostCall, logContact, openCard, signInLink, step } from '../harness.mjs';

export default async function refused(hx) {
  const tablet = await hx.browser('store-tablet');
  const page = await signInLink(tablet, hx.url, hx.tokens.store);
  await firstSync(page);
  // A store of the other brand: once moved there, the device holds nothing of its old store's
  // people, not even their directory records (docs/SYNC.md D1).
  const stores = await hx.api('GET', '/api/v1/stores?limit=50');
  check(stores.status === 200, `stores: ${stores.text.slice(0, 200)}`);
  const me = await hostCall(page, 'status');
  const mine = stores.json.items.find((s) => me.value.user.scope.stores.includes(s.id));
  const other = stores.json.items.find((s) => s.brand !== mine.brand);
  check(other, 'the demo has no store of another brand');
  // One of its own store's people (not a directory record) who is not listed under that brand.
  const some = await hostCall(page, 'search', { text: 'e', limit: 50 });
  check(some.ok && some.value.length > 0, 'the store device has no influencer');
  let person = null;
  for (const p of some.value) {
    const c = await hostCall(page, 'card', { id: p.id });
    if (c.ok && !c.value.directory && !(p.brands || []).includes(other.brand)) { person = p; break; }
  }
  check(person, 'none of the first 50 people found is one of the store\'s own');

  step('offline, a contact is logged; the user is moved to another store');
  await tablet.setOffline(true);
  await openCard(page, person);
  await logContact(page, { note: 'Came in for the launch' });
  hx.setScope('store', { stores: [other.id] });

  step('back online: the contact is refused, and the person is told');
  await tablet.setOffline(false);
  const link = page.getByTestId('refused');
  await link.waitFor({ timeout: 30000 })
    .catch(async () => check(false, `no word of the refused change: ${await page.locator('#syncbar').innerText()}`));
  check((await link.innerText()).includes('The server refused 1 change made here'), `the sync bar says: ${await link.innerText()}`);
  await link.click();
  await page.waitForSelector('main[data-view="refused"] [data-testid="refused-list"] li', { timeout: 10000 });
  const item = await page.locator('[data-testid="refused-list"] li').innerText();
  check(item.includes(person.name), `the refusal does not say whom it was about: ${item}`);
  check(item.includes('new entry'), `the refusal does not say what was refused: ${item}`);
  check(item.includes('another store or region'), `the refusal does not say why in words: ${item}`);
  check(/Server: .+/.test(item), `the server's reason is missing: ${item}`);
  // Undone on the device: the person left its scope with the contact.
  const gone = await hostCall(page, 'card', { id: person.id });
  check(!gone.ok, 'the device still shows the person of the store it no longer covers');

  await page.getByRole('button', { name: 'I have read this' }).click();
  await page.waitForSelector('main[data-view="search"]');
  check(await page.getByTestId('refused').count() === 0, 'the refusal is still announced after it was read');
  const left = await hostCall(page, 'refusals');
  check(left.ok && left.value.length === 0, `refusals left after reading them: ${JSON.stringify(left)}`);
}
