// The central team's 360° record and owners (docs/WORKSPACE.md), on a laptop: a person opened
// from the directory; a bad phone number refused at its field with nothing stored, a note
// saved; a handle added then removed; the timeline filtered by department to what the server
// holds; her privacy record saved (source, notice, legal hold); a follow-up marked done from
// "Follow-ups due"; and "My influencers" for the demo's central user, who is linked to a staff
// member.
import { check, signInLink, step } from '../harness.mjs';

const LAPTOP = { width: 1280, height: 800 };

async function person(hx, id) {
  return (await hx.api('GET', `/api/v1/influencers/${id}`, { role: 'central' })).json.influencer;
}

export default async function centralPerson(hx) {
  const me = (await hx.api('GET', '/api/v1/me', { role: 'central' })).json;
  check(me.staff && me.staff.length >= 1, `the demo's central user is linked to no staff member: ${JSON.stringify(me.staff)}`);
  const staffId = me.staff[0].id;
  // The demo gives the central user's staff member nobody: three people with contacts and one
  // never contacted become hers.
  const some = await hx.api('GET', '/api/v1/directory?sort=-contacts&limit=3', { role: 'central' });
  const never = await hx.api('GET', '/api/v1/directory?sort=contacts&limit=1', { role: 'central' });
  for (const p of [...some.json.items, ...never.json.items]) {
    const r = await hx.api('PATCH', `/api/v1/influencers/${p.id}`, { role: 'central', body: { owner: staffId } });
    check(r.status === 200, `owner not given: ${r.text}`);
  }
  const mine = await hx.api('GET', `/api/v1/directory?owner=${staffId}&sort=-contacts&limit=5`, { role: 'central' });
  check(mine.json.total >= 4, 'the central user\'s staff member owns nobody');
  const target = mine.json.items[0];

  step('a person opens from the directory, on a laptop');
  const laptop = await hx.browser('central', { viewport: LAPTOP });
  const page = await signInLink(laptop, hx.url, hx.tokens.central);
  await page.waitForSelector('[data-testid="dir-table"]', { timeout: 20000 });
  await page.getByLabel('Name, handle, e-mail or phone').fill(target.name);
  // The search's answer is shown (not the first page from before it) before the click.
  const found = await hx.api('GET', `/api/v1/directory?q=${encodeURIComponent(target.name)}&limit=1`, { role: 'central' });
  await page.waitForFunction((n) => {
    const table = document.querySelector('[data-testid="dir-table"]');
    return location.hash.includes('q=') && table && !table.hasAttribute('aria-busy') &&
      document.querySelector('[data-testid="dir-count"]')?.dataset.total === String(n);
  }, found.json.total, { timeout: 15000 });
  const link = page.locator(`[data-testid="dir-table"] tr[data-id="${target.id}"] a`);
  await link.waitFor({ timeout: 15000 });
  await link.click();
  await page.waitForFunction((name) => document.querySelector('[data-testid="person-name"]')?.textContent === name, target.name, { timeout: 15000 });
  check(page.url().includes(`#/central/person/${target.id}`), `the person's address: ${page.url()}`);

  step('a bad phone number is refused at its field, and nothing is stored');
  const before = await person(hx, target.id);
  await page.getByLabel('Phone', { exact: true }).fill('call me maybe');
  await page.getByLabel('Notes', { exact: true }).fill('Seen at the gala, e2e');
  await page.getByTestId('person-save').click();
  await page.getByTestId('error-phone').waitFor({ timeout: 10000 });
  const refused = await person(hx, target.id);
  check(refused.phone === before.phone && refused.notes === before.notes, `a refused save stored something: ${refused.phone} / ${refused.notes}`);
  await page.getByLabel('Phone', { exact: true }).fill(before.phone || '');
  await page.getByTestId('person-save').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="person-saved"]')?.textContent === 'Profile saved.', null, { timeout: 10000 });
  check((await person(hx, target.id)).notes === 'Seen at the gala, e2e', 'the note was not saved');

  step('a handle is added, then removed');
  await page.getByTestId('handle-name').fill('e2e.person');
  await page.getByTestId('handle-audience').fill('1234');
  await page.getByTestId('handle-add').click();
  await page.waitForFunction(() => document.querySelector('tr[data-handle="instagram:e2e.person:1234"]') || document.querySelector('[data-testid="handle-error"]')?.textContent, null, { timeout: 10000 });
  check(!(await page.getByTestId('handle-error').textContent()), `the handle was refused: ${await page.getByTestId('handle-error').textContent()}`);
  check((await person(hx, target.id)).handles.includes('instagram:e2e.person:1234'), 'the new handle is not on the server');
  await page.getByRole('button', { name: 'Remove instagram:e2e.person' }).click();
  await page.locator('tr[data-handle="instagram:e2e.person:1234"]').waitFor({ state: 'detached', timeout: 10000 });
  check(!(await person(hx, target.id)).handles.includes('instagram:e2e.person:1234'), 'the removed handle is still on the server');

  step('her privacy record: the source, the notice sent and a legal hold are saved; her open issues are listed');
  const privacy = page.getByTestId('person-privacy');
  await privacy.locator('[data-testid="privacy-issues"] :is(ul, [data-testid="privacy-no-issue"])').first().waitFor({ timeout: 15000 });
  await privacy.locator('[data-field="data_source"]').fill('Press kit request, e2e');
  await privacy.locator('[data-field="notice_sent"]').fill('2026-11-02');
  await privacy.locator('[data-field="legal_hold"]').check();
  await page.getByTestId('privacy-save').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="privacy-saved"]')?.textContent === 'Privacy record saved.', null, { timeout: 10000 });
  // The redrawn form shows what the server stored.
  check(await privacy.locator('[data-field="legal_hold"]').isChecked(), 'the legal hold is not shown after the save');
  check(await privacy.locator('[data-field="notice_sent"]').inputValue() === '2026-11-02', 'the notice date is not shown after the save');
  const kept = await person(hx, target.id);
  check(kept.data_source === 'Press kit request, e2e' && kept.notice_sent === '2026-11-02' && kept.legal_hold === true,
    `the privacy record is not on the server: ${kept.data_source} / ${kept.notice_sent} / ${kept.legal_hold}`);

  step('the timeline is filtered by department to what the server holds');
  const all = [];
  for (let offset = 0; offset !== null;) {
    const r = await hx.api('GET', `/api/v1/interactions?influencer=${target.id}&limit=500&offset=${offset}`, { role: 'central' });
    all.push(...r.json.items);
    offset = r.json.next_offset;
  }
  const checkins = (await hx.api('GET', `/api/v1/checkins?influencer=${target.id}&limit=500`, { role: 'central' })).json.items;
  await page.waitForFunction((n) => document.querySelector('[data-testid="timeline-count"]')?.dataset.n === String(n),
    all.length + checkins.length, { timeout: 15000 });
  const department = all.length ? all[0].department : 'retail';
  const expected = all.filter((e) => e.department === department).length;
  await page.locator('select[data-filter="department"]').selectOption(department);
  await page.waitForFunction((n) => document.querySelector('[data-testid="timeline-count"]')?.dataset.n === String(n), expected, { timeout: 10000 });

  step('a follow-up is marked done from "Follow-ups due"');
  const asked = await hx.api('POST', '/api/v1/interactions', {
    role: 'central',
    body: { influencer: target.id, at: Date.now() - 60000, touchpoint: 'phone', department: 'hr', follow_up: 'Send the e2e catalogue', follow_up_due: '2020-01-02' },
  });
  check(asked.status === 201, `the follow-up could not be logged: ${asked.text}`);
  await page.getByRole('link', { name: 'Follow-ups due' }).click();
  const row = page.locator(`[data-testid="fu-table"] tr[data-id="${asked.json.id}"]`);
  await row.waitFor({ timeout: 15000 });
  await row.getByTestId('fu-done').click();
  await row.waitFor({ state: 'detached', timeout: 10000 });
  const doneEntry = (await hx.api('GET', `/api/v1/interactions/${asked.json.id}`, { role: 'central' })).json;
  check(doneEntry.follow_up_done === true, `the follow-up is not done on the server: ${JSON.stringify(doneEntry)}`);

  step('"My influencers" lists the central user\'s people, the longest without contact first');
  await page.getByRole('link', { name: 'My influencers' }).click();
  await page.waitForFunction((n) => document.querySelector('[data-testid="mine-count"]')?.dataset.total === String(n), mine.json.total, { timeout: 15000 });
  const days = await page.locator('[data-testid="mine-table"] tbody td[data-days]').evaluateAll((tds) => tds.map((td) => td.dataset.days));
  const dated = days.filter((d) => d !== 'never').map(Number);
  check(dated.every((d, i) => i === 0 || dated[i - 1] >= d), `days since the last contact are not longest first: ${dated.join(', ')}`);
  check(days.indexOf('never') === -1 || days.slice(days.indexOf('never')).every((d) => d === 'never'), 'people never contacted are not together at the end');
}
