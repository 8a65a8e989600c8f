// Retention runs and evidence files in the compliance room, on a laptop (docs/COMPLIANCE.md,
// "Retention" and "Evidence files"). Two prospects are last contacted 26 months ago (an
// interaction dated then, through the REST API), one of them on legal hold. Central user A
// records a vetting of the first, attaches a real PNG through the file input, downloads it
// through its link (the same bytes come back) and sees a text file named .pdf refused. She
// makes a dry run: both people are in the report, the held one apart, and "Approve" is closed
// to her (four eyes). A second central user, B, added through the administration API and
// signed in with a one-time link, ticks the box and approves; she sees the run under way and
// its result. Enough other prospects are due (made the same way) for the erasure to last a few
// seconds: B sees its progress part-way, and A, opening the room again meanwhile, sees the run
// under way and then its end. The due person is gone from the server (404), her vetting's file
// with her; the held person remains.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { LAPTOP, TestFailure, check, open, signInLink, step } from '../harness.mjs';

const DAY_MS = 86_400_000;
// Before the policy's 24 months (core/compliance/rules/gdpr.json, prospect_no_contact) with
// room to spare whatever today's month lengths are.
const LONG_AGO_MS = Date.now() - 800 * DAY_MS;
// Other prospects due in the same run: at 20 to 40 ms an erasure on the 2-core test machine,
// the approval lasts 6 s or more, several of the page's one-second reads of the run, and A has
// time to open the room again while it runs (her device meanwhile applies the erasures it syncs).
const MORE_DUE = 300;

// A real PNG (8×8, RGB, a gradient): signature, IHDR, IDAT (zlib), IEND, each chunk with its CRC.
function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(side) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);  // 8 bits, truecolour, deflate, no filter, no interlace
  const rows = [];
  for (let y = 0; y < side; y++) {
    rows.push(0);  // filter: none
    for (let x = 0; x < side; x++) rows.push((x * 255) / side, (y * 255) / side, 128);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}

export default async function retention(hx) {
  const storeId = (await hx.api('GET', '/api/v1/me', { role: 'store' })).json.scope.stores[0];
  // A prospect whose last contact was a phone call 800 days ago.
  async function oldProspect(name, extra = {}) {
    const made = await hx.api('POST', '/api/v1/influencers', { role: 'central', body: { name, store: storeId, tier: 'prospect', ...extra } });
    check(made.status === 201, `creating ${name}: ${made.status} ${made.text}`);
    const call = await hx.api('POST', '/api/v1/interactions', { role: 'central',
      body: { influencer: made.json.id, at: LONG_AGO_MS, touchpoint: 'phone', department: 'marketing' } });
    check(call.status === 201, `logging ${name}'s call of 800 days ago: ${call.status} ${call.text}`);
    return { id: made.json.id, name };
  }
  const due = await oldProspect('Delphine Oubliée-Flux');
  const held = await oldProspect('Hector Gardé-Flux', { legal_hold: true });
  // A few requests at a time: the server keeps a worker thread per keep-alive connection, from
  // a bounded pool (server/http/server.hpp), and hundreds at once starve each other.
  let made = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (made < MORE_DUE) await oldProspect(`Prospect Lointain ${++made}`);
  }));

  step('central user A records a vetting of the due person');
  const laptopA = await hx.browser('central-a', { viewport: LAPTOP });
  const a = await signInLink(laptopA, hx.url, hx.tokens.central);
  await a.waitForSelector('main[data-view="central"]', { timeout: 20000 });
  await a.getByRole('link', { name: 'Compliance', exact: true }).click();
  const form = a.getByTestId('vetting-form');
  await form.waitFor({ timeout: 15000 });
  await form.getByTestId('vet-person-q').fill('Delphine Oubliée');
  await form.getByRole('button', { name: `Choose ${due.name}` }).click();
  await form.getByTestId('vet-save').click();
  await a.waitForFunction(() => document.querySelector('[data-testid="vet-msg"]')?.dataset.state, null, { timeout: 10000 });
  const panel = form.getByTestId('evidence');
  await panel.waitFor({ timeout: 10000 });
  const vetting = await panel.getAttribute('data-entity');

  step('she attaches a PNG through the file input and downloads it again');
  const image = png(8);
  const sha = createHash('sha256').update(image).digest('hex');
  // A name as a laptop gives a screenshot: spaces, an apostrophe, accents (sent in the query).
  const fileName = 'Capture d’écran (profil) 2026-03-01 à 10.15.png';
  await panel.getByTestId('evidence-file').setInputFiles({ name: fileName, mimeType: 'image/png', buffer: image });
  await panel.locator('select[data-field="purpose"]').selectOption('disclosure_proof');
  await panel.getByTestId('evidence-upload').click();
  const listed = panel.locator(`[data-testid="evidence-list"] li[data-sha="${sha}"]`);
  await listed.waitFor({ timeout: 10000 }).catch(async () => {
    throw new TestFailure(`the PNG is not listed: ${await panel.innerText()}`);
  });
  const line = await listed.innerText();
  check(line.startsWith(fileName) && /Disclosure proof/.test(line), `the listed file reads "${line}"`);
  const [download] = await Promise.all([a.waitForEvent('download', { timeout: 10000 }), listed.getByRole('link', { name: fileName }).click()]);
  check(download.suggestedFilename() === fileName, `the download is named ${download.suggestedFilename()}`);
  const got = readFileSync(await download.path());
  check(got.equals(image), `the downloaded file has ${got.length} bytes (sha ${createHash('sha256').update(got).digest('hex')}), not the ${image.length} uploaded`);
  const stored = await hx.api('GET', `/api/v1/evidence?entity=${vetting}`, { role: 'central' });
  check(stored.status === 200 && stored.json.files.length === 1 && stored.json.files[0].type === 'image/png' && stored.json.files[0].size === image.length
    && stored.json.files[0].name === fileName,
    `the server's list for the vetting: ${stored.status} ${stored.text}`);

  step('a text file named .pdf is refused, with the reason');
  hx.allowedConsole.push(/status of 415/);  // the worker's fetch of the refused upload
  await panel.getByTestId('evidence-file').setInputFiles({ name: 'contrat.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Contrat signé le 3 mars, voir le PDF.\n') });
  await panel.getByTestId('evidence-upload').click();
  await a.waitForFunction(() => document.querySelector('[data-testid="evidence-msg"]')?.classList.contains('error'), null, { timeout: 10000 });
  const refusal = await panel.getByTestId('evidence-msg').innerText();
  check(/not a PDF, PNG, JPEG or WebP/.test(refusal), `the refusal of a text file named .pdf says "${refusal}"`);
  check(await panel.locator('[data-testid="evidence-list"] li[data-sha]').count() === 1, 'the refused file was listed');

  step('A makes a dry run: both people are in the report, and she may not approve it');
  const section = a.getByTestId('retention');
  await section.waitFor({ timeout: 10000 });
  await section.getByTestId('rt-dry-run').click();
  await a.waitForFunction(() => document.querySelector('[data-testid="rt-summary"]')?.dataset.state === 'proposed', null, { timeout: 15000 });
  const dueRow = section.locator(`[data-testid="rt-due"] tr[data-person="${due.id}"]`);
  const heldRow = section.locator(`[data-testid="rt-held"] tr[data-person="${held.id}"]`);
  check(await dueRow.count() === 1, `${due.name} is not in the due list: ${await section.innerText()}`);
  check(await heldRow.count() === 1, `${held.name} is not in the held list: ${await section.innerText()}`);
  check(await section.locator(`[data-testid="rt-due"] tr[data-person="${held.id}"]`).count() === 0, `${held.name}, on legal hold, is due`);
  check((await dueRow.innerText()).includes(due.name) && /last contact .*\(contact\)/.test(await dueRow.innerText()), `her line reads "${await dueRow.innerText()}"`);
  check(/legal hold/.test(await heldRow.innerText()), `his line reads "${await heldRow.innerText()}"`);
  check(await section.getByTestId('rt-approve').isDisabled(), 'the proposer may press "Approve and erase"');
  check(await section.getByTestId('rt-checked').isDisabled(), 'the proposer may tick the confirmation');
  const why = await section.getByTestId('rt-approve-why').innerText();
  check(/another member of the central team must approve/.test(why), `the button's reason reads "${why}"`);
  const run = Number(/^Run (\d+)/.exec(await section.getByTestId('rt-summary').innerText())?.[1]);
  const total = (await hx.api('GET', `/api/v1/retention/runs/${run}`, { role: 'central' })).json.due.length;
  check(total >= MORE_DUE + 1, `the run lists ${total} people due, not the ${MORE_DUE + 1} made so`);

  step('a second central user, added through the administration API, signs in with a one-time link');
  const user = await hx.api('POST', '/api/v1/admin/users', { body: { name: 'Bérénice Contrôle', role: 'central' } });
  check(user.status === 201, `adding a second central user: ${user.status} ${user.text}`);
  const code = await hx.api('POST', `/api/v1/admin/users/${user.json.id}/signin-codes`, { body: { device: 'Laptop B' } });
  check(code.status === 201, `a sign-in link for her: ${code.status} ${code.text}`);
  const laptopB = await hx.browser('central-b', { viewport: LAPTOP });
  const b = await open(laptopB, hx.url, `#signin=${code.json.code}`);
  await b.waitForSelector('main[data-view="central"]', { timeout: 20000 });
  await b.getByRole('link', { name: 'Compliance', exact: true }).click();

  step('B sees the proposed run, ticks the box and approves; the run shows its progress and result');
  const sectionB = b.getByTestId('retention');
  await b.waitForFunction(() => document.querySelector('[data-testid="rt-summary"]')?.dataset.state === 'proposed', null, { timeout: 15000 });
  check(await sectionB.locator(`[data-testid="rt-due"] tr[data-person="${due.id}"]`).count() === 1, `B's report does not list ${due.name}`);
  const approve = sectionB.getByTestId('rt-approve');
  check(await approve.isDisabled(), '"Approve and erase" is open before the box is ticked');
  await sectionB.getByTestId('rt-checked').check();
  check(await approve.isEnabled(), '"Approve and erase" stays closed once B ticked the box');
  // Every state the run's message and summary go through, as the approver sees them.
  await b.evaluate(() => {
    window.rtSeen = [];
    const note = () => {
      const s = document.querySelector('[data-testid="rt-summary"]');
      const m = document.querySelector('[data-testid="rt-msg"]');
      const g = document.querySelector('[data-testid="rt-progress"]');
      const seen = `${s ? s.dataset.state : ''}|${m ? m.textContent : ''}|${g ? g.textContent : ''}`;
      if (window.rtSeen[window.rtSeen.length - 1] !== seen) window.rtSeen.push(seen);
    };
    new MutationObserver(note).observe(document.querySelector('[data-testid="retention"]'), { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await approve.click();

  step('meanwhile A opens the compliance room again: the run is under way, then done');
  // Once the server has the approval (B's device may be busy with its first sync a moment).
  for (let i = 0; ; i++) {
    const state = (await hx.api('GET', `/api/v1/retention/runs/${run}`, { role: 'central' })).json.state;
    if (state === 'running') break;
    check(state === 'proposed' && i < 100, `the run is ${state} after B's approval, not running`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await a.getByRole('link', { name: 'Influencers', exact: true }).click();
  await a.getByRole('link', { name: 'Compliance', exact: true }).click();
  await a.waitForFunction(() => document.querySelector('[data-testid="rt-summary"]')?.dataset.state === 'running', null, { timeout: 10000 })
    .catch(async () => {
      const shown = await a.evaluate(() => ['rt-summary', 'rt-msg', 'rt-progress'].map((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent).join(' | '));
      const server = (await hx.api('GET', `/api/v1/retention/runs/${run}`, { role: 'central' })).json;
      throw new TestFailure(`A's reopened room does not show the run under way: ${shown} (the server's run: ${server.state}, ${JSON.stringify(server.progress)})`);
    });
  step('A sees the run under way');
  await a.waitForFunction(() => document.querySelector('[data-testid="rt-summary"]')?.dataset.state === 'done', null, { timeout: 30000 })
    .catch(async () => { throw new TestFailure(`A's room never showed the run's end: ${await a.getByTestId('retention').innerText()}`); });
  check(await a.getByTestId('rt-msg').innerText() === `Done: ${total} erased, 0 kept.`, `A's room reads "${await a.getByTestId('rt-msg').innerText()}"`);

  await b.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('[data-testid="rt-summary"]')?.dataset.state), null, { timeout: 30000 });
  const seen = await b.evaluate(() => window.rtSeen);
  check(seen.some((s) => s.includes('Erasing, one person at a time')), `B never saw the run under way: ${JSON.stringify(seen)}`);
  // Part-way: the run's own state, with some erased and some still to erase.
  const partWay = seen.map((s) => /^running\|.*\|(\d+) erased, 0 skipped, of (\d+)\.$/.exec(s)).filter(Boolean)
    .filter((m) => Number(m[1]) > 0 && Number(m[1]) < Number(m[2]));
  check(partWay.length > 0, `B never saw the run's progress part-way: ${JSON.stringify(seen)}`);
  check(await sectionB.getByTestId('rt-summary').getAttribute('data-state') === 'done', `the run ended ${await sectionB.getByTestId('rt-summary').getAttribute('data-state')}`);
  const result = await sectionB.getByTestId('rt-msg').innerText();
  check(result === `Done: ${total} erased, 0 kept.`, `the result reads "${result}" (${total} were due)`);
  const progress = await sectionB.getByTestId('rt-progress').innerText();
  check(progress === `${total} erased, 0 skipped, of ${total}.`, `the progress reads "${progress}"`);
  const erasedRow = sectionB.locator(`[data-testid="rt-due"] tr[data-person="${due.id}"]`);
  check(await erasedRow.getAttribute('data-outcome') === 'erased', `her outcome is ${await erasedRow.getAttribute('data-outcome')}`);
  check(!(await erasedRow.innerText()).includes(due.name), `the report still shows the erased person's name: "${await erasedRow.innerText()}"`);
  check(await sectionB.locator(`[data-testid="rt-held"] tr[data-person="${held.id}"]`).count() === 1, `${held.name} left the held list`);

  step('the erased person and her vetting\'s file are gone from the server; the held one remains');
  const gone = await hx.api('GET', `/api/v1/influencers/${due.id}`, { role: 'central' });
  check(gone.status === 404, `GET of the erased person answered ${gone.status}: ${gone.text.slice(0, 200)}`);
  const kept = await hx.api('GET', `/api/v1/influencers/${held.id}`, { role: 'central' });
  check(kept.status === 200 && kept.json.influencer.name === held.name, `GET of the held person answered ${kept.status}: ${kept.text.slice(0, 200)}`);
  const file = await hx.api('GET', `/api/v1/evidence/${sha}?entity=${vetting}`, { role: 'central' });
  check(file.status === 404, `the erased person's vetting file answered ${file.status}`);
  const ended = (await hx.api('GET', `/api/v1/retention/runs/${run}`, { role: 'central' })).json;
  check(ended.state === 'done' && ended.decided_by.id === user.json.id && ended.progress.erased === total && ended.progress.pending === 0,
    `the server's run: ${JSON.stringify({ state: ended.state, decided_by: ended.decided_by, progress: ended.progress })}`);
}
