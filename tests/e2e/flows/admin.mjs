// Administration flow (issue 16, item 6): an administrator issues a one-time sign-in link for
// the demo's store user in the UI; a new browser signs in with it; the same link fails in a
// second browser; a scope change in the UI moves the new device to another store's data; the
// administrator revokes the device and its next sync is refused.
import { LAPTOP, assertContrast, assertLabelled, check, firstSync, hostCall, open, signInLink, step, syncNow } from '../harness.mjs';


// True when the device holds the person's full record (the core's card answers for her, and
// not as a directory record of her brand, docs/SYNC.md D2).
async function holds(page, id) {
  const r = await hostCall(page, 'card', { id });
  return r.ok && !r.value.directory;
}

export default async function admin(hx) {
  const userId = hx.userId('store');
  const me = await hx.api('GET', '/api/v1/me', { role: 'store' });
  const storeA = me.json.scope.stores[0];
  const stores = (await hx.api('GET', '/api/v1/stores?limit=500', { role: 'central' })).json.items;
  const storeB = stores.find((s) => s.id !== storeA).id;
  const personOf = async (store) => {
    const r = await hx.api('GET', `/api/v1/influencers?store=${store}&limit=1`, { role: 'central' });
    check(r.status === 200 && r.json.items.length === 1, `no person in store ${store}: ${r.text.slice(0, 200)}`);
    return r.json.items[0].id;
  };
  const inA = await personOf(storeA);
  const inB = await personOf(storeB);

  step('the administrator issues a one-time sign-in link for the store user');
  const laptop = await hx.browser('admin-laptop', { viewport: LAPTOP });
  const apage = await signInLink(laptop, hx.url, hx.tokens.admin);
  apage.acceptConfirms = true;
  await apage.getByRole('link', { name: 'Administration' }).click();
  await apage.waitForSelector('[data-testid="admin-users"]');
  // Bad input is refused next to its field, and nothing is stored.
  const users = await apage.locator('[data-testid="admin-users"] tbody tr').count();
  await apage.getByRole('button', { name: 'Add the user' }).click();
  const refusal = await apage.locator('[data-testid="admin-add-user"] .field-error').innerText();
  check(/^Name: required/.test(refusal), `an empty name is not refused at its field: "${refusal}"`);
  await apage.getByLabel('Name', { exact: true }).fill('Nadia Nouvelle');
  await apage.getByRole('button', { name: 'Add the user' }).click();
  const scopeRefusal = await apage.locator('[data-testid="pick-stores"] + .field-error').innerText();
  check(/^Stores: not accepted for this role/.test(scopeRefusal), `a store user without a store is not refused at its field: "${scopeRefusal}"`);
  const listed = await hx.api('GET', '/api/v1/admin/users');
  check(listed.json.items.length === users, `a refused user was stored: ${listed.text.slice(0, 300)}`);
  await apage.locator(`tr[data-user="${userId}"] a`).click();
  await apage.waitForSelector('[data-testid="admin-signin-link"]');
  await apage.getByLabel('Device name (optional)').fill('Kiosk Rivoli');
  await apage.getByRole('button', { name: 'Create a sign-in link' }).click();
  const link = await apage.locator('[data-testid="signin-url"]').inputValue();
  await assertLabelled(apage, 'the user\'s administration page');
  await assertContrast(apage, 'the user\'s administration page');
  check(/#signin=[0-9a-f]{48}$/.test(link), `not a sign-in link: ${link}`);
  check(!link.includes('lsn_'), `the link carries a token: ${link}`);
  const hash = link.slice(link.indexOf('#'));

  step('a new browser signs in with it, and the code leaves the address bar');
  const kiosk = await hx.browser('new-kiosk');
  const kpage = await open(kiosk, hx.url, hash);
  await kpage.waitForSelector('main[data-view="search"]', { timeout: 20000 });
  check(!kpage.url().includes('signin='), `the code stayed in the address bar: ${kpage.url()}`);
  await firstSync(kpage);
  check(await holds(kpage, inA), 'the kiosk does not hold a person of its store');
  const nav = await kpage.locator('#nav').innerText();
  check(!nav.includes('Administration'), `a store user sees the administration: ${nav}`);

  step('the same link fails a second time');
  hx.allowedConsole.push(/status of 410/);
  const other = await hx.browser('second-browser');
  const opage = await open(other, hx.url, hash);
  await opage.waitForSelector('main[data-view="signin"]');
  const alert = await opage.locator('main [role="alert"]').innerText();
  check(/already used/.test(alert), `the second use does not say the link was used: "${alert}"`);
  check(!opage.url().includes('signin='), `the code stayed in the second browser's address bar: ${opage.url()}`);

  step('a scope change moves the kiosk to another store\'s data');
  await apage.locator(`[data-testid="pick-stores"] input[value="${storeA}"]`).uncheck();
  await apage.locator(`[data-testid="pick-stores"] input[value="${storeB}"]`).check();
  await apage.getByRole('button', { name: 'Save', exact: true }).click();
  await apage.waitForSelector('[data-testid="admin-user-scope"] .notice');
  let moved = false;
  for (let i = 0; i < 5 && !moved; i++) {
    await syncNow(kpage, 60000);
    moved = (await holds(kpage, inB)) && !(await holds(kpage, inA));
  }
  check(moved, 'after the scope change the kiosk does not hold the other store\'s person only');

  step('the administrator revokes the device and it is refused');
  await apage.goto(`${hx.url}/#/admin/devices`);
  const row = apage.locator('[data-testid="admin-devices"] tr[data-device="Kiosk Rivoli"]');
  await assertLabelled(apage, 'the devices page');
  await row.getByRole('button', { name: /^Revoke the device/ }).click();
  await apage.waitForSelector('[data-testid="admin-devices"] + table, .notice');
  hx.allowedConsole.push(/status of 401/);
  await kpage.getByRole('button', { name: 'Sync now' }).click();
  await kpage.waitForFunction(() => document.getElementById('syncbar').dataset.error === 'unauthorized', null, { timeout: 20000 });
}
