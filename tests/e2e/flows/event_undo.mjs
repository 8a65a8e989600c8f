// Event flow: guests whose records this device does not hold are said to be registered
// elsewhere (not "from another store", which is often untrue), and Undo asks before it takes
// an arrival away: "No, keep it" keeps it, "Yes, undo" undoes it.
import { check, step, signInLink, firstSync, hostCall, openEvent, checkinCount, checkInKnown } from '../harness.mjs';

export default async function eventUndo(hx) {
  const tablet = await hx.browser('store-tablet');
  const page = await signInLink(tablet, hx.url, hx.tokens.store);
  await firstSync(page);
  const events = await hostCall(page, 'events');
  const event = events.value.find((e) => e.checked_in > 0);
  check(event, `no event with arrivals on the store device: ${JSON.stringify(events.value.map((e) => [e.name, e.checked_in]))}`);
  const list = await hostCall(page, 'checkins', { event: event.id });
  const unnamed = list.value.entries.filter((e) => !e.influencer.name).length;
  check(unnamed > 0, 'the demo event has no guest from outside the device\'s scope: the wording check would prove nothing');
  const taken = new Set(list.value.entries.map((e) => e.influencer.id));
  const pool = await hostCall(page, 'search', { text: 'a', limit: 100 });
  const guest = pool.value.find((p) => p.email && !taken.has(p.id));
  check(guest, 'nobody left to check in');

  // Both parts are checked even when the first fails, and every failure is reported.
  const failures = [];
  const part = async (what, fn) => {
    step(what);
    try { await fn(); } catch (e) { failures.push(`${what}: ${e.message}`); }
  };
  await openEvent(page, event.name);
  await part('the wording of guests this device does not hold', async () => {
  const arrivals = await page.locator('[data-testid="checkins"]').innerText();
  check(!/another store/i.test(arrivals), 'arrivals are still called "Guest from another store"');
  check(/Guest registered elsewhere/.test(arrivals), 'guests whose records are not on this device are not said to be registered elsewhere');
  const hintEl = page.locator('[data-testid="unknown-guests"]');
  check(await hintEl.count() === 1, 'no line says why some guests are not named');
  const hint = await hintEl.innerText();
  check(hint.includes(String(unnamed)) && /this device does not hold their record/.test(hint), `the hint about unnamed guests: "${hint}"`);
  });

  await part('Undo asks first', async () => {
  await checkInKnown(page, guest);
  const n = await checkinCount(page);
  await page.getByRole('button', { name: `Undo check-in of ${guest.name}` }).first().click();
  await page.waitForTimeout(500);
  check(await checkinCount(page) === n, 'pressing Undo took the arrival away at once, without asking');
  const ask = page.locator('[data-testid="checkins"] li', { hasText: `Undo the check-in of ${guest.name}?` });
  await ask.waitFor({ timeout: 3000 }).catch(() => { throw new Error('pressing Undo does not ask "Undo the check-in of …?"'); });
  check(await page.evaluate(() => document.activeElement && document.activeElement.textContent) === 'No, keep it',
    'after Undo the focus is not on the safe answer "No, keep it"');
  await page.getByRole('button', { name: 'No, keep it' }).click();
  await page.waitForTimeout(300);
  check(await checkinCount(page) === n, '"No, keep it" undid the arrival');
  await page.getByRole('button', { name: `Undo check-in of ${guest.name}` }).first().click();
  await page.getByRole('button', { name: `Yes, undo the check-in of ${guest.name}` }).click();
  await page.waitForFunction((k) => document.querySelector('[data-testid="checkin-count"]')?.dataset.count === String(k), n - 1, { timeout: 10000 })
    .catch(() => { throw new Error('"Yes, undo" did not undo the arrival'); });
  });

  check(!failures.length, failures.join('\n  '));
}
