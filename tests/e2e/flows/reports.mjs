// The reports (docs/USER-GUIDE.md "Reports"; docs/METRICS.md), e2e.reports of issue 18.
//
// Central, on a laptop: opens the Reports room, then a campaign's dashboard (the AMEC report of
// that campaign, asked of the server); every figure on the screen is the server's REST report
// for the central token, cell for cell. Changes the period, switches the attribution model
// (the impact table follows, and says which model), and downloads every table as CSV: the
// file is the server's CSV for the same question.
//
// A regional manager then opens her region's report on her laptop, which computes it from its
// own replica: first online (the room's code and the chart library are fetched and kept by the
// service worker), then offline after a reload. Offline, the screen says the figures were
// computed on the device, and they equal, figure for figure, the REST report the server gives
// her token for the same filters (fetched here with her token); the device's CSV too.
import { readFileSync } from 'node:fs';
import { check, firstSync, hostCall, LAPTOP, signInLink, step, waitServiceWorker } from '../harness.mjs';

async function waitFor(page, what, fn, arg, timeout = 20000) {
  await page.waitForFunction(fn, arg, { timeout }).catch(async () => {
    const seen = await page.evaluate(() => document.getElementById('main')?.innerText.slice(0, 600)).catch(() => '?');
    throw new Error(`${what}: not seen within ${timeout / 1000} s; the screen shows: ${seen}`);
  });
}

// The report on the screen once drawn for `hash`: its tables' cells as the JSON values they
// show (data-value), keyed by table id, every column of the report's JSON that has a value.
async function screenTables(page) {
  return page.evaluate(() => {
    const out = {};
    for (const section of document.querySelectorAll('[data-testid="rp-body"] section[data-table]')) {
      const rows = [...section.querySelectorAll('table tbody tr')].map((tr) =>
        Object.fromEntries([...tr.children].map((td) => [td.dataset.col, JSON.parse(td.dataset.value)])));
      out[section.dataset.table] = rows;
    }
    return out;
  });
}

// The same view of a report's JSON: each row as {column id: value}, only the columns the
// screen shows (those with a value in some row; the first always).
function jsonTables(report) {
  const out = {};
  for (const t of report.tables) {
    const shown = t.columns.map((c, i) => i).filter((i) => i === 0 || t.rows.some((r) => r[i] !== null && r[i] !== ''));
    out[t.id] = t.rows.map((r) => Object.fromEntries(shown.map((i) => [t.columns[i].id, r[i]])));
  }
  return out;
}

function sameTables(what, screen, json) {
  const a = JSON.stringify(screen), b = JSON.stringify(json);
  check(a === b, `${what}: the screen's figures differ from the server's\n  screen: ${a.slice(0, 1500)}\n  server: ${b.slice(0, 1500)}`);
}

// Waits for the report page of `hash` to show a drawn report (or its error).
async function drawn(page, hash) {
  await waitFor(page, `the report at ${hash}`, (h) => location.hash === h
    && document.querySelector('[data-testid="rp-body"]')?.getAttribute('aria-busy') === 'false', hash, 30000);
  const error = await page.locator('[data-testid="rp-error"]').evaluate((e) => (e.hidden ? '' : e.textContent));
  check(!error, `the report at ${hash} failed: ${error}`);
}

const query = (o) => new URLSearchParams(Object.entries(o).filter(([, v]) => v)).toString();
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

export default async function reports(hx) {
  // A campaign with figures: the demo campaign with the most collaborations.
  const campaigns = (await hx.api('GET', '/api/v1/campaigns?limit=500', { role: 'central' })).json.items;
  let campaign = null, best = -1;
  for (const c of campaigns) {
    const r = await hx.api('GET', `/api/v1/reports/amec?campaign=${c.id}`, { role: 'central' });
    check(r.status === 200, `GET /api/v1/reports/amec?campaign=${c.id}: ${r.status} ${r.text.slice(0, 300)}`);
    const collabs = r.json.tables.find((t) => t.id === 'activities').rows.find((row) => row[0] === 'collaborations')[1];
    if (collabs > best) { best = collabs; campaign = c; }
  }
  check(campaign && best > 0, `no demo campaign has a collaboration: ${JSON.stringify(campaigns.map((c) => c.name))}`);

  step(`central opens the dashboard of "${campaign.name}" from the Reports room`);
  const laptop = await hx.browser('central', { viewport: LAPTOP });
  const page = await signInLink(laptop, hx.url, hx.tokens.central);
  await page.getByRole('link', { name: 'Reports', exact: true }).click();
  await page.getByTestId('rp-index').waitFor({ timeout: 20000 });
  await page.locator(`[data-testid="rp-dashboards"] li[data-id="${campaign.id}"] a`).click();
  let hash = `#/reports/amec?campaign=${campaign.id}`;
  await drawn(page, hash);
  check(await page.getByTestId('rp-source').getAttribute('data-source') === 'server', 'central\'s figures do not come from the server');
  check((await page.locator('h1#rp-h').textContent()).includes(campaign.name), 'the dashboard does not name its campaign');
  let rest = (await hx.api('GET', `/api/v1/reports/amec?campaign=${campaign.id}`, { role: 'central' })).json;
  for (const stage of ['inputs', 'activities', 'outputs', 'outtakes', 'outcomes', 'impact'])
    check(await page.getByTestId(`rp-table-${stage}`).count() === 1, `the ${stage} table is not on the dashboard`);
  sameTables('the campaign dashboard', await screenTables(page), jsonTables(rest));
  // Every figure names its formula; a caveat the report carries is printed.
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('[data-testid="rp-body"] td.num')].filter((td) => !td.dataset.formula).length);
  check(unnamed === 0, `${unnamed} figures on the dashboard name no formula`);
  check(await page.locator('[data-testid="rp-caveats"] li[data-caveat="roi_model"]').count() === 1, 'the ROI caveat is not printed');
  // A chart beside a breakdown table, from the chart chunk (loaded on demand).
  await waitFor(page, 'a chart drawn', () => !!document.querySelector('[data-testid^="rp-chart-"] canvas[role="img"]')
    && [...document.querySelectorAll('[data-testid^="rp-chart-"] canvas')].some((c) => c.width > 0));

  step('central changes the period');
  const to = isoDay(Date.now());
  const from = isoDay(Date.now() - 60 * 86400000);
  await page.getByTestId('rp-from').fill(from);
  await page.getByTestId('rp-to').fill(to);
  await page.getByTestId('rp-apply').click();
  hash = `#/reports/amec?${query({ campaign: campaign.id, from, to })}`;
  await drawn(page, hash);
  check((await page.getByTestId('rp-period').textContent()).includes(from), 'the period shown is not the one asked');
  rest = (await hx.api('GET', `/api/v1/reports/amec?${query({ campaign: campaign.id, from, to })}`, { role: 'central' })).json;
  check(rest.from === from && rest.to === to, `the server's report is not over ${from}..${to}: ${rest.from}..${rest.to}`);
  sameTables('the dashboard over the new period', await screenTables(page), jsonTables(rest));

  step('central switches the attribution model');
  check(await page.getByTestId('rp-model-used').getAttribute('data-model') === 'last_click', 'the default model is not last click');
  await page.getByTestId('rp-model').selectOption('linear');
  hash = `#/reports/amec?${query({ campaign: campaign.id, from, to, model: 'linear' })}`;
  await drawn(page, hash);
  check(await page.getByTestId('rp-model-used').getAttribute('data-model') === 'linear', 'the report does not say it used the linear model');
  rest = (await hx.api('GET', `/api/v1/reports/amec?${query({ campaign: campaign.id, from, to, model: 'linear' })}`, { role: 'central' })).json;
  check(rest.filters.attribution_model === 'linear', `the server's report is under ${rest.filters.attribution_model}`);
  sameTables('the dashboard under the linear model', await screenTables(page), jsonTables(rest));

  step('central downloads every table as CSV');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }), page.getByTestId('rp-csv-all').click()]);
  check(download.suggestedFilename() === `liaison-amec-${from}-${to}.csv`, `the file is named ${download.suggestedFilename()}`);
  const csv = readFileSync(await download.path(), 'utf8');
  const restCsv = await hx.api('GET', `/api/v1/reports/amec?${query({ campaign: campaign.id, from, to, model: 'linear', format: 'csv' })}`, { role: 'central' });
  check(restCsv.status === 200 && csv === restCsv.text, `the CSV downloaded is not the server's:\n${csv.slice(0, 400)}\n---\n${restCsv.text.slice(0, 400)}`);
  const lines = csv.split(/\r?\n/);
  check(lines.some((l) => l.startsWith('inputs,budget,')) && lines.some((l) => l.startsWith('impact,roi,')),
    `the CSV lacks the stage tables' lines: ${lines.slice(0, 5).join(' | ')}`);

  step('a report still being written answers an error the screen shows cleanly');
  const pending = await hx.api('GET', '/api/v1/reports/sov', { role: 'central' });
  await page.goto(`${hx.url}/#/reports/sov`);
  await waitFor(page, 'the share-of-voice page', () => document.querySelector('[data-testid="rp-body"]')?.getAttribute('aria-busy') === 'false', null, 30000);
  const sovError = await page.locator('[data-testid="rp-error"]').evaluate((e) => (e.hidden ? '' : e.textContent));
  check(pending.status === 200 ? !sovError : sovError.length > 0, `share of voice: server ${pending.status}, screen error "${sovError}"`);

  step('a regional manager opens her region\'s report online, then offline from her replica');
  const manager = (await hx.api('GET', '/api/v1/me', { role: 'regional' })).json;
  const region = manager.scope.regions[0];
  check(region, `the demo's regional manager has no region: ${JSON.stringify(manager.scope)}`);
  const filters = { region, from: isoDay(Date.now() - 365 * 86400000), to };
  const regional = await hx.browser('regional', { viewport: LAPTOP });
  const mpage = await signInLink(regional, hx.url, hx.tokens.regional);
  await waitServiceWorker(mpage);
  await firstSync(mpage, 90000);
  // Loaded again now that the service worker controls the page: the chunks the first screen
  // imported before it did (the workspace's, shared with the reports room) were fetched past
  // it and are kept only when fetched through it (a known limit of web/app/sw.js: a room
  // opened on the very first load of a device is not kept for offline use).
  hash = `#/reports/amec?${query(filters)}`;
  await mpage.goto(`${hx.url}/${hash}`);
  await mpage.reload();
  await mpage.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  await drawn(mpage, hash);
  await waitFor(mpage, 'a chart drawn online', () => !!document.querySelector('[data-testid^="rp-chart-"] canvas'));

  // Read until the chart library is there, for up to 10 s: a clean clone's run under load once
  // listed every chunk but it right after the chart was drawn (not reproduced alone).
  const keptChunks = () => mpage.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) if (r.url.includes('/chunks/')) out.push(r.url.replace(/^.*\/chunks\//, ''));
    return out;
  });
  let cached = await keptChunks();
  for (const until = Date.now() + 10000; !cached.some((f) => f.startsWith('chart-lib-')) && Date.now() < until;) {
    await mpage.waitForTimeout(200);
    cached = await keptChunks();
  }
  step(`chunks kept by the service worker: ${cached.join(' ')}`);
  check(cached.some((f) => f.startsWith('chart-lib-')), `the chart library is not kept for offline use (10 s after the chart was drawn): ${cached.join(' ')}`);
  await regional.setOffline(true);
  check(await mpage.evaluate(() => fetch('/api/v1/me').then(() => 'online', () => 'offline')) === 'offline', 'setOffline(true) did not take the network away');
  await mpage.reload();
  await mpage.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  await drawn(mpage, hash);
  check(await mpage.getByTestId('rp-source').getAttribute('data-source') === 'device', 'the regional figures do not say they were computed on the device');
  const status = await hostCall(mpage, 'status');
  check(status.ok && status.value.online === false, 'the regional laptop\'s worker believes it is online');
  const device = await hostCall(mpage, 'report', { report: 'amec', ...filters });
  check(device.ok, `the device's report: ${JSON.stringify(device).slice(0, 300)}`);
  // A page cannot widen the scope: the worker sets it whatever the page sends.
  const widened = await hostCall(mpage, 'report', { report: 'amec', ...filters, scope: { global: true } });
  check(widened.ok && JSON.stringify(widened.value.tables) === JSON.stringify(device.value.tables), 'a scope sent by the page changed the figures');
  const server = await hx.api('GET', `/api/v1/reports/amec?${query(filters)}`, { token: hx.tokens.regional });
  check(server.status === 200, `the server's report for the regional token: ${server.status} ${server.text.slice(0, 200)}`);
  check(JSON.stringify(device.value.tables) === JSON.stringify(server.json.tables),
    `offline, the device's figures differ from the server's for the same token:\n  device: ${JSON.stringify(device.value.tables).slice(0, 1500)}\n  server: ${JSON.stringify(server.json.tables).slice(0, 1500)}`);
  for (const k of ['currency', 'from', 'to', 'formulas', 'caveats', 'filters'])
    check(JSON.stringify(device.value[k]) === JSON.stringify(server.json[k]), `${k} differs: device ${JSON.stringify(device.value[k])} server ${JSON.stringify(server.json[k])}`);
  sameTables('the regional report offline', await screenTables(mpage), jsonTables(server.json));
  const somethingCounted = server.json.tables.some((t) => t.rows.some((r) => r.some((v) => typeof v === 'number' && v > 0)));
  check(somethingCounted, 'the region\'s report counts nothing: the comparison proves little');
  const [regionalCsv] = await Promise.all([mpage.waitForEvent('download', { timeout: 20000 }), mpage.getByTestId('rp-csv-all').click()]);
  const serverCsv = await hx.api('GET', `/api/v1/reports/amec?${query({ ...filters, format: 'csv' })}`, { token: hx.tokens.regional });
  check(readFileSync(await regionalCsv.path(), 'utf8') === serverCsv.text, 'offline, the device\'s CSV is not the server\'s');
  await regional.setOffline(false);
}
