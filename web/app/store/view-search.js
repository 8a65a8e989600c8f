// Search as you type by name, handle, e-mail or phone; each result opens the card.
import { h, fill, field, debounce } from '../common/dom.js';
import { t } from '../common/i18n.js';
import { personSummary, liveSearch, looksLikeContact, deviceCountry } from '../common/people.js';

export function searchView(app) {
  const input = h('input', { type: 'search', name: 'q', autocomplete: 'off', autofocus: true, value: app.lastQuery || '' });
  const list = h('ul', { class: 'results', 'aria-label': t('search.title'), 'data-testid': 'search-results' });
  const info = h('p', { class: 'empty', 'aria-live': 'polite' });

  const item = (p, possible) => h('li', possible ? { 'data-possible': 'true' } : {},
    h('a', { class: 'item', href: `#/card/${encodeURIComponent(p.id)}` }, personSummary(p)),
    possible ? h('p', { class: 'hint' }, t('search.possible')) : null);
  const run = liveSearch(app, 30, async (r, text) => {
    if (r === null) { list.dataset.query = text; fill(list); info.textContent = t('search.hint'); return; }
    if (!r.ok) { list.dataset.query = text; fill(list); info.textContent = app.errorText(r); return; }
    // An e-mail or phone of a person held as a directory record matches only by digest (D4).
    let possible = [];
    if (looksLikeContact(text)) {
      const m = await app.call('possibleMatches', { text, country: deviceCountry() });
      const found = new Set(r.value.map((p) => p.id));
      if (m.ok) possible = m.value.filter((p) => !found.has(p.id));
    }
    if (text !== input.value && input.value.trim()) return;  // typed on meanwhile
    list.dataset.query = text;  // what the list shows results for (tests wait on it)
    info.textContent = r.value.length || possible.length ? '' : t('search.none', { q: text });
    fill(list, r.value.map((p) => item(p, false)), possible.map((p) => item(p, true)));
  });
  const later = debounce(() => run(input.value), 120);
  input.addEventListener('input', () => { app.lastQuery = input.value; later(); });
  run(input.value);

  const el = h('section', { 'aria-labelledby': 'search-h' },
    h('h1', { id: 'search-h' }, t('search.title')),
    h('form', { role: 'search', onsubmit: (e) => { e.preventDefault(); run(input.value); } }, field(t('search.label'), input)),
    info, list,
    h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: '#/new' }, t('search.new'))));
  return { el, refresh: () => run(input.value) };
}
