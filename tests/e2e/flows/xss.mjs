// Script and HTML payloads typed into names, notes and tags show as text: no dialog opens,
// no script runs, no element is injected — on the card, in search, in the timeline and at
// an event. (harness.mjs fails the test on any dialog.)
import { check, signInLink, firstSync, hostCall, openEvent, registerWalkIn, search, logContact } from '../harness.mjs';

const NAME = `<img src=x onerror="window.__xss='name'">Eve "<script>window.__xss='script'</script>"`;
const NOTE = `<b>bold</b><svg onload="window.__xss='svg'"></svg><iframe src="javascript:window.__xss='iframe'"></iframe> & done`;
const SUMMARY = `</textarea><script>alert('summary')</script><a href="javascript:alert(1)">click</a>`;

async function assertClean(page, where) {
  const r = await page.evaluate(() => ({
    xss: window.__xss,
    injected: [...document.querySelectorAll('main img, main script, main svg, main iframe, main b, main textarea + script, main a[href^="javascript"]')].map((e) => e.outerHTML),
  }));
  check(r.xss === undefined, `${where}: a payload ran (window.__xss = ${r.xss})`);
  check(r.injected.length === 0, `${where}: elements were injected: ${r.injected.join(' ')}`);
}

export default async function xss(hx) {
  const ctx = await hx.browser('field-laptop');
  const page = await signInLink(ctx, hx.url, hx.tokens.field);
  await firstSync(page);

  const events = await hostCall(page, 'events');
  await openEvent(page, events.value[0].name);
  await registerWalkIn(page, { name: NAME, email: `eve.${Date.now()}@example.org` });
  await page.locator('[data-testid="checkins"] li', { hasText: 'Eve' }).first().waitFor();
  const listed = await page.locator('[data-testid="checkins"] li .name').allTextContents();
  check(listed.includes(NAME), `the check-in list does not show the name as typed: ${JSON.stringify(listed.slice(0, 3))}`);
  await assertClean(page, 'event check-ins');

  const results = await search(page, 'Eve');
  const item = results.filter({ hasText: 'onerror' }).first();
  check((await item.locator('.name').textContent()) === NAME, 'the search result does not show the name as typed');
  await assertClean(page, 'search results');
  await item.click();
  await page.waitForSelector('[data-testid="card-name"]');
  check((await page.locator('[data-testid="card-name"]').textContent()) === NAME, 'the card title is not the name as typed');

  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Notes').fill(NOTE);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForSelector('[data-testid="notes"]');
  check((await page.locator('[data-testid="notes"]').textContent()) === NOTE, 'the notes do not show as typed');
  await logContact(page, { touchpoint: 'Event', note: SUMMARY });
  await page.locator('[data-testid="timeline"] li', { hasText: 'click' }).first().waitFor();
  check((await page.locator('[data-testid="timeline"] .text').first().textContent()) === SUMMARY, 'the contact note does not show as typed');
  await assertClean(page, 'card');

  await page.reload();
  await page.waitForSelector('[data-testid="card-name"]');
  await assertClean(page, 'card after a reload');
}
