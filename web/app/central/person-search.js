// A person found by name, handle or e-mail in the directory (GET /api/v1/directory), for a
// workspace form: a new collaboration's person (web/app/programmes/), a vetting's or a
// request's (web/app/compliance/). `words(key, name)` gives the room's own words for the
// buttons ('choose') and the choice ('chosen'); `errorText(r)` a failed search's message.
import { h, fill } from '../common/dom.js';

export function personSearch(app, { testid, chosenTestid = `${testid}-chosen`, words, errorText }) {
  const el = h('input', { type: 'search', autocomplete: 'off', 'data-testid': `${testid}-q` });
  const hits = h('ul', { class: 'results', 'data-testid': `${testid}-hits` });
  const chosen = h('p', { 'data-testid': chosenTestid });
  let id = null, seq = 0, timer = null;
  async function search() {
    const mine = ++seq;
    const q = el.value.trim();
    if (q.length < 2) { fill(hits); return; }
    const r = await app.call('api', { path: `/api/v1/directory?q=${encodeURIComponent(q)}&limit=10` });
    if (mine !== seq) return;
    if (!r.ok) { fill(hits, h('li', {}, errorText(r))); return; }
    fill(hits, r.value.body.items.map((p) => h('li', {}, h('button', {
      type: 'button', class: 'linkish', onclick: () => { id = p.id; fill(chosen, words('chosen', p.name)); fill(hits); },
    }, words('choose', p.name)))));
  }
  el.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, 250); });
  return { el, hits, chosen, get: () => id };
}
