// How a person is shown in lists (search results, check-in search, duplicates) and how a
// handle "platform:handle:audience" reads. Text only (see dom.js).
import { h } from './dom.js';
import { t, label, formatNumber } from './i18n.js';

export function parseHandle(s) {
  const parts = String(s).split(':');
  const audience = parts.length >= 3 ? Number(parts[parts.length - 1]) : NaN;
  const handle = parts.length >= 3 ? parts.slice(1, -1).join(':') : parts.slice(1).join(':');
  return { platform: parts[0], handle, audience: Number.isFinite(audience) ? audience : null };
}

// "@name (instagram, 12.5K followers)"
export function handleText(s, withAudience = true) {
  const p = parseHandle(s);
  const extra = [p.platform];
  if (withAudience && p.audience !== null) extra.push(t('audience', { n: formatNumber(p.audience, true) }));
  return `@${p.handle} (${extra.join(', ')})`;
}

// The name and a line of details of a search result {id, name, handles, email, phone, tier, status}.
export function personSummary(p) {
  const handles = Array.isArray(p.handles) ? p.handles : [];
  const meta = [handles.length ? handleText(handles[0], false) : null, p.email, p.phone].filter(Boolean).join(' · ');
  return [
    h('span', { class: 'name' }, p.name || '?'),
    p.tier ? h('span', { class: 'badge' }, label('tier', p.tier)) : null,
    p.status === 'do_not_contact' ? h('span', { class: 'badge bad' }, label('status', p.status)) : null,
    meta ? h('span', { class: 'meta' }, meta) : null,
  ];
}

// Runs `search` as the person types; `show(results, text)` receives only the latest answer.
export function liveSearch(app, limit, show) {
  let seq = 0;
  return async (text) => {
    const mine = ++seq;
    if (!text.trim()) { show(null, text); return; }
    const r = await app.call('search', { text, limit });
    if (mine !== seq) return;  // an older answer arriving late
    show(r, text);
  };
}

// The country a national phone number typed here is read in when the device's store names
// none (docs/SYNC.md D3: the façade prefers the store's): the region of the browser's language
// ("fr-FR" -> "FR"), else none (only international numbers match).
export function deviceCountry() {
  const m = /-([A-Za-z]{2})\b/.exec((typeof navigator !== 'undefined' && navigator.language) || '');
  return m ? m[1].toUpperCase() : '';
}

// Looks like an e-mail address or a phone number: worth asking for directory matches (D4).
export function looksLikeContact(text) {
  const v = String(text || '').trim();
  return v.includes('@') || (v.replace(/\D/g, '').length >= 7 && /^[+0-9 ().-]+$/.test(v));
}
