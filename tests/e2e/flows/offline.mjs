// Offline flow: go offline, reload (the app comes from the service worker), check in 20
// guests at an event including 3 walk-ins (one registered with a double tap; and undo a
// mistaken check-in), log 10 contacts, close the browser; start it again
// offline: everything is there; go online: everything reaches the server; a second device of
// the same scope receives it.
import {
  check, open, signInLink, firstSync, waitServiceWorker, openEvent, checkinCount, checkInKnown,
  registerWalkIn, undoCheckIn, openCardByEmail, logContact, syncNow, pending, hostCall, timelineTexts,
} from '../harness.mjs';

export default async function offline(hx) {
  let laptop = await hx.browser('field-laptop');
  let page = await signInLink(laptop, hx.url, hx.tokens.field);
  await firstSync(page);
  await waitServiceWorker(page);

  const events = await hostCall(page, 'events');
  check(events.ok && events.value.length > 0, `the field device has no events: ${JSON.stringify(events).slice(0, 300)}`);
  const event = events.value[0];
  const already = await hostCall(page, 'checkins', { event: event.id });
  const taken = new Set(already.value.entries.map((e) => e.influencer.id));
  const pool = await hostCall(page, 'search', { text: 'a', limit: 200 });
  const free = pool.value.filter((p) => p.email && !taken.has(p.id));
  const guests = free.slice(0, 17);
  const mistake = free.find((p) => !guests.some((g) => g.name === p.name));
  check(guests.length === 17 && mistake, `only ${free.length} guests available to check in`);

  await laptop.setOffline(true);
  check(await page.evaluate(() => fetch('/api/v1/me').then(() => 'online', () => 'offline')) === 'offline',
    'setOffline(true) did not take the network away from the page');
  await page.reload();
  await page.waitForSelector('body[data-ready="1"]', { timeout: 10000 })
    .catch(() => { throw new Error('offline, the app did not load from the service worker'); });
  // The worker knows it is offline, whatever its own view of the network: it must not sync.
  const status = await hostCall(page, 'status');
  check(status.ok && status.value.online === false, `after an offline reload the worker believes it is online: ${JSON.stringify(status.value).slice(0, 200)}`);

  await openEvent(page, event.name);
  const start = await checkinCount(page);
  const trail = [start];  // the count after each step, for the message if it goes wrong
  // Half of them at the pace of a queue at the door: the next e-mail typed while one is saved.
  for (const [i, g] of guests.entries()) {
    await checkInKnown(page, g, { next: i % 2 === 0 ? guests[i + 1] : null });
    trail.push(await checkinCount(page));
  }
  // The wrong person, checked in by mistake and undone.
  await checkInKnown(page, mistake);
  await undoCheckIn(page, mistake);
  trail.push(await checkinCount(page));
  const stamp = Date.now();
  const walkIns = [1, 2, 3].map((i) => ({ name: `Walk-in Guest ${i} ${stamp}`, email: `walkin${i}.${stamp}@example.org` }));
  // The first one with a double tap: it registers one person, not two.
  for (const w of walkIns) { await registerWalkIn(page, w, { doubleTap: w === walkIns[0] }); trail.push(await checkinCount(page)); }
  if (process.env.LIAISON_E2E_VERBOSE) console.log(`trail ${trail.join(' ')} pending ${await pending(page)}`);
  if (await checkinCount(page) !== start + 20) {
    const now = await hostCall(page, 'checkins', { event: event.id });
    const names = (now.value ? now.value.entries : []).filter((e) => !taken.has(e.influencer && e.influencer.id))
      .map((e) => `${e.influencer && e.influencer.name}${e.walk_in ? ' (walk-in)' : ''}`);
    check(false, `the live count shows ${await checkinCount(page)}, expected ${start + 20} (counts after each step: ${trail.join(' ')}); ` +
      `the device counts ${now.value && now.value.count}; checked in offline: ${names.join(', ')}`);
  }

  const notes = [];
  for (let i = 0; i < 10; i++) {
    const person = i < 8 ? guests[i] : walkIns[i - 8];
    await openCardByEmail(page, person);
    const note = `Offline note ${i + 1} (${stamp})`;
    await logContact(page, { touchpoint: 'Event', note, tone: 'Neutral' });
    notes.push(note);
  }
  const waiting = await pending(page);
  check(waiting >= 30, `only ${waiting} changes wait to be sent after 20 check-ins, 3 new people and 10 contacts offline`);

  // Close the browser and start it again, still offline.
  await hx.closeBrowser(laptop);
  laptop = await hx.browser('field-laptop', { offline: true });
  page = await open(laptop, hx.url, '#/events');
  check(await pending(page) === waiting, `after a restart ${await pending(page)} changes wait, not ${waiting}`);
  await openEvent(page, event.name);
  check(await checkinCount(page) === start + 20, `after a restart offline the count is ${await checkinCount(page)}, expected ${start + 20}`);
  const ids = {};
  for (const w of walkIns) {
    const r = await hostCall(page, 'search', { text: w.email, limit: 2 });
    check(r.ok && r.value.length === 1, `walk-in ${w.name} is not on the device after a restart`);
    ids[w.email] = r.value[0].id;
  }
  const people = [...guests.slice(0, 8).map((g) => ({ ...g })), ...walkIns.slice(0, 2).map((w) => ({ ...w, id: ids[w.email] }))];
  for (let i = 0; i < 10; i++) {
    const texts = await timelineTexts(page, people[i].id);
    check(texts && texts.includes(notes[i]), `after a restart offline, "${notes[i]}" is missing from ${people[i].name}'s card`);
  }

  // Online again: everything reaches the server.
  await laptop.setOffline(false);
  await syncNow(page);
  check(await pending(page) === 0, 'changes still wait after syncing');

  // A second device of the same scope receives all of it.
  const other = await hx.browser('field-phone');
  const page2 = await signInLink(other, hx.url, hx.issueToken('field'));
  await firstSync(page2);
  const seen = await hostCall(page2, 'checkins', { event: event.id });
  check(seen.ok && seen.value.count === start + 20, `the second device counts ${seen.value && seen.value.count} check-ins, expected ${start + 20}`);
  check(seen.value.entries.filter((e) => e.walk_in).length >= 3, 'the second device does not see the 3 walk-ins');
  check(!seen.value.entries.some((e) => e.influencer && e.influencer.id === mistake.id), 'the undone check-in reached the second device');
  for (let i = 0; i < 10; i++) {
    const texts = await timelineTexts(page2, people[i].id);
    check(texts && texts.includes(notes[i]), `the second device does not have "${notes[i]}"`);
  }
  await openEvent(page2, event.name);
  check(await checkinCount(page2) === start + 20, 'the second device\'s event screen shows another count');
}
