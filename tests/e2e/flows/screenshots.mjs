// Screenshots of each main view at tablet size (768×1024), in English and in French, written
// to the folder given by run.mjs --screenshots (the build tree under CTest; docs/screenshots/
// for docs/USER-GUIDE.md only through ./scripts/screenshots); on each, every control has a
// label and all text reaches WCAG AA contrast; at phone
// size (390×844) every view fits the width (nothing scrolls sideways); Chromium finds the app
// installable (manifest, icons, service worker).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { check, open, signInLink, firstSync, hostCall, search, PHONE, TABLET, LAPTOP, assertNoHorizontalOverflow, assertLabelled, assertContrast } from '../harness.mjs';

export default async function screenshots(hx) {
  const OUT = join(hx.screenshotsDir, '/');
  mkdirSync(OUT, { recursive: true });
  const ctx = await hx.browser('store-tablet');
  const page = await signInLink(ctx, hx.url, hx.tokens.store);
  await firstSync(page);

  // A person whose card has something to say (warnings and a history), and an event.
  const pool = await hostCall(page, 'search', { text: 'e', limit: 80 });
  let person = pool.value[0], best = -1;
  for (const p of pool.value.slice(0, 15)) {
    const c = await hostCall(page, 'card', { id: p.id });
    const score = c.value.warnings.length * 10 + Math.min(c.value.timeline.length, 5) + (p.handles?.length ? 1 : 0);
    if (score > best) { best = score; person = p; }
  }
  // Installable: Chromium's own check of the manifest, icons and service worker.
  const cdp = await ctx.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  check(installabilityErrors.length === 0, `Chromium says the app cannot be installed: ${JSON.stringify(installabilityErrors)}`);
  const manifest = await cdp.send('Page.getAppManifest');
  check(manifest.errors.length === 0, `manifest errors: ${JSON.stringify(manifest.errors)}`);

  const events = await hostCall(page, 'events');
  check(events.value.length > 0, 'the store device sees no event');
  const event = events.value[0];

  const views = [
    ['search', async () => { await search(page, person.name.split(' ')[1] || person.name); }],
    ['card', async () => { await page.goto(`${hx.url}/#/card/${person.id}`); await page.waitForSelector('[data-testid="timeline"], [data-testid="card"] .empty'); }],
    ['log-contact', async () => { await page.goto(`${hx.url}/#/card/${person.id}/log`); await page.waitForSelector('main[data-view="log"] form'); await page.waitForFunction(() => !document.querySelector('#log-h').textContent.includes('…')); }],
    ['new-influencer', async () => {
      await page.goto(`${hx.url}/#/new`);
      await page.locator('input[name="name"]').fill(person.name);
      await page.waitForSelector('[data-testid="duplicates"] li', { timeout: 10000 });
    }],
    ['events', async () => { await page.goto(`${hx.url}/#/events`); await page.waitForSelector('[data-testid="events"] li a'); }],
    ['event-mode', async () => {
      await page.goto(`${hx.url}/#/event/${event.id}`);
      await page.waitForSelector('[data-testid="checkin-count"][data-count]');
      await page.locator('input[name="guest"]').fill(person.name.split(' ')[0]);
      await page.waitForSelector('[data-testid="guest-results"] li', { timeout: 10000 });
    }],
  ];

  for (const lang of ['en', 'fr']) {
    await page.setViewportSize(TABLET);
    await page.locator('#lang').selectOption(lang);  // the header's language menu
    for (const [name, show] of views) {
      await show();
      await page.waitForTimeout(150);
      await page.screenshot({ path: `${OUT}${lang}-${name}.png` });
      await assertLabelled(page, `${name} (${lang})`);
      await assertContrast(page, `${name} (${lang})`);
    }
    // Dates in the language's own form: "21 oct. 2026, 15:28", "21 Oct 2026, 15:28" (en-GB
    // browser; September is "Sept") or "Oct 21, 2026, 3:28 PM".
    const when = await page.locator('main[data-view="event"] p.meta').first().textContent();
    const form = lang === 'fr' ? /\b\d{1,2} (janv|févr|mars|avr|mai|juin|juil|août|sept|oct|nov|déc)\.? \d{4}( à|,)? \d{2}:\d{2}/
      : /\b(\d{1,2} )?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)( \d{1,2})?,? \d{4},? \d{1,2}:\d{2}/;
    check(form.test(when), `the event's date in ${lang} reads "${when}"`);
  }

  // Phone: every view fits.
  await page.locator('#lang').selectOption('en');
  await page.setViewportSize(PHONE);
  for (const [name, show] of views) {
    await show();
    await assertNoHorizontalOverflow(page, `${name} at 390×844`);
  }
  await page.goto(`${hx.url}/#/card/${person.id}`);
  await page.waitForSelector('[data-testid="card-name"]');
  await page.screenshot({ path: `${OUT}en-card-phone.png` });

  // The central workspace on a laptop (1280×800), in both languages: every screen labelled and
  // readable (docs/USER-GUIDE.md, "The central workspace").
  const laptop = await hx.browser('central-laptop', { viewport: LAPTOP });
  const office = await signInLink(laptop, hx.url, hx.tokens.central);
  const shown = (sel) => office.waitForSelector(sel, { timeout: 15000 });
  const told = (testid) => office.waitForFunction((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    return el && el.textContent.trim() && !el.textContent.includes('…');
  }, testid, { timeout: 15000 });
  const central = [
    ['central-directory', async () => {
      await office.goto(`${hx.url}/#/central?tier=top,expert&sort=-last_contact`);
      await shown('[data-testid="dir-table"]:not([aria-busy]) tbody tr');
    }],
    ['central-person', async () => {
      const first = await office.locator('[data-testid="dir-table"] tbody tr').first().getAttribute('data-id');
      await office.goto(`${hx.url}/#/central/person/${first}`);
      await told('person-name');
      await shown('[data-testid="person-timeline"] li, [data-testid="person-timeline"] tr');
    }],
    ['central-follow-ups', async () => { await office.goto(`${hx.url}/#/central/follow-ups`); await told('fu-count'); }],
    ['central-duplicates', async () => { await office.goto(`${hx.url}/#/central/duplicates`); await told('dupq-count'); }],
    ['central-events', async () => {
      await office.goto(`${hx.url}/#/central/events`);
      await shown('[data-testid="ev-table"] tbody tr');
    }],
    ['central-event', async () => {
      // The demo's coming event: its guest list, answers under way.
      const id = await office.locator('[data-testid="ev-table"] tbody tr').first().getAttribute('data-id');
      await office.goto(`${hx.url}/#/central/event/${id}`);
      await shown('[data-testid="ev-counts"][data-invited] ~ div [data-testid="ev-guests"] tbody tr');
    }],
    ['central-programmes', async () => {
      await office.goto(`${hx.url}/#/central/programmes`);
      await shown('[data-testid="pg-table"] tbody tr');
    }],
    ['central-campaign', async () => {
      // The demo's campaign with the most collaborations: its board, its links and orders.
      const list = await hx.api('GET', '/api/v1/collaborations?limit=500', { role: 'central' });
      const by = new Map();
      for (const c of list.json.items) if (c.campaign) by.set(c.campaign, (by.get(c.campaign) || 0) + 1);
      const campaign = [...by.entries()].sort((a, b) => b[1] - a[1])[0][0];
      await office.goto(`${hx.url}/#/central/campaign/${campaign}`);
      await shown('[data-testid="board"] li[data-id]');
      await shown('[data-testid="cp-links"] h2');
      await office.evaluate(() => document.querySelector('[data-testid="board"]').scrollIntoView());
    }],
    ['central-collaboration', async () => {
      // A collaboration moved along its pipeline, with a post: its trail and content.
      const card = await office.locator('[data-testid="board"] section[data-status="validated"] li[data-id], [data-testid="board"] section[data-status="delivered"] li[data-id]').first().getAttribute('data-id');
      await office.goto(`${hx.url}/#/central/collaboration/${card}`);
      await shown('[data-testid="co-trail"] tbody tr');
    }],
  ];
  for (const lang of ['en', 'fr']) {
    await office.locator('#lang').selectOption(lang);
    for (const [name, show] of central) {
      await show();
      await office.waitForTimeout(150);
      await office.screenshot({ path: `${OUT}${lang}-${name}.png` });
      await assertLabelled(office, `${name} (${lang})`);
      await assertContrast(office, `${name} (${lang})`);
    }
  }
  await office.locator('#lang').selectOption('en');

  // The sign-in screen of a fresh device, both sizes.
  const fresh = await hx.browser('fresh-device');
  const p2 = await open(fresh, hx.url);
  for (const lang of ['en', 'fr']) {
    await p2.evaluate((l) => localStorage.setItem('liaison.lang', l), lang);
    await p2.reload();
    await p2.waitForSelector('main[data-view="signin"]');
    await p2.screenshot({ path: `${OUT}${lang}-sign-in.png` });
    await assertLabelled(p2, `sign-in (${lang})`);
    await assertContrast(p2, `sign-in (${lang})`);
  }
  await p2.setViewportSize(PHONE);
  await assertNoHorizontalOverflow(p2, 'sign-in at 390×844');

  // A browser set to French opens in French; the language menu switches, and the choice stays.
  const french = await hx.browser('french-device', { locale: 'fr-FR' });
  const p3 = await open(french, hx.url);
  await p3.waitForSelector('main[data-view="signin"]');
  const heading = () => p3.locator('main h1').first().textContent();
  check(await p3.getAttribute('html', 'lang') === 'fr' && await heading() === 'Connecter cet appareil',
    `a French browser shows "${await heading()}" (lang ${await p3.getAttribute('html', 'lang')})`);
  // Two more tabs, open before the switch: one idle, one where a token is being typed.
  const [idle, typing] = [await french.newPage(), await french.newPage()];
  for (const p of [idle, typing]) { await p.goto(hx.url); await p.waitForSelector('main[data-view="signin"]'); }
  await typing.locator('main input').first().fill('lsn_half_typed');
  await p3.locator('#lang').selectOption('en');
  await p3.waitForFunction(() => document.documentElement.lang === 'en');
  await idle.waitForFunction(() => document.documentElement.lang === 'en' && document.querySelector('main h1')?.textContent === 'Sign in to this device', null, { timeout: 5000 })
    .catch(() => check(false, 'switching the language in one tab left another tab in French'));
  await typing.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: 5000 })
    .catch(() => check(false, 'switching the language in one tab left the header of another in French'));
  check(await typing.locator('main input').first().inputValue() === 'lsn_half_typed',
    'switching the language in one tab wiped what was being typed in another');
  check(await heading() === 'Sign in to this device', `after switching to English the heading is "${await heading()}"`);
  await p3.reload();
  await p3.waitForSelector('main[data-view="signin"]');
  check(await heading() === 'Sign in to this device', `after a reload the chosen English is gone: "${await heading()}"`);
}
