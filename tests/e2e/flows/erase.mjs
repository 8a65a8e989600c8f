// Erase flow: the central team erases a person while a device is offline holding their data
// (and an unsent contact about them); after the device syncs, the person is gone from its
// screens and from what it stores (a byte scan of IndexedDB and OPFS, checked first to find them).
import { step, check, signInLink, firstSync, hostCall, openCardByEmail, logContact, syncNow, storedOccurrences, eraseCentrally, search } from '../harness.mjs';

export default async function erase(hx) {
  const tablet = await hx.browser('store-tablet');
  const page = await signInLink(tablet, hx.url, hx.tokens.store);
  await firstSync(page);

  // A person whose name nobody else on this device has, so the name itself can be looked for.
  const pool = await hostCall(page, 'search', { text: 'e', limit: 60 });
  let person = null;
  for (const p of pool.value) {
    if (!p.email || !p.handles || !p.handles.length) continue;
    const same = await hostCall(page, 'search', { text: p.name, limit: 20 });
    if (same.value.filter((q) => q.name === p.name).length === 1) { person = p; break; }
  }
  check(person, 'no person with a unique name on the store device');
  const handle = person.handles[0].split(':')[1];
  const canary = `Erase canary ${Date.now()}`;

  await openCardByEmail(page, person);
  await tablet.setOffline(true);
  await logContact(page, { note: canary });

  const needles = [person.email, person.name, handle, canary];
  const before = await storedOccurrences(page, needles);
  needles.forEach((n, i) => check(before.counts[i] > 0,
    `the scan does not find "${n}" in IndexedDB or OPFS before the erase (${before.bytesSeen} bytes scanned): the check below would prove nothing`));

  const how = await eraseCentrally(hx, person.id);
  step(`erased through ${how}`);
  await tablet.setOffline(false);
  await syncNow(page);

  await page.reload();
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForSelector('[data-testid="card"] .error', { timeout: 10000 })
    .catch(() => { throw new Error(`after syncing the erase (${how}), the card of the erased person still shows`); });
  const results = await search(page, person.email);
  check(await results.count() === 0, 'the erased person is still found by e-mail');
  const byName = await search(page, person.name);
  check(await byName.filter({ hasText: person.name }).count() === 0, 'the erased person is still found by name');

  const after = await storedOccurrences(page, needles);
  const left = needles.filter((n, i) => after.counts[i] > 0);
  check(left.length === 0, `after the erase (${how}) the stored files still hold: ${left.map((n) => `"${n}"`).join(', ')} (${after.bytesSeen} bytes scanned)`);
}
