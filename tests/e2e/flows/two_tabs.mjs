// Two tabs of one browser profile write at the same time: nothing is lost — not on screen,
// not after closing the browser and starting it again, not on the server.
//
// Each tab logs contacts through the screen and, at the same moment, fires a burst of
// writes through its own connection to the host (as a busy tab would), so the writes of the
// two tabs really interleave in the one worker.
import { check, open, signInLink, firstSync, hostCall, openCardByEmail, syncNow, timelineTexts, logContact } from '../harness.mjs';

const BURST = 15;

function burst(page, id, tag) {
  return page.evaluate(async ([influencer, label, n]) => {
    const { connect } = await import('/host/client.js');
    const l = await connect();
    const notes = Array.from({ length: n }, (_, i) => `${label} burst ${i + 1}`);
    const results = await Promise.all(notes.map((summary) =>
      l.call('logContact', { influencer, touchpoint: 'store', department: 'retail', summary })));
    const failed = results.filter((r) => !r.ok);
    return { notes, failed: failed.map((r) => `${r.code}: ${r.message}`) };
  }, [id, tag, BURST]);
}

export default async function twoTabs(hx) {
  let ctx = await hx.browser('store-tablet');
  const tab1 = await signInLink(ctx, hx.url, hx.tokens.store);
  await firstSync(tab1);
  const tab2 = await ctx.newPage();
  await tab2.goto(hx.url + '/#/search');
  await tab2.waitForSelector('main[data-view="search"]', { timeout: 20000 })
    .catch(() => { throw new Error('the second tab is not signed in (the tabs do not share the device)'); });

  // Someone with a short history, so the card's timeline shows every new entry.
  const pool = await hostCall(tab1, 'search', { text: 'o', limit: 40 });
  let person = null;
  for (const p of pool.value.filter((q) => q.email)) {
    const c = await hostCall(tab1, 'card', { id: p.id });
    if (c.ok && c.value.timeline.length < 20) { person = p; break; }
  }
  check(person, 'no person with a short history on the store device');
  await openCardByEmail(tab1, person);
  await openCardByEmail(tab2, person);

  const stamp = Date.now();
  const [b1, b2] = await Promise.all([
    burst(tab1, person.id, `Tab one ${stamp}`),
    burst(tab2, person.id, `Tab two ${stamp}`),
    logContact(tab1, { note: `Tab one ${stamp} on screen` }),
    logContact(tab2, { note: `Tab two ${stamp} on screen` }),
  ]);
  check(b1.failed.length === 0 && b2.failed.length === 0, `writes failed: ${[...b1.failed, ...b2.failed].join('; ')}`);
  const all = [...b1.notes, ...b2.notes, `Tab one ${stamp} on screen`, `Tab two ${stamp} on screen`];
  const missing = (texts) => all.filter((n) => !(texts || []).includes(n));

  let texts = await timelineTexts(tab1, person.id);
  check(missing(texts).length === 0, `right after writing, missing: ${missing(texts).join('; ')}`);
  for (const tab of [tab1, tab2]) {
    for (const n of [b1.notes[BURST - 1], b2.notes[BURST - 1]]) {
      await tab.locator('[data-testid="timeline"] li', { hasText: n }).first().waitFor({ timeout: 5000 })
        .catch(() => { throw new Error(`"${n}" does not show on a tab's card`); });
    }
  }

  await hx.closeBrowser(ctx);
  ctx = await hx.browser('store-tablet');
  const again = await open(ctx, hx.url, `#/card/${person.id}`);
  texts = await timelineTexts(again, person.id);
  check(missing(texts).length === 0, `after a browser restart, missing: ${missing(texts).join('; ')}`);

  await syncNow(again);
  const other = await hx.browser('store-counter-pc');
  const page2 = await signInLink(other, hx.url, hx.issueToken('store'));
  await firstSync(page2);
  texts = await timelineTexts(page2, person.id);
  check(missing(texts).length === 0, `the server (seen from a second device) misses: ${missing(texts).join('; ')}`);
}
