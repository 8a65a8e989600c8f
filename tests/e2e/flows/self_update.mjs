// Self-update flow: a store tablet registers someone while offline; meanwhile the server is
// upgraded and refuses the app's version (upgrade_required). When the network returns the app
// says "Updating the app…", fetches the new version, switches to it by itself, and the new
// version sends the outbox: the person reaches the server, nothing is lost. A version that is
// still refused after its own update does not reload in a loop: it says what to do, and the
// notice goes once a sync succeeds.
//
// The server is real; a proxy in front of it (harness.mjs, startVersionProxy) makes the app's
// push name an older record model, which is what the server judges.
import {
  appVersions, check, firstSync, pending, publishNewBuild, serveCopy, signInLink, startVersionProxy,
  step, syncNow, waitServiceWorker,
} from '../harness.mjs';

// Records the texts the update banner shows, across the page's reloads.
async function watchBanner(page) {
  const texts = [];
  await page.exposeBinding('noteUpdateBanner', (_source, text) => texts.push(text));
  const observe = () => {
    let last = null;
    new MutationObserver(() => {
      const el = document.getElementById('update');
      const text = el ? el.textContent : null;
      if (text && text !== last) window.noteUpdateBanner(text);
      last = text;
    }).observe(document, { subtree: true, childList: true, characterData: true });
  };
  await page.addInitScript(observe);
  await page.evaluate(observe);
  return texts;
}

export default async function selfUpdate(hx) {
  // Chromium reports the refused push on the console, as it does any request answered 4xx.
  hx.allowedConsole.push(/status of 426/);
  const app = await serveCopy(hx);
  const proxy = await startVersionProxy(hx.url);
  try {
    const tablet = await hx.browser('store-tablet');
    const page = await signInLink(tablet, proxy.url, hx.tokens.store);
    await firstSync(page);
    await waitServiceWorker(page);
    const [cache] = await appVersions(page);
    const v1 = cache.slice('liaison-app-'.length);
    const banner = await watchBanner(page);

    step('offline, the store registers a walk-in');
    await tablet.setOffline(true);
    const name = `Ondine Versionnée ${Date.now()}`;
    await page.goto(`${proxy.url}/#/new`);
    await page.getByLabel('Full name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForFunction(() => Number(document.getElementById('syncbar')?.dataset.pending) > 0, null, { timeout: 10000 })
      .catch(() => check(false, 'the new person is not waiting to be sent'));
    const waiting = await pending(page);

    step('the server is upgraded: a new build, and this version of the app is refused');
    const v2 = `${v1}next`;
    publishNewBuild(app, v1, v2);
    proxy.refuse = 1;
    const refusedAt = proxy.log.length;
    await tablet.setOffline(false);

    // The app updates itself: the new version controls the page and has sent the outbox.
    await page.waitForFunction((v) => caches.keys().then((k) => k.join() === `liaison-app-${v}`), v2, { timeout: 30000 })
      .catch(async () => check(false, `the app did not update itself: caches ${JSON.stringify(await appVersions(page))}, ` +
        `banner ${JSON.stringify(banner)}, requests ${JSON.stringify(proxy.log.slice(refusedAt))}`));
    await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
    await page.waitForFunction(() => {
      const s = document.getElementById('syncbar');
      return s && s.dataset.pending === '0' && s.dataset.syncing === '0' && s.dataset.error === '';
    }, null, { timeout: 30000 }).catch(async () => check(false, `the updated app did not send its outbox: ${await page.locator('#syncbar').innerText()}`));

    const after = proxy.log.slice(refusedAt);
    const refused = after.filter((r) => r.rewritten);
    check(refused.length === 1 && refused[0].status === 426, `the server did not answer the old version upgrade_required: ${JSON.stringify(refused)}`);
    check(banner.some((t) => t.includes('Updating the app')), `"Updating the app…" was never shown: ${JSON.stringify(banner)}`);
    // The outbox went out from the new version: no push between the refusal and the new sw.js.
    const refusal = after.indexOf(refused[0]);
    const newSw = after.findIndex((r, i) => i > refusal && r.path.startsWith('/sw.js') && r.status === 200);
    const nextPush = after.findIndex((r, i) => i > refusal && r.path.startsWith('/api/v1/sync'));
    check(newSw > refusal && nextPush > newSw, `the old version pushed again after its refusal: ${JSON.stringify(after)}`);
    check(waiting > 0, 'nothing was waiting before the update');
    const found = await hx.api('GET', `/api/v1/influencers?q=${encodeURIComponent(name)}`, { role: 'central' });
    check(found.status === 200 && found.json.items.some((p) => p.name === name),
      `the person registered before the update did not reach the server: ${found.text.slice(0, 300)}`);

    step('refused again right after updating: no reload loop, the person is told what to do');
    const loads = [];
    page.on('load', () => loads.push(Date.now()));
    proxy.refuse = 1;
    await page.getByRole('button', { name: 'Sync now' }).click();
    const stuck = page.locator('#update');
    await stuck.filter({ hasText: 'could not be loaded' }).waitFor({ timeout: 15000 })
      .catch(async () => check(false, `no advice after a second refusal: ${JSON.stringify(banner)}`));
    check(loads.length === 0, 'the app reloaded again although its update did not help');
    // The server takes this version again: the next sync succeeds and the notice goes.
    await syncNow(page);
    await stuck.waitFor({ state: 'detached', timeout: 10000 })
      .catch(() => check(false, 'the update notice stays after a successful sync'));
  } finally {
    proxy.server.closeAllConnections();
    proxy.server.close();
  }
}
