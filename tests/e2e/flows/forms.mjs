// Forms flow, on the French screens: a refused value is named in French next to its field with
// how to fix it (never "Something went wrong" in English); a long note counts its characters
// as it is typed and is refused, not cut; a follow-up date in the past is refused, a future one
// shows on the card.
import { check, step, signInLink, firstSync, hostCall } from '../harness.mjs';

// The refusal shown under the control labelled `label` (its wrapper's .field-error).
async function refusalOf(page, label) {
  const control = page.getByLabel(label, { exact: true });
  const wrap = control.locator('xpath=ancestor::div[contains(@class, "field")][1]');
  const note = wrap.locator('.field-error');
  await note.waitFor({ timeout: 5000 }).catch(async () => {
    const screen = (await page.locator('main').innerText()).replace(/\s+/g, ' ').slice(0, 500);
    throw new Error(`no refusal next to « ${label} »; the screen says: ${screen}`);
  });
  const text = await note.innerText();
  const tied = await control.evaluate((el, id) => el.getAttribute('aria-invalid') === 'true'
    && (el.getAttribute('aria-describedby') || '').split(' ').includes(id), await note.getAttribute('id'));
  check(tied, `the refusal next to « ${label} » is not tied to the field (aria-invalid, aria-describedby)`);
  return text;
}

function isoDaysFromToday(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export default async function forms(hx) {
  // Each part is checked even when one before it fails, and every failure is reported.
  const failures = [];
  const part = async (what, fn) => {
    step(what);
    try { await fn(); } catch (e) { failures.push(`${what}: ${e.message}`); }
  };

  const tablet = await hx.browser('store-tablet-fr', { locale: 'fr-FR' });
  const page = await signInLink(tablet, hx.url, hx.tokens.store);
  await firstSync(page);
  check(await page.evaluate(() => document.documentElement.lang) === 'fr', 'a fr-FR browser does not get the French screens');

  await part('a bad phone number on the French "new influencer" screen', async () => {
  await page.goto(`${hx.url}/#/new`);
  await page.getByLabel('Nom complet', { exact: true }).fill(`Zéphyrine Formulaire ${Date.now()}`);
  await page.getByLabel('Téléphone', { exact: true }).fill('call me maybe');
  await page.getByRole('button', { name: 'Créer' }).click();
  const phone = await refusalOf(page, 'Téléphone');
  check(/Téléphone/.test(phone) && /\+33 6 12 34 56 78/.test(phone),
    `the phone refusal does not name the field in French and say how to write it: "${phone}"`);
  const main = await page.locator('main').innerText();
  check(!/Something went wrong|phone:|is not a phone/.test(main), `English or internal words on the French screen: ${main.slice(0, 400)}`);
  });

  // Someone to log contacts about.
  const some = await hostCall(page, 'search', { text: 'e', limit: 1 });
  check(some.ok && some.value.length === 1, 'the store device has no influencer');
  const person = some.value[0];
  const before = await hostCall(page, 'card', { id: person.id });
  const openLog = async () => {
    await page.goto(`${hx.url}/#/card/${person.id}/log`);
    await page.waitForSelector('main[data-view="log"]');
  };

  await part('a note of 2,001 characters', async () => {
  await openLog();
  const note = page.getByLabel('Note', { exact: true });
  await note.fill('x'.repeat(2001));
  const kept = await note.inputValue();
  check(kept.length === 2001, `typing 2,001 characters in the note keeps ${kept.length}: text is cut without a word`);
  const counter = note.locator('xpath=ancestor::div[contains(@class, "field")][1]').locator('.counter');
  check(await counter.count() === 1, 'the note shows no count of its characters');
  const count = (await counter.innerText()).replace(/\s/g, ' ');
  check(/2.001 \/ 2.000/.test(count) && /en trop/.test(count), `the counter says "${count}", not that 1 character is too many of 2 000`);
  await page.getByRole('button', { name: 'Enregistrer le contact' }).click();
  const long = await refusalOf(page, 'Note');
  check(/trop long/.test(long) && /2.000/.test(long), `the long note's refusal: "${long}"`);
  await note.fill('x'.repeat(1950));
  check(/1.950 \/ 2.000/.test((await counter.innerText()).replace(/\s/g, ' ')), `at 1,950 characters the counter says "${await counter.innerText()}"`);
  });

  await part('a follow-up due in 1999', async () => {
  await openLog();
  await page.getByLabel('Suite à donner', { exact: true }).fill('Rappeler');
  await page.getByLabel('À faire avant le', { exact: true }).fill('1999-01-01');
  await page.getByRole('button', { name: 'Enregistrer le contact' }).click();
  const past = await refusalOf(page, 'À faire avant le');
  check(/passée/.test(past), `the past date's refusal: "${past}"`);
  const after = await hostCall(page, 'card', { id: person.id });
  check(after.value.timeline.length === before.value.timeline.length, 'a contact was saved despite the refusals');
  });

  await part('a follow-up due in ten days shows on the card', async () => {
  const due = isoDaysFromToday(10);
  const todo = `Envoyer le catalogue ${Date.now()}`;
  await openLog();
  await page.getByLabel('Suite à donner', { exact: true }).fill(todo);
  await page.getByLabel('À faire avant le', { exact: true }).fill(due);
  await page.getByRole('button', { name: 'Enregistrer le contact' }).click();
  await page.waitForSelector('main[data-view="card"] [data-testid="card-name"]', { timeout: 10000 });
  const open = page.locator('[data-testid="follow-ups"] li', { hasText: todo });
  await open.waitFor({ timeout: 5000 }).catch(() => { throw new Error('the follow-up just set does not show on the card'); });
  const shown = await open.innerText();
  const date = await page.evaluate((d) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium' }).format(new Date(`${d}T12:00:00`)), due);
  check(shown.includes(date), `the follow-up on the card does not show its date ${date}: "${shown}"`);
  });

  check(!failures.length, failures.join('\n  '));
}
