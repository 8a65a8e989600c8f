// Locale flow: an en-GB browser gets the English screens with British dates (day before month,
// 24-hour clock), not American ones: dates and numbers follow the browser's locale.
import { check, signInLink, firstSync, hostCall } from '../harness.mjs';

export default async function locale(hx) {
  const tablet = await hx.browser('store-tablet-gb', { locale: 'en-GB' });
  const page = await signInLink(tablet, hx.url, hx.tokens.store);
  await firstSync(page);
  check(await page.evaluate(() => document.documentElement.lang) === 'en', 'an en-GB browser does not get the English screens');

  const some = await hostCall(page, 'search', { text: 'e', limit: 1 });
  const person = some.value[0];
  const logged = await hostCall(page, 'logContact', { influencer: person.id, touchpoint: 'store', department: 'retail',
    follow_up: 'Send the lookbook', follow_up_due: '2031-03-04' });
  check(logged.ok, `logging a contact with a follow-up: ${JSON.stringify(logged)}`);
  await page.goto(`${hx.url}/#/card/${person.id}`);
  await page.waitForSelector('[data-testid="timeline"] li');
  const item = page.locator('[data-testid="timeline"] li', { hasText: 'Send the lookbook' }).first();
  const text = await item.innerText();
  check(text.includes('4 Mar 2031'), `the follow-up date reads "${text.replace(/\s+/g, ' ')}" in an en-GB browser, not 4 Mar 2031`);
  const when = await item.locator('.when').innerText();
  const now = new Date();
  const gb = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' }).format(now);  // "4 Dec"
  check(when.startsWith(gb) && !/AM|PM/.test(when), `the contact's time reads "${when}", not British (${gb} …, 24-hour clock)`);
}
