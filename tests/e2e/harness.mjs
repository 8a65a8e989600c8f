// The end-to-end harness: a real liaison-server (fresh demo database, random loopback port,
// the assembled web app as its static folder), real Chromium profiles driven by
// playwright-core, and the small waiting and checking helpers the flows share.
//
// Everything a test starts is stopped by cleanup(), also when the test fails.
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { recordModelVersion } from '../wasm/server.mjs';

export const TABLET = { width: 768, height: 1024 };
export const PHONE = { width: 390, height: 844 };
// The central workspace is laid out for a laptop (docs/WORKSPACE.md).
export const LAPTOP = { width: 1280, height: 800 };
const CHROMIUM = process.env.LIAISON_CHROMIUM || '/usr/bin/chromium';

export class TestFailure extends Error {}
const T0 = Date.now();
// Progress lines with the time since the start (shown with LIAISON_E2E_VERBOSE=1).
export function step(what) {
  if (process.env.LIAISON_E2E_VERBOSE) console.log(`  ${((Date.now() - T0) / 1000).toFixed(1)} s  ${what}`);
}
export function check(cond, message) {
  if (!cond) throw new TestFailure(message);
}

// Console messages that are expected in these flows: resources a page could not fetch while
// the test had taken the network away, and sync attempts refused on purpose.
const EXPECTED_CONSOLE = [
  /net::ERR_INTERNET_DISCONNECTED/,
  /net::ERR_NETWORK_CHANGED/,
  /Failed to fetch/,
];

export class Harness {
  constructor({ serverBin, appDir, screenshotsDir }) {
    this.serverBin = serverBin;
    this.appDir = appDir;
    this.tmp = mkdtempSync(join(tmpdir(), 'liaison-e2e-'));
    // Where the screenshots flow writes: the build tree under CTest, docs/screenshots/ only
    // through scripts/screenshots (a test run never rewrites tracked files); else scratch.
    this.screenshotsDir = screenshotsDir || join(this.tmp, 'screenshots');
    this.contexts = [];
    this.consoleErrors = [];
    this.server = null;
    this.allowedConsole = [...EXPECTED_CONSOLE];
  }

  // ---- server ---------------------------------------------------------------------------

  async startServer() {
    this.db = join(this.tmp, 'central.db');
    const child = spawn(this.serverBin, ['serve', '--demo', '--db', this.db, '--host', '127.0.0.1',
      '--port', '0', '--static', this.appDir, '--rate-limit', '1000', '--burst', '2000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.server = child;
    this.serverLog = '';
    child.stderr.on('data', (d) => { this.serverLog += d; });
    const tokens = {};
    const url = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new TestFailure(`liaison-server did not start within 20 s:\n${out}\n${this.serverLog}`)), 20000);
      child.stdout.on('data', (d) => {
        out += d;
        for (const m of out.matchAll(/^sign in as (\w+): token (\S+)$/gm)) tokens[m[1]] = m[2];
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      child.on('exit', (code) => { clearTimeout(timer); reject(new TestFailure(`liaison-server exited (${code}) before listening:\n${out}\n${this.serverLog}`)); });
    });
    check(tokens.store && tokens.field && tokens.central && tokens.admin, `demo tokens missing from the server's output: ${Object.keys(tokens)}`);
    this.url = url;
    this.tokens = tokens;
    return url;
  }

  // A second token for the user of `role` (a second device of the same scope).
  issueToken(role, device = 'second-device') {
    const id = this.userId(role);
    return execFileSync(this.serverBin, ['token', 'issue', '--db', this.db, '--user', id, '--device', device],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  }

  // A new user of `role` with these lists (liaison-server user add), linked to the staff
  // members `staff` (ids; liaison-server user staff, docs/SYNC.md A1), and a token for it.
  addUser(name, role, { stores = [], regions = [], brands = [], staff = [] } = {}) {
    const args = ['user', 'add', '--db', this.db, '--name', name, '--role', role];
    for (const [flag, ids] of [['--stores', stores], ['--regions', regions], ['--brands', brands]])
      if (ids.length) args.push(flag, ids.join(','));
    const id = execFileSync(this.serverBin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (staff.length)
      execFileSync(this.serverBin, ['user', 'staff', '--db', this.db, '--user', id, '--add', staff.join(',')], { stdio: 'ignore' });
    return execFileSync(this.serverBin, ['token', 'issue', '--db', this.db, '--user', id, '--device', `${name}-tablet`],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  }

  // The demo user of `role` gets a new scope (liaison-server user scope, while it serves).
  setScope(role, { stores = [], regions = [], brands = [] }) {
    const args = ['user', 'scope', '--db', this.db, '--user', this.userId(role)];
    for (const [flag, ids] of [['--stores', stores], ['--regions', regions], ['--brands', brands]])
      if (ids.length) args.push(flag, ids.join(','));
    execFileSync(this.serverBin, args, { stdio: 'ignore' });
  }

  userId(role) {
    const users = execFileSync(this.serverBin, ['user', 'list', '--db', this.db], { encoding: 'utf8' });
    const line = users.split('\n').find((l) => l.split('\t')[1] === role);
    check(line, `no ${role} user in:\n${users}`);
    return line.split('\t')[0];
  }

  revokeToken(token) {
    const id = /^lsn_([0-9a-f]+)_/.exec(token)[1];
    execFileSync(this.serverBin, ['token', 'revoke', '--db', this.db, '--token-id', id], { stdio: 'ignore' });
  }

  // A JSON request to the server's API as `role` (or with a token).
  async api(method, path, { role = 'admin', token, body } = {}) {
    const r = await fetch(this.url + path, {
      method,
      headers: { Authorization: `Bearer ${token || this.tokens[role]}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, json, text };
  }

  // ---- browsers ---------------------------------------------------------------------------

  profile(name) { return join(this.tmp, `profile-${name}`); }

  // A Chromium with its own profile directory (a "device"); reopening the same name is the
  // same device after a browser restart.
  async browser(name, { viewport = TABLET, offline = false, locale = 'en-GB' } = {}) {
    const context = await chromium.launchPersistentContext(this.profile(name), {
      executablePath: CHROMIUM,
      headless: true,
      viewport,
      offline,
      locale,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
        // Two tabs write at once in one flow: a tab in the background must not be slowed down.
        '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
    });
    context.deviceName = name;
    this.contexts.push(context);
    const watch = (page) => {
      page.on('console', (msg) => { if (msg.type() === 'error') this.noteConsole(name, msg.text()); });
      page.on('pageerror', (err) => this.noteConsole(name, `uncaught: ${err.message}`, true));
      page.on('dialog', (d) => {
        if (d.type() === 'confirm' && page.acceptConfirms) { d.accept(); return; }
        this.noteConsole(name, `unexpected ${d.type()} dialog: ${d.message()}`, true);
        d.dismiss().catch(() => {});
      });
    };
    context.pages().forEach(watch);
    context.on('page', watch);
    return context;
  }

  noteConsole(device, text, always = false) {
    if (!always && this.allowedConsole.some((re) => re.test(text))) return;
    this.consoleErrors.push(`[${device}] ${text}`);
  }

  async closeBrowser(context) {
    this.contexts = this.contexts.filter((c) => c !== context);
    await context.close();
  }

  async cleanup() {
    for (const c of this.contexts) await c.close().catch(() => {});
    this.contexts = [];
    if (this.server && this.server.exitCode === null) {
      this.server.kill('SIGTERM');
      await new Promise((r) => { const t = setTimeout(() => { this.server.kill('SIGKILL'); r(); }, 5000); this.server.once('exit', () => { clearTimeout(t); r(); }); });
    }
    if (!process.env.LIAISON_E2E_KEEP) rmSync(this.tmp, { recursive: true, force: true });
  }

  assertNoConsoleErrors() {
    check(this.consoleErrors.length === 0, `unexpected errors in the browser console:\n  ${this.consoleErrors.join('\n  ')}`);
  }
}

// ---- page helpers (what a person does) ---------------------------------------------------

export async function open(context, url, hash = '') {
  const page = context.pages()[0] || await context.newPage();
  await page.goto(url + '/' + hash);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  return page;
}

// The first screen after signing in: search, or the central workspace for central roles.
const HOME = 'main[data-view="search"], main[data-view="central"]';

// Signs in by typing the token, as someone given it on paper would.
export async function signInTyped(page, token) {
  await page.getByLabel('Device token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector(HOME, { timeout: 20000 });
}

// Opens the sign-in link the administrator hands out.
export async function signInLink(context, url, token) {
  const page = await open(context, url, `#token=${token}`);
  await page.waitForSelector(HOME, { timeout: 20000 });
  check(!page.url().includes('token='), `the token stayed in the address bar: ${page.url()}`);
  return page;
}

export async function waitServiceWorker(page) {
  await page.waitForSelector('body[data-sw="ready"]', { timeout: 20000 });
  // Controlled from the next load on; claim() makes it control this page too.
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 10000 });
}

export async function pending(page) {
  return Number(await page.getAttribute('#syncbar', 'data-pending'));
}

// Presses "Sync now" and waits until nothing is waiting and a sync has succeeded since.
export async function syncNow(page, timeout = 30000) {
  const before = Number(await page.getAttribute('#syncbar', 'data-last-sync')) || 0;
  await page.getByRole('button', { name: 'Sync now' }).click();
  try {
    await page.waitForFunction((b) => {
      const s = document.getElementById('syncbar');
      return s && Number(s.dataset.lastSync) > b && s.dataset.pending === '0' && s.dataset.syncing === '0';
    }, before, { timeout });
  } catch {
    const s = await page.evaluate(() => ({ ...document.getElementById('syncbar').dataset, text: document.getElementById('syncbar').textContent }));
    throw new TestFailure(`sync did not complete within ${timeout / 1000} s: ${JSON.stringify(s)}`);
  }
}

// Waits for the first sync after sign-in (the device's whole scope arrives).
export async function firstSync(page, timeout = 40000) {
  try {
    await page.waitForFunction(() => {
      const s = document.getElementById('syncbar');
      return s && Number(s.dataset.lastSync) > 0 && s.dataset.syncing === '0';
    }, null, { timeout });
  } catch {
    throw new TestFailure(`the first sync did not finish within ${timeout / 1000} s: ${await page.locator('#syncbar').textContent()}`);
  }
}

export async function search(page, text) {
  await page.goto(page.url().replace(/#.*$/, '') + '#/search');
  const box = page.getByRole('searchbox');
  await box.fill(text);
  await page.waitForFunction((q) => document.querySelector('[data-testid="search-results"]')?.dataset.query === q, text, { timeout: 10000 });
  return page.locator('[data-testid="search-results"] li a');
}

// Types the person's name in the search box and opens their card (the result that is them:
// two people may share a name).
export async function openCard(page, person) {
  const results = await search(page, person.name);
  const mine = results.and(page.locator(`a[href="#/card/${person.id}"]`));
  check(await mine.count() === 1, `searching "${person.name}" does not list them`);
  await mine.click();
  await page.waitForSelector('[data-testid="card-name"]', { timeout: 10000 });
}

export async function logContact(page, { touchpoint = 'In store', note, tone = 'Positive' } = {}) {
  await page.getByRole('link', { name: 'Log a contact' }).click();
  await page.waitForSelector('main[data-view="log"]');
  await page.getByLabel(touchpoint, { exact: true }).check();
  if (note !== undefined) await page.getByLabel('Note').fill(note);
  await page.getByLabel(tone, { exact: true }).check();
  await page.getByRole('button', { name: 'Save contact' }).click();
  await page.waitForSelector('main[data-view="card"] [data-testid="card-name"]', { timeout: 10000 });
}

// Calls the host client from the page (for reading state the screens do not show in full).
export async function hostCall(page, method, args) {
  return page.evaluate(async ([m, a]) => {
    const { connect } = await import('/host/client.js');
    const l = await connect();
    return l.call(m, a);
  }, [method, args]);
}

// The pages of the current screen must not scroll sideways (phone layout).
export async function assertNoHorizontalOverflow(page, what) {
  const o = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, w: window.innerWidth }));
  check(o.sw <= o.w, `${what}: the page is ${o.sw}px wide in a ${o.w}px window (it scrolls sideways)`);
}

// ---- event mode ----------------------------------------------------------------------------

export async function openEvent(page, eventName) {
  await page.getByRole('link', { name: 'Events' }).click();
  await page.waitForSelector('[data-testid="events"] li a', { timeout: 10000 });
  await page.locator('[data-testid="events"] li a', { hasText: eventName }).first().click();
  await page.waitForSelector('main[data-view="event"] [data-testid="checkin-count"][data-count]', { timeout: 10000 });
}

export async function checkinCount(page) {
  return Number(await page.getAttribute('[data-testid="checkin-count"]', 'data-count'));
}

async function waitCount(page, n, what) {
  await page.waitForFunction((k) => document.querySelector('[data-testid="checkin-count"]')?.dataset.count === String(k), n, { timeout: 10000 })
    .catch(async () => { throw new TestFailure(`${what}: the count shows ${await checkinCount(page)}, expected ${n}`); });
}

// Checks in a known person found by e-mail (unique, unlike names). With `next`, types the next
// guest's e-mail the moment "Check in" is pressed, as staff with a queue at the door do, and
// checks that what they typed is still there once the check-in is saved.
export async function checkInKnown(page, person, { next = null } = {}) {
  const before = await checkinCount(page);
  const box = page.getByLabel('Guest name, handle, e-mail or phone');
  if (await box.inputValue() !== person.email) await box.fill(person.email);
  await page.waitForFunction((q) => document.querySelector('[data-testid="guest-results"]')?.dataset.query === q, person.email, { timeout: 10000 })
    .catch(async () => { throw new TestFailure(`searching ${person.email}: the results never showed for it (the box holds "${await box.inputValue()}")`); });
  const button = page.getByRole('button', { name: `Check in: ${person.name}` });
  await button.first().waitFor({ timeout: 10000 }).catch(() => { throw new TestFailure(`no "Check in" button for ${person.name} <${person.email}>`); });
  await button.first().click();
  if (next) await box.fill(next.email);
  await waitCount(page, before + 1, `checking in ${person.name}`);
  if (next) {
    await page.waitForTimeout(200);  // lets the saved check-in's screen update land
    const held = await box.inputValue();
    check(held === next.email, `typing ${next.email} while ${person.name} was checked in: the search box now holds "${held}"`);
  }
}

// Presses Undo on a person's check-in in the list of arrivals, then "Yes, undo".
export async function undoCheckIn(page, person) {
  const before = await checkinCount(page);
  await page.getByRole('button', { name: `Undo check-in of ${person.name}` }).first().click();
  await page.getByRole('button', { name: `Yes, undo the check-in of ${person.name}` }).first().click();
  await waitCount(page, before - 1, `undoing ${person.name}'s check-in`);
}

// Registers a walk-in and checks them in; if likely duplicates are offered, says "none of these".
// doubleTap presses the button twice in quick succession, as a hurried finger on a slow tablet.
export async function registerWalkIn(page, { name, email }, { doubleTap = false } = {}) {
  const before = await checkinCount(page);
  const box = page.locator('[data-testid="walkin"]');
  if (!(await box.evaluate((d) => d.open))) await box.locator('summary').click();
  await box.getByLabel('Full name').fill(name);
  if (email) await box.getByLabel('E-mail').fill(email);
  const press = box.getByRole('button', { name: /Register and check in|None of these/ });
  await (doubleTap ? press.dblclick() : press.click());
  const none = box.getByRole('button', { name: /None of these/ });
  for (let i = 0; i < 100; i++) {
    const now = await checkinCount(page);
    if (now === before + 1) return;
    if (now > before + 1) throw new TestFailure(`walk-in ${name}: the count went from ${before} to ${now}, more than one check-in`);
    if (await none.isVisible()) { await none.click(); await waitCount(page, before + 1, `walk-in ${name}`); return; }
    await page.waitForTimeout(100);
  }
  throw new TestFailure(`walk-in ${name} was not checked in within 10 s`);
}

// Opens a person's card from the search screen by e-mail.
export async function openCardByEmail(page, person) {
  const results = await search(page, person.email);
  await results.first().click();
  await page.waitForSelector('[data-testid="card-name"]', { timeout: 10000 });
  const shown = await page.locator('[data-testid="card-name"]').textContent();
  check(shown === person.name, `searching ${person.email} opened ${shown}, not ${person.name}`);
}

// The timeline notes of a person, read through the host (faster than a screen per person).
export async function timelineTexts(page, id) {
  const r = await hostCall(page, 'card', { id });
  if (!r.ok || !r.value) return null;
  return r.value.timeline.map((e) => e.entry.summary || e.entry.note || '').filter(Boolean);
}

// How many times each needle (UTF-8) occurs in everything this origin keeps in IndexedDB
// (every database, every object store, every byte of every value) and in its private file
// system (every byte of every file: the SQLite file and its journal).
export async function storedOccurrences(page, needles) {
  return page.evaluate(async (words) => {
    const enc = new TextEncoder();
    const pats = words.map((w) => enc.encode(w));
    const counts = words.map(() => 0);
    let bytesSeen = 0;
    const scan = (u8) => {
      bytesSeen += u8.length;
      pats.forEach((p, k) => {
        outer: for (let i = 0; i + p.length <= u8.length; i++) {
          for (let j = 0; j < p.length; j++) if (u8[i + j] !== p[j]) continue outer;
          counts[k]++;
        }
      });
    };
    const visit = async (v, depth = 0) => {
      if (v == null || depth > 5) return;
      if (v instanceof ArrayBuffer) scan(new Uint8Array(v));
      else if (ArrayBuffer.isView(v)) scan(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      else if (v instanceof Blob) scan(new Uint8Array(await v.arrayBuffer()));
      else if (typeof v === 'string') scan(enc.encode(v));
      else if (typeof v === 'object') for (const x of Object.values(v)) await visit(x, depth + 1);
    };
    const req = (r) => new Promise((res, rej) => { r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
    for (const info of await indexedDB.databases()) {
      const db = await req(indexedDB.open(info.name));
      for (const store of db.objectStoreNames) {
        const values = await req(db.transaction(store, 'readonly').objectStore(store).getAll());
        for (const v of values) await visit(v);
      }
      db.close();
    }
    const walk = async (dir) => {
      for await (const entry of dir.values()) {
        if (entry.kind === 'directory') await walk(entry);
        else scan(new Uint8Array(await (await entry.getFile()).arrayBuffer()));
      }
    };
    await walk(await navigator.storage.getDirectory());
    return { counts, bytesSeen };
  }, needles);
}

// The central team erases a person: the REST endpoint when the server has it, else an erase
// operation pushed through the sync API with a central token (what the central app does).
export async function eraseCentrally(hx, id) {
  const rest = await hx.api('POST', `/api/v1/influencers/${id}/erase`, { role: 'central' });
  if (rest.status !== 404 && rest.status !== 405) {
    check(rest.status >= 200 && rest.status < 300, `POST /api/v1/influencers/${id}/erase answered ${rest.status}: ${rest.text.slice(0, 300)}`);
    return 'rest';
  }
  const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const replica = Array.from({ length: 26 }, (_, i) => crockford[i === 0 ? Math.floor(Math.random() * 8) : Math.floor(Math.random() * 32)]).join('');
  const hlc = (BigInt(Date.now()) << 16n).toString(16).padStart(16, '0');
  const push = { protocol: 3, schema_version: recordModelVersion(), replica, cursor: 0, client_hlc: Number(BigInt(`0x${hlc}`)), page_limit: 1,
    ops: [{ id: `${hlc}-${replica}`, type: 'erase', kind: 'influencer', entity: id, actor: '' }] };
  const r = await hx.api('POST', '/api/v1/sync', { role: 'central', body: push });
  check(r.status === 200, `erase through /api/v1/sync answered ${r.status}: ${r.text.slice(0, 300)}`);
  const result = r.json && r.json.results && r.json.results[0];
  check(result && /accepted|erased/.test(JSON.stringify(result)), `the server did not accept the erase: ${JSON.stringify(result)}`);
  return 'sync';
}

// Every form control on screen has a label a screen reader reads, and every button a name.
export async function assertLabelled(page, what) {
  const bad = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
      if (el.closest('[hidden]') || el.type === 'hidden') continue;
      const named = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
        || ((el.tagName === 'BUTTON' || el.tagName === 'A') && el.textContent.trim());
      if (!named) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
  check(bad.length === 0, `${what}: controls without a label: ${bad.join(' ')}`);
}

// Every visible piece of text on the screen reaches WCAG 2 AA contrast against the background
// it is drawn on: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). The background is
// found by blending the elements behind the text up to the page; text over an image or a
// gradient, and disabled controls (exempt in WCAG), are skipped.
export async function assertContrast(page, what) {
  const bad = await page.evaluate(() => {
    const rgba = (c) => {
      const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(c);
      if (!m) throw new Error(`a colour the contrast check cannot read: ${c}`);
      return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
    };
    const over = (top, under) => {  // top blended over an opaque colour
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
    };
    const luminance = (c) => {
      const [r, g, b] = c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    // The opaque colour behind an element: its own background and its ancestors', blended.
    const backdrop = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.backgroundImage !== 'none') return null;
        const c = rgba(s.backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] === 1) break;
      }
      let bg = [255, 255, 255, 1];  // the canvas
      for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
      return bg;
    };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
      const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())
        || (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) && el.type !== 'checkbox' && el.type !== 'radio' && el.value);
      if (!ownText || el.closest('[disabled], [aria-disabled="true"], [hidden]')) continue;
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || s.visibility !== 'visible' || r.right < 0 || r.bottom < 0) continue;
      const bg = backdrop(el);
      if (!bg) continue;
      const fg = over(rgba(s.color), bg);
      const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      const need = large ? 3 : 4.5;
      if (ratio < need) out.push(`"${(el.value || el.textContent).trim().slice(0, 40)}" ${s.color} on rgb(${bg.slice(0, 3).map(Math.round)}) = ${ratio.toFixed(2)}:1 (needs ${need})`);
    }
    return out;
  });
  check(bad.length === 0, `${what}: text below AA contrast: ${bad.slice(0, 8).join('; ')}`);
}

// ---- the app's versions -----------------------------------------------------------------

// Serves a copy of the app this flow may change (the server restarts on it); returns its path.
export async function serveCopy(hx) {
  const copy = join(hx.tmp, 'app');
  cpSync(hx.appDir, copy, { recursive: true });
  hx.appDir = copy;
  hx.server.kill();
  await new Promise((resolve) => hx.server.once('exit', resolve));
  await hx.startServer();
  return copy;
}

// What a new build changes for the browser: sw.js (its version, the hash of the app's files).
export function publishNewBuild(app, from, to) {
  const sw = join(app, 'sw.js');
  const text = readFileSync(sw, 'utf8');
  check(text.includes(`"version":"${from}"`), `sw.js does not carry the version ${from}`);
  writeFileSync(sw, text.replace(`"version":"${from}"`, `"version":"${to}"`));
  for (const ext of ['.gz', '.br']) rmSync(sw + ext, { force: true }); // else the old one is served
}

// The app versions cached in the page's browser, oldest name first.
export const appVersions = (page) => page.evaluate(() => caches.keys().then((k) => k.filter((n) => n.startsWith('liaison-app-')).sort()));

// A pass-through proxy to `target` (the flow's server) that logs every request it forwards.
// While `refuse` is above zero, the next binary push has the record model's version it names
// set to 0 on the way: the real server then answers it upgrade_required (426), as it answers
// an app older than itself. One build of the app thus plays the older and the newer version;
// what the server judges is that number (little-endian, before protocol 3's groups:
// docs/SYNC.md "Versions").
export async function startVersionProxy(target) {
  const proxy = { refuse: 0, log: [], url: null, server: null };
  proxy.server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      const push = req.method === 'POST' && req.url.startsWith('/api/v1/sync') &&
        String(req.headers['content-type']).startsWith('application/x-liaison') && body.length > 8 && body[1] >= 2;
      const rewritten = push && proxy.refuse > 0;
      if (rewritten) {
        proxy.refuse--;
        // Protocol 3 ends with the push's groups (a count, then 8 bytes each, docs/SYNC.md
        // G1): the record model's version comes just before them.
        let k = 0;
        while (8 * k + 8 <= body.length && body.readUInt32LE(body.length - 8 * k - 4) !== k) k++;
        body.writeUInt32LE(0, body[1] >= 3 ? body.length - 8 * k - 8 : body.length - 4);
      }
      const headers = { ...req.headers, host: new URL(target).host, 'content-length': String(body.length) };
      const up = http.request(new URL(req.url, target), { method: req.method, headers }, (answer) => {
        proxy.log.push({ method: req.method, path: req.url, status: answer.statusCode, rewritten });
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      up.on('error', (e) => { res.writeHead(502); res.end(String(e)); });
      up.end(body);
    });
  });
  await new Promise((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${proxy.server.address().port}`;
  return proxy;
}
