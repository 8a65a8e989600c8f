// Promotions and the reviewer's disclosure check (docs/COMPLIANCE.md, "Promotions: how
// campaigns are checked" and "Compliance issues"): on a laptop, a member of the central team
// linked to a staff member sets a French campaign's product category to nicotine, picked from
// the table's categories, and the Compliance room lists a prohibited promotion; gambling, a
// restricted category, offers its condition to attest, and attested it is no issue. Then, on the
// collaboration's page, she checks a post whose caption lacks the mention: the check starts from
// "not found", she records it found with a proof link, the post says who checked it and when,
// and the disclosure issue leaves the room.
import { check, step, signInLink, LAPTOP } from '../harness.mjs';

async function issues(hx, query) {
  const r = await hx.api('GET', `/api/v1/compliance/issues?limit=5000&${query}`, { role: 'central' });
  check(r.status === 200, `reading the issues: ${r.status} ${r.text}`);
  return r.json.issues;
}

export default async function promotions(hx) {
  const me = (await hx.api('GET', '/api/v1/me', { role: 'store' })).json;
  const storeId = me.scope.stores[0];
  const brand = (await hx.api('GET', `/api/v1/stores/${storeId}`, { role: 'central' })).json.brand;
  const made = await hx.api('POST', '/api/v1/campaigns', { role: 'central', body: { name: 'Vapeur — flux', brand, store: storeId, markets: ['FR'] } });
  check(made.status === 201, `creating the campaign: ${made.status} ${made.text}`);
  const campaignId = made.json.id;
  // A condition the table does not name is refused, naming the field.
  const bad = await hx.api('PATCH', `/api/v1/campaigns/${campaignId}`, { role: 'central', body: { promotion_condition: 'parental_consent' } });
  check(bad.status === 400 && /promotion_condition: one of/.test(bad.json.error.message), `an unknown condition was answered ${bad.status} ${bad.text}`);

  const name = 'Dora Divulgue-Flux';
  const person = (await hx.api('POST', '/api/v1/influencers', { role: 'central', body: { name, store: storeId } })).json.id;
  const deal = await hx.api('POST', '/api/v1/collaborations', { role: 'central', body: {
    influencer: person, type: 'paid', store: storeId, brand, campaign: campaignId, currency: 'EUR', fee: 30000 } });
  check(deal.status === 201, `creating her collaboration: ${deal.status} ${deal.text}`);
  const post = await hx.api('POST', '/api/v1/content', { role: 'central', body: {
    influencer: person, collaboration: deal.json.id, campaign: campaignId, platform: 'instagram',
    url: 'https://www.instagram.com/p/dora-flux/', caption: 'Ma nouvelle vapoteuse', store: storeId } });
  check(post.status === 201, `logging her post: ${post.status} ${post.text}`);
  const open = await issues(hx, `type=disclosure_missing&campaign=${campaignId}`);
  check(open.some((i) => i.content === post.json.id), `her post is not an open disclosure issue: ${JSON.stringify(open)}`);
  // The reviewer: a central user acting as a staff member.
  const staff = await hx.api('POST', '/api/v1/staff', { role: 'central', body: { name: 'Claire Revue' } });
  check(staff.status === 201, `creating the reviewer: ${staff.status} ${staff.text}`);
  const token = hx.addUser('Claire', 'central', { staff: [staff.json.id] });

  step('central picks nicotine for the campaign from the table’s categories');
  const laptop = await hx.browser('reviewer', { viewport: LAPTOP });
  const page = await signInLink(laptop, hx.url, token);
  await page.waitForSelector('main[data-view="central"]', { timeout: 20000 });
  await page.goto(`${hx.url}/#/central/campaign/${campaignId}`);
  await page.getByTestId('cp-edit').click();
  let form = page.getByTestId('campaign-form');
  await page.waitForFunction(() => document.querySelector('[data-testid="campaign-form"] datalist option[value="nicotine"]'), null, { timeout: 10000 });
  await form.locator('[data-field="product_category"]').fill('Nicotine');
  await page.waitForFunction(() => document.querySelector('[data-testid="promotion-verdict"]')?.dataset.status === 'prohibited', null, { timeout: 5000 });
  check(await page.getByTestId('promotion-attest').isHidden(), 'a prohibited category offered a condition to attest');
  await page.getByTestId('campaign-form-save').click();
  await page.getByTestId('cp-edit').waitFor({ timeout: 10000 });
  let campaign = (await hx.api('GET', `/api/v1/campaigns/${campaignId}`, { role: 'central' })).json;
  check(campaign.product_category === 'Nicotine', `the campaign is ${JSON.stringify(campaign)}`);

  step('the Compliance room lists the prohibited promotion and the unchecked post');
  await page.goto(`${hx.url}/#/central/compliance`);
  const prohibited = page.locator(`[data-testid="issues"] li[data-type="promotion_prohibited"][data-campaign="${campaignId}"]`);
  await prohibited.waitFor({ timeout: 15000 });
  check(/Prohibited promotion/.test(await prohibited.textContent()) && /Vapeur — flux/.test(await prohibited.textContent()),
    `the issue reads ${await prohibited.textContent()}`);
  await page.locator(`[data-testid="issues"] li[data-type="disclosure_missing"][data-person="${person}"]`).waitFor({ timeout: 15000 });

  step('gambling offers its condition; attested, the campaign is no issue');
  await page.goto(`${hx.url}/#/central/campaign/${campaignId}`);
  await page.getByTestId('cp-edit').click();
  form = page.getByTestId('campaign-form');
  await page.waitForFunction(() => document.querySelector('[data-testid="campaign-form"] datalist option[value="gambling"]'), null, { timeout: 10000 });
  await form.locator('[data-field="product_category"]').fill('gambling');
  await page.getByTestId('promotion-attest').waitFor({ timeout: 5000 });
  check(/excludes minors/.test(await page.getByTestId('promotion-attest').textContent()), `the condition reads ${await page.getByTestId('promotion-attest').textContent()}`);
  await form.locator('[data-field="promotion_condition"]').check();
  await page.getByTestId('campaign-form-save').click();
  await page.getByTestId('cp-edit').waitFor({ timeout: 10000 });
  campaign = (await hx.api('GET', `/api/v1/campaigns/${campaignId}`, { role: 'central' })).json;
  check(campaign.product_category === 'gambling' && campaign.promotion_condition === 'age_gated', `the campaign is ${JSON.stringify(campaign)}`);
  const left = (await issues(hx, `campaign=${campaignId}`)).filter((i) => i.type.startsWith('promotion_'));
  check(left.length === 0, `the attested campaign is still an issue: ${JSON.stringify(left)}`);

  step('the reviewer checks the post from the collaboration’s page');
  await page.goto(`${hx.url}/#/central/collaboration/${deal.json.id}`);
  const row = page.locator(`[data-testid="co-posts"] tr[data-id="${post.json.id}"]`);
  await row.getByTestId('dc-open').click();
  // The caption lacks "publicité": the check starts from "not found", and says why.
  await page.waitForFunction(() => /fr\.commercial/.test(document.querySelector('[data-testid="dc-caption"]')?.textContent || ''), null, { timeout: 10000 });
  check(await row.getByTestId('dc-no').isChecked(), 'the check was not pre-filled from the caption');
  await row.getByTestId('dc-yes').check(); // the mention is on the image
  await row.getByTestId('dc-proof').fill('https://archive.example.org/dora-flux');
  await row.getByTestId('dc-save').click();
  const checked = row.getByTestId('dc-checked');
  await checked.waitFor({ timeout: 10000 });
  await page.waitForFunction(() => /Checked by Claire Revue on/.test(document.querySelector('[data-testid="dc-checked"]')?.textContent || ''), null, { timeout: 10000 });
  const content = (await hx.api('GET', `/api/v1/content/${post.json.id}`, { role: 'central' })).json;
  check(content.disclosure_found === true && content.disclosure_proof === 'https://archive.example.org/dora-flux'
    && content.disclosure_checked_by === staff.json.id && Math.abs(content.disclosure_checked_at - Date.now()) < 5 * 60 * 1000,
  `the post's check is ${JSON.stringify(content)}`);

  step('the disclosure issue has left the Compliance room');
  await page.goto(`${hx.url}/#/central/compliance`);
  await page.getByTestId('issues-count').waitFor({ timeout: 15000 });
  await page.locator('[data-testid="issues"] li').first().waitFor({ timeout: 15000 });
  check(await page.locator(`[data-testid="issues"] li[data-type="disclosure_missing"][data-person="${person}"]`).count() === 0,
    'the checked post is still listed');
  check(!(await issues(hx, `type=disclosure_missing&campaign=${campaignId}`)).some((i) => i.content === post.json.id), 'the server still lists the checked post');
}
