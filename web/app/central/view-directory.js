// The central directory (docs/WORKSPACE.md): every influencer of the caller's scope in a table
// the server filters, sorts and pages (GET /api/v1/directory); saved views on this device; a
// bulk owner assignment written as the same operations as any other edit (PATCH through the
// REST API, merged by the hub, pulled by every device); the current view as a CSV file.
//
// The filters live in the address (#/central?tier=top&sort=-audience…), so a view is a link,
// and the browser's back button goes back to the previous one.
import { h, fill, field, debounce, select, uid } from '../common/dom.js';
import { t, label, formatNumber, formatDate } from '../common/i18n.js';
import { CHOICES } from '../common/choices.js';
import { refs } from './refs.js';
import { inviteControl } from './view-events.js';

const PAGE = 50;
const REFRESH_MS = 10000;
const LISTS = [ // checkbox groups: [parameter, label key, values, label prefix]
  ['tier', 'dir.tier', CHOICES['influencer.tier'], 'tier'],
  ['role', 'dir.role', CHOICES['influencer.roles'], 'role'],
  ['status', 'dir.status', CHOICES['influencer.status'], 'status'],
  ['consent_basis', 'dir.consentBasis', CHOICES['influencer.consent_basis'], 'basis'],
  ['vetting', 'dir.vetting', CHOICES['influencer.vetting'], 'vetting'],
];
const TEXTS = [['q', 'dir.q', 'search'], ['country', 'dir.country', 'text'], ['language', 'dir.language', 'text'],
  ['topic', 'dir.topic', 'text'], ['audience_min', 'dir.audienceMin', 'number'],
  ['contact_before', 'dir.contactBefore', 'date'], ['contact_after', 'dir.contactAfter', 'date']];
const REFS = [['owner', 'dir.owner', 'staff'], ['region', 'dir.region', 'regions'], ['store', 'dir.store', 'stores'], ['brand', 'dir.brand', 'brands']];
const PARAMS = ['q', 'tier', 'role', 'status', 'consent_basis', 'vetting', 'country', 'language', 'topic', 'platform',
  'audience_min', 'owner', 'region', 'store', 'brand', 'contact_before', 'contact_after'];
const COLUMNS = [ // [key, sort or null]
  ['name', 'name'], ['tier', 'tier'], ['roles', null], ['country', null], ['audience', 'audience'], ['owner', null],
  ['status', null], ['vetting', null], ['place', null], ['lastContact', 'last_contact'], ['contacts', 'contacts'],
];

function viewsKey(app) {
  return `liaison.views.${(app.status && app.status.user && app.status.user.id) || 'anyone'}`;
}
function loadViews(app) {
  try { return JSON.parse(localStorage.getItem(viewsKey(app)) || '[]').filter((v) => v && typeof v.name === 'string' && typeof v.query === 'string'); }
  catch { return []; }
}
function storeViews(app, views) {
  try { localStorage.setItem(viewsKey(app), JSON.stringify(views)); } catch { /* not remembered */ }
}

export function directoryView(app, route) {
  const params = new URLSearchParams(route.query || '');
  const state = {
    filters: Object.fromEntries(PARAMS.filter((p) => params.get(p)).map((p) => [p, params.get(p)])),
    sort: params.get('sort') || 'name',
    offset: Math.max(0, Number(params.get('offset')) || 0),
    selected: new Map(), // id -> name
    page: null,
    names: {},
  };
  let seq = 0; // answers to older requests are dropped
  let lastLoad = 0; // when the last request was sent (refresh)

  const status = h('p', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'dir-count' });
  const errorBox = h('div', { class: 'error', role: 'alert', hidden: true });
  const table = h('table', { class: 'grid', 'data-testid': 'dir-table' });
  const pager = h('div', { class: 'actions pager' });
  const bulk = h('div', { class: 'bulk', 'data-testid': 'dir-bulk' });
  const viewsBox = h('div', { class: 'views' });

  function query(extra = {}) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(state.filters)) if (v !== '' && v != null) q.set(k, v);
    if (state.sort !== 'name') q.set('sort', state.sort);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    return q.toString();
  }

  // The address says what is shown, without a new history entry per keystroke.
  function remember() {
    // Not once the person has gone to another screen (an answer may come after she left).
    if (!/^(#\/?|#\/central(\/no-owner)?)?(\?|$)/.test(location.hash)) return;
    const q = query(state.offset ? { offset: state.offset } : {});
    history.replaceState(null, '', `#/central${q ? `?${q}` : ''}`);
  }

  async function load() {
    const mine = ++seq;
    lastLoad = Date.now();
    remember();
    status.textContent = t('dir.count', { from: '…', to: '…', total: '…' });
    table.setAttribute('aria-busy', 'true');
    const r = await app.call('api', { path: `/api/v1/directory?${query({ limit: PAGE, offset: state.offset })}` });
    if (mine !== seq) return;
    table.removeAttribute('aria-busy');
    if (!r.ok) {
      errorBox.hidden = false;
      errorBox.textContent = r.code === 'offline' ? t('ws.offline') : app.errorText(r);
      status.textContent = '';
      return;
    }
    errorBox.hidden = true;
    state.page = r.value.body;
    state.names = { ...state.names, ...state.page.names };
    drawTable();
  }
  const loadSoon = debounce(() => { state.offset = 0; load(); }, 250);

  function nameOf(id) { return id ? state.names[id] || '' : ''; }

  function drawTable() {
    const page = state.page;
    const total = page.total;
    status.textContent = total === 0 ? t('dir.none')
      : t('dir.count', { from: formatNumber(state.offset + 1), to: formatNumber(state.offset + page.items.length), total: formatNumber(total) });
    status.dataset.total = String(total);
    const pageIds = page.items.map((p) => p.id);
    const allOnPage = pageIds.length > 0 && pageIds.every((id) => state.selected.has(id));
    const head = h('tr', {},
      h('th', { scope: 'col' }, h('input', {
        type: 'checkbox', checked: allOnPage, 'aria-label': t('dir.selectPage'), 'data-testid': 'dir-select-page',
        onchange: (e) => {
          for (const p of page.items) if (e.target.checked) state.selected.set(p.id, p.name); else state.selected.delete(p.id);
          drawTable(); drawBulk();
        },
      })),
      COLUMNS.map(([key, sort]) => {
        const text = t(`dir.col.${key}`);
        if (!sort) return h('th', { scope: 'col' }, text);
        const current = state.sort.replace(/^-/, '') === sort;
        const descending = current && state.sort.startsWith('-');
        return h('th', { scope: 'col', 'aria-sort': current ? (descending ? 'descending' : 'ascending') : 'none' },
          h('button', {
            type: 'button', class: 'sort', 'aria-label': t('dir.sortBy', { column: text }), 'data-sort': sort,
            // The order at the click, not at the drawing: a second click before the first
            // one's answer redraws the header still turns the order round.
            onclick: () => { state.sort = state.sort === sort ? `-${sort}` : sort; state.offset = 0; load(); },
          }, text, current ? (descending ? ' ▼' : ' ▲') : ''));
      }));
    const rows = page.items.map((p) => h('tr', { 'data-id': p.id },
      h('td', {}, h('input', {
        type: 'checkbox', checked: state.selected.has(p.id), 'aria-label': t('dir.select', { name: p.name }),
        onchange: (e) => { if (e.target.checked) state.selected.set(p.id, p.name); else state.selected.delete(p.id); drawBulk(); },
      })),
      h('td', {}, h('a', { href: `#/central/person/${encodeURIComponent(p.id)}` }, p.name)),
      h('td', {}, p.tier ? label('tier', p.tier) : ''),
      h('td', {}, p.roles.map((r) => label('role', r)).join(', ')),
      h('td', {}, p.country || ''),
      h('td', { class: 'num' }, p.audience ? formatNumber(p.audience, true) : ''),
      h('td', { 'data-col': 'owner' }, nameOf(p.owner)),
      h('td', {}, p.status ? label('status', p.status) : ''),
      h('td', {}, p.vetting ? label('vetting', p.vetting) : ''),
      h('td', {}, [nameOf(p.region), nameOf(p.store)].filter(Boolean).join(' · ')),
      h('td', {}, p.last_contact ? formatDate(p.last_contact) : t('dir.never')),
      h('td', { class: 'num' }, formatNumber(p.contacts))));
    fill(table, h('caption', { class: 'visually-hidden' }, t('dir.title')), h('thead', {}, head), h('tbody', {}, rows));
    fill(pager,
      h('button', { type: 'button', class: 'secondary', disabled: state.offset === 0,
        onclick: () => { state.offset = Math.max(0, state.offset - PAGE); load(); } }, t('dir.prev')),
      h('button', { type: 'button', class: 'secondary', disabled: page.next_offset === null, 'data-testid': 'dir-next',
        onclick: () => { state.offset = page.next_offset; load(); } }, t('dir.next')));
  }

  // ---- Filters ----
  const form = h('form', { class: 'filters', 'aria-label': t('dir.filters'), onsubmit: (e) => { e.preventDefault(); state.offset = 0; load(); } });
  function setFilter(name, value) {
    if (value === '' || value == null) delete state.filters[name]; else state.filters[name] = value;
  }
  function drawFilters() {
    const groups = LISTS.map(([name, key, values, prefix]) => {
      const chosen = new Set((state.filters[name] || '').split(',').filter(Boolean));
      return h('fieldset', { class: 'checks' }, h('legend', {}, t(key)),
        values.map((v) => h('label', {}, h('input', {
          type: 'checkbox', name, value: v, checked: chosen.has(v),
          onchange: () => {
            const now = [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
            setFilter(name, now.join(',')); loadSoon();
          },
        }), label(prefix, v))));
    });
    const inputs = TEXTS.map(([name, key, type]) => {
      const input = h('input', { type, name, value: state.filters[name] || '', min: type === 'number' ? 0 : null, autocomplete: 'off' });
      input.addEventListener(type === 'date' ? 'change' : 'input', () => { setFilter(name, input.value.trim()); loadSoon(); });
      return field(t(key), input);
    });
    const platform = select(CHOICES['content.platform'], (v) => v, state.filters.platform || '', t('dir.any'));
    platform.name = 'platform';
    platform.addEventListener('change', () => { setFilter('platform', platform.value); loadSoon(); });
    const refSelects = REFS.map(([name, key, collection]) => {
      const sel = h('select', { name }, h('option', { value: '' }, name === 'owner' ? t('dir.ownerAny') : t('dir.any')));
      if (name === 'owner') sel.append(h('option', { value: 'none' }, t('dir.ownerNone')), h('option', { value: 'me' }, t('dir.ownerMe')));
      refs(app, collection).then((r) => {
        if (!r.ok) return;
        for (const item of r.value) {
          state.names[item.id] = item.name;
          sel.append(h('option', { value: item.id }, item.name || item.id));
        }
        sel.value = state.filters[name] || '';
      });
      sel.value = state.filters[name] || '';
      sel.addEventListener('change', () => { setFilter(name, sel.value); loadSoon(); });
      return field(t(key), sel);
    });
    fill(form, inputs.slice(0, 1), refSelects, groups, inputs.slice(1), field(t('dir.platform'), platform),
      h('div', { class: 'actions' }, h('button', {
        type: 'button', class: 'secondary',
        onclick: () => { state.filters = {}; state.offset = 0; drawFilters(); load(); },
      }, t('dir.clear'))));
  }

  // ---- Saved views (this device, this user) ----
  function drawViews() {
    const views = loadViews(app);
    const nameInput = h('input', { type: 'text', maxlength: 60, autocomplete: 'off' });
    const msg = h('p', { class: 'hint', 'aria-live': 'polite' });
    fill(viewsBox, h('h2', {}, t('dir.views')),
      views.length ? h('ul', { class: 'plain' }, views.map((v, i) => h('li', {},
        h('button', { type: 'button', class: 'linkish', onclick: () => app.navigate(`/central?${v.query}`) }, v.name), ' ',
        h('button', { type: 'button', class: 'secondary small', 'aria-label': `${t('dir.deleteView')} ${v.name}`,
          onclick: () => { views.splice(i, 1); storeViews(app, views); drawViews(); } }, t('dir.deleteView'))))) : h('p', { class: 'hint' }, t('dir.noViews')),
      h('form', { onsubmit: (e) => {
        e.preventDefault();
        const name = nameInput.value.trim();
        if (!name) { msg.textContent = t('dir.viewNameMissing'); nameInput.focus(); return; }
        storeViews(app, [...views.filter((v) => v.name !== name), { name, query: query() }]);
        drawViews();
        app.toast(t('dir.viewSaved', { name }));
      } }, field(t('dir.viewName'), nameInput), h('button', { type: 'submit', class: 'secondary' }, t('dir.saveView')), msg));
  }

  // ---- Bulk owner assignment ----
  const ownerSel = h('select', { 'data-testid': 'dir-owner' }, h('option', { value: '' }, '—'));
  refs(app, 'staff').then((r) => { if (r.ok) for (const s of r.value) ownerSel.append(h('option', { value: s.id }, s.name || s.id)); });
  const bulkMsg = h('p', { 'aria-live': 'polite', 'data-testid': 'dir-bulk-status' });
  ownerSel.id = uid('owner');
  async function assign() {
    const owner = ownerSel.value;
    if (!owner) { bulkMsg.textContent = t('dir.pickOwner'); ownerSel.focus(); return; }
    const ids = [...state.selected.keys()];
    let done = 0, failed = 0, lastError = null;
    for (const id of ids) {
      bulkMsg.textContent = t('dir.assigning', { done, n: ids.length });
      const r = await app.call('api', { method: 'PATCH', path: `/api/v1/influencers/${encodeURIComponent(id)}`, body: { owner } });
      if (r.ok) { done += 1; state.selected.delete(id); } else { failed += 1; lastError = r; }
    }
    bulkMsg.textContent = failed ? t('dir.assignedSome', { done, n: ids.length, failed, message: app.errorText(lastError) })
      : t('dir.assigned', { n: done });
    bulkMsg.dataset.done = String(done);
    drawBulk(false);
    load();
  }
  const inviteBox = inviteControl(app, () => state.selected.keys(), () => {});
  function drawBulk(clearMessage = true) {
    const n = state.selected.size;
    if (clearMessage && n) bulkMsg.textContent = '';
    fill(bulk,
      h('p', { 'data-testid': 'dir-selected', 'data-n': String(n) }, n ? t('dir.selected', { n: formatNumber(n) }) : t('dir.selectedNone')),
      n ? [h('label', { for: ownerSel.id }, t('dir.assignTo')), ownerSel,
        h('button', { type: 'button', onclick: assign, 'data-testid': 'dir-assign' }, t('dir.assign')),
        h('button', { type: 'button', class: 'secondary', onclick: () => { state.selected.clear(); drawBulk(); drawTable(); } }, t('dir.clearSelection')),
        inviteBox] : null,
      bulkMsg);
  }

  // ---- CSV of the view ----
  async function exportCsv(button) {
    button.disabled = true;
    const before = button.textContent;
    button.textContent = t('dir.exporting');
    const r = await app.call('api', { path: `/api/v1/directory?${query({ format: 'csv' })}` });
    button.disabled = false;
    button.textContent = before;
    if (!r.ok) { app.toast(app.errorText(r)); return; }
    const url = URL.createObjectURL(new Blob([r.value.body], { type: 'text/csv;charset=utf-8' }));
    const a = h('a', { href: url, download: 'influencers.csv', hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }
  const exportButton = h('button', { type: 'button', class: 'secondary', 'data-testid': 'dir-export', onclick: () => exportCsv(exportButton) }, t('dir.export'));

  drawFilters();
  drawViews();
  drawBulk();
  load();

  const el = h('section', { class: 'workspace', 'aria-labelledby': 'dir-h' },
    h('h1', { id: 'dir-h' }, t('dir.title')),
    h('div', { class: 'ws-columns' },
      h('aside', { class: 'ws-side' }, form, viewsBox),
      h('div', { class: 'ws-main' }, h('div', { class: 'actions' }, status, exportButton), errorBox, bulk,
        h('div', { class: 'table-scroll' }, table), pager)));
  // The app calls refresh() when the device's database changed — on every page of a sync. The
  // directory is the server's: it is asked again at most every REFRESH_MS, never while an
  // answer is awaited (which a newer request would otherwise drop).
  const refresh = () => {
    if (table.hasAttribute('aria-busy') || Date.now() - lastLoad < REFRESH_MS) return;
    load();
  };
  return { el, refresh };
}
