// Who did what on a shared tablet (docs/SYNC.md A1): a store user linked to two staff members
// signs in; the header offers "Person in charge", the first by default. A contact logged now
// names her; the tablet switches to the second, without a reload, and the next contact names
// the second — on the card's timeline, in the server's record and in its history, which the
// central team reads in the app's History view (online only: offline, it says so). The choice
// stays after a reload.
import { check, firstSync, logContact, open, signInLink, step, syncNow } from '../harness.mjs';

export default async function inCharge(hx) {
  const me = await hx.api('GET', '/api/v1/me', { role: 'store' });
  const storeId = me.json.scope.stores[0];
  const staff = (await hx.api('GET', '/api/v1/staff?limit=200')).json.items.filter((s) => s.store === storeId);
  check(staff.length >= 2, `store ${storeId} has ${staff.length} staff members in the demo, not two`);
  const [anne, berthe] = staff;
  const token = hx.addUser('Comptoir', 'store', { stores: [storeId], staff: [anne.id, berthe.id] });

  step('the tablet signs in: the first linked staff member is in charge');
  const tablet = await hx.browser('counter');
  const page = await signInLink(tablet, hx.url, token);
  await firstSync(page);
  const select = page.getByLabel('Person in charge');
  check(await select.inputValue() === anne.id, `the first linked staff member is not in charge by default: ${await select.inputValue()}`);
  const made = await page.evaluate(async (store) => {
    const { connect } = await import('/host/client.js');
    return (await connect()).call('createInfluencer', { name: 'Justine Comptoir', store });
  }, storeId);
  check(made.ok, `createInfluencer: ${JSON.stringify(made)}`);
  const id = made.value.id;
  await page.goto(`${hx.url}/#/card/${id}`);
  await page.waitForSelector('[data-testid="card-name"]', { timeout: 10000 });
  await logContact(page, { note: 'First visit' });

  step('the tablet switches to the second, and logs again');
  await select.selectOption(berthe.id);
  await page.waitForFunction((s) => document.getElementById('in-charge')?.value === s, berthe.id);
  await logContact(page, { note: 'Second visit' });
  const byBerthe = page.locator(`[data-testid="timeline"] li[data-staff="${berthe.id}"]`);
  const byAnne = page.locator(`[data-testid="timeline"] li[data-staff="${anne.id}"]`);
  check(await byBerthe.count() === 1 && await byAnne.count() === 1, 'the two contacts do not name one person in charge each');
  check((await byBerthe.innerText()).includes(`by ${berthe.name}`), `the second contact reads: ${await byBerthe.innerText()}`);
  await syncNow(page);

  step('the server names her');
  const card = await hx.api('GET', `/api/v1/influencers/${id}`, { role: 'central' });
  const second = card.json.timeline.find((e) => e.entry.kind === 'interaction' && e.entry.summary === 'Second visit');
  check(second && second.entry.staff === berthe.id, `the server's second contact: ${JSON.stringify(second)}`);
  const hist = await hx.api('GET', `/api/v1/interactions/${second.entry.id}/history`, { role: 'central' });
  check(hist.status === 200 && hist.json.entries[0].actor && hist.json.entries[0].actor.id === berthe.id,
    `the server's history of the second contact: ${hist.text.slice(0, 300)}`);

  step('the choice stays after a reload');
  const again = await open(tablet, hx.url, '#/search');
  check(await again.getByLabel('Person in charge').inputValue() === berthe.id, 'the person in charge was forgotten on reload');

  step('the central team reads the history, online only');
  const office = await hx.browser('central');
  const pageC = await signInLink(office, hx.url, hx.tokens.central);
  await firstSync(pageC, 90000);
  await pageC.goto(`${hx.url}/#/card/${id}`);
  await pageC.getByRole('link', { name: 'History' }).click();
  await pageC.waitForSelector('main[data-view="history"] [data-testid="history"] li[data-type="create"]', { timeout: 10000 });
  const created = await pageC.locator('[data-testid="history"] li[data-type="create"]').innerText();
  check(created.includes(anne.name) && created.includes('Comptoir'), `the history's create does not name ${anne.name} on the Comptoir tablet: ${created}`);
  check(created.includes('name: none → Justine Comptoir'), `the history's create does not show the name written: ${created}`);
  await office.setOffline(true);
  await pageC.reload();
  await pageC.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  await pageC.waitForSelector('[data-testid="history"] [data-code="offline"], [data-testid="history"] [data-code="network"]', { timeout: 10000 });
  const offline = await pageC.locator('[data-testid="history"]').innerText();
  check(/server|network/i.test(offline), `offline, the history view says: ${offline}`);
  await office.setOffline(false);
  // A store tablet is not offered the history.
  await page.goto(`${hx.url}/#/card/${id}`);
  await page.waitForSelector('[data-testid="card-name"]', { timeout: 10000 });
  check(await page.getByRole('link', { name: 'History' }).count() === 0, 'a store tablet is offered the History view');
}
