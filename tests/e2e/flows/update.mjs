// Update flow: the app runs from the service worker's cache; a new build reaches the server;
// the running app keeps working and offers "Update now"; pressing it switches to the new
// version (one cache left, the old one gone) and the device's data and sign-in are still there.
import { appVersions as versions, check, firstSync, hostCall, publishNewBuild, serveCopy, signInLink, waitServiceWorker } from '../harness.mjs';

export default async function update(hx) {
  const app = await serveCopy(hx);
  const tablet = await hx.browser('store-tablet');
  const page = await signInLink(tablet, hx.url, hx.tokens.store);
  await firstSync(page);
  await waitServiceWorker(page);
  const before = await versions(page);
  check(before.length === 1, `one app cache expected after the first start, found ${JSON.stringify(before)}`);
  const v1 = before[0].slice('liaison-app-'.length);
  const seen = await hostCall(page, 'search', { text: 'a', limit: 5 });
  check(seen.ok && seen.value.length > 0, 'the device found nobody before the update');

  // A new build on the server; the browser looks for updates (it also does on navigations).
  const v2 = `${v1}next`;
  publishNewBuild(app, v1, v2);
  check(await page.locator('#update').count() === 0, 'an update was offered before there was one');
  await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
  const banner = page.locator('#update');
  await banner.waitFor({ timeout: 20000 }).catch(() => { check(false, 'no "Update now" offer after a new build reached the server'); });
  check((await banner.innerText()).includes('A new version of Liaison is ready'), `the offer reads: ${await banner.innerText()}`);
  // Until the person chooses, the running version goes on working.
  check((await versions(page)).length === 2, 'the new version is not installed next to the running one');
  check((await hostCall(page, 'search', { text: 'a', limit: 5 })).ok, 'the app stopped answering while an update waited');

  await Promise.all([
    page.waitForEvent('load', { timeout: 20000 }),
    banner.getByRole('button', { name: 'Update now' }).click(),
  ]).catch(() => { check(false, 'pressing "Update now" did not reload the app'); });
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  await page.waitForFunction((v) => caches.keys().then((k) => k.join() === `liaison-app-${v}`), v2, { timeout: 10000 })
    .catch(async () => { check(false, `after the update the caches are ${JSON.stringify(await versions(page))}, expected only liaison-app-${v2}`); });
  check(await page.locator('#update').count() === 0, 'the offer is still shown after updating');
  const after = await hostCall(page, 'status');
  check(after.ok && after.value.signedIn, 'the device is no longer signed in after the update');
  const again = await hostCall(page, 'search', { text: 'a', limit: 5 });
  check(again.ok && again.value.length === seen.value.length, 'the device\'s data changed with the update');
}
