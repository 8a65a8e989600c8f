// Conflict flow: two devices edit the same influencer offline — the same field (tier) to
// different values, and the same set (tags) with different additions — then both sync:
// both show the same tier, and the tags keep both additions.
import { check, signInLink, firstSync, hostCall, openCardByEmail, syncNow } from '../harness.mjs';

async function editOffline(page, { tier, tag }) {
  await page.getByRole('button', { name: 'Edit details' }).click();
  await page.getByLabel('Tier').selectOption({ label: tier });
  await page.getByRole('button', { name: 'Save changes' }).click();
  // As a person would: wait for the form to close (the card moves up under the pointer).
  await page.getByRole('button', { name: 'Save changes' }).waitFor({ state: 'detached', timeout: 5000 });
  await page.getByLabel('Add a tag').fill(tag);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.locator('[data-testid="tags"] li', { hasText: tag }).waitFor({ timeout: 5000 });
}

async function shown(page) {
  const facts = await page.locator('.facts').innerText();
  const tags = await page.locator('[data-testid="tags"] li').allInnerTexts();
  return { tier: /Tier\s+(.+)/.exec(facts)?.[1].trim(), tags: tags.map((t) => t.replace(/×\s*$/, '').trim()).sort() };
}

export default async function conflict(hx) {
  const a = await hx.browser('store-tablet');
  const b = await hx.browser('store-counter-pc');
  const pa = await signInLink(a, hx.url, hx.tokens.store);
  const pb = await signInLink(b, hx.url, hx.issueToken('store'));
  await Promise.all([firstSync(pa), firstSync(pb)]);

  const pool = await hostCall(pa, 'search', { text: 'a', limit: 30 });
  const person = pool.value.find((p) => p.email && p.tier !== 'top' && p.tier !== 'expert');
  check(person, 'no suitable person on the store device');
  await openCardByEmail(pa, person);
  await openCardByEmail(pb, person);

  await a.setOffline(true);
  await b.setOffline(true);
  await editOffline(pa, { tier: 'Top influencer', tag: 'vip-from-tablet' });
  await editOffline(pb, { tier: 'Expert', tag: 'press-from-counter' });

  await a.setOffline(false);
  await b.setOffline(false);
  await syncNow(pa);
  await syncNow(pb);
  await syncNow(pa);
  await Promise.all([pa.reload(), pb.reload()]);
  await Promise.all([pa.waitForSelector('[data-testid="card-name"]'), pb.waitForSelector('[data-testid="card-name"]')]);

  const sa = await shown(pa), sb = await shown(pb);
  check(sa.tier === sb.tier, `the devices disagree on the tier: "${sa.tier}" and "${sb.tier}"`);
  check(['Top influencer', 'Expert'].includes(sa.tier), `the tier is "${sa.tier}", neither edit`);
  for (const tag of ['vip-from-tablet', 'press-from-counter']) {
    check(sa.tags.includes(tag) && sb.tags.includes(tag), `tag "${tag}" was lost: tablet ${JSON.stringify(sa.tags)}, counter ${JSON.stringify(sb.tags)}`);
  }
  check(JSON.stringify(sa.tags) === JSON.stringify(sb.tags), `the devices show different tags: ${sa.tags} / ${sb.tags}`);
  // The central record agrees with both screens.
  const rest = await hx.api('GET', `/api/v1/influencers/${person.id}`, { role: 'central' });
  if (rest.status !== 404) {
    check(rest.status === 200, `GET /api/v1/influencers/${person.id} answered ${rest.status}`);
    const text = rest.text;
    const tier = { 'Top influencer': 'top', Expert: 'expert' }[sa.tier];
    check(text.includes(`"tier":"${tier}"`), `the server's tier is not "${tier}": ${text.slice(0, 300)}`);
    for (const tag of ['vip-from-tablet', 'press-from-counter']) check(text.includes(`"${tag}"`), `the server lost tag "${tag}"`);
  }
}
