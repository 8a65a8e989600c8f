// Changes of this device that the server refused (the façade's `refusals`): whom each was
// about, what it changed, why it was refused — in the person's language — and the server's own
// words. The device has already undone them (docs/SYNC.md invariant 9): the screens show the
// record as the server holds it. "I have read this" empties the list.
import { h } from '../common/dom.js';
import { t, formatAgo } from '../common/i18n.js';
import { REASONS, refusalText } from '../common/refusal.js';

// What the refused change did, in words.
function whatText(r) {
  const fields = (r.fields || []).map((f) => t(`field.${f}`)).join(', ');
  if (r.type === 'create') return r.kind === 'influencer' ? t('refused.what.newPerson') : t('refused.what.newEntry');
  if (r.type === 'set' || r.type === 'add' || r.type === 'remove') return t('refused.what.edit', { fields: fields || '?' });
  return t(`refused.what.${r.type}`);
}

// Why, in the person's words: a refused value names its field; the server's scope and role
// rules say so plainly.
function whyText(r) {
  if (REASONS.includes(r.code) && r.fields && r.fields.length === 1) return refusalText(r.fields[0], r.code);
  if (['out_of_scope', 'forbidden', 'conflict', 'not_found'].includes(r.code)) return t(`refused.why.${r.code}`);
  return t('refused.why.other');
}

export function refusedView(app) {
  const list = h('ul', { class: 'refused', 'data-testid': 'refused-list' });
  const msg = h('div', { role: 'status' });
  const done = h('button', { type: 'button', disabled: true }, t('refused.dismiss'));

  app.call('refusals').then((r) => {
    if (!r.ok) { msg.className = 'error'; msg.textContent = app.errorText(r); return; }
    if (!r.value.length) { msg.textContent = t('refused.none'); return; }
    for (const item of r.value) {
      const who = item.label || t('refused.unnamed');
      const open = item.kind === 'influencer' ? h('a', { href: `#/card/${encodeURIComponent(item.id)}` }, who) : who;
      list.append(h('li', { 'data-code': item.code },
        h('p', { class: 'refused-what' }, h('strong', {}, open), ' — ', whatText(item)),
        h('p', {}, whyText(item)),
        h('p', { class: 'meta' }, t('refused.server', { message: item.message }), ' · ', formatAgo(item.at))));
    }
    done.disabled = false;
  });

  done.addEventListener('click', async () => {
    done.disabled = true;
    const r = await app.call('dismissRefusals');
    if (!r.ok) { msg.className = 'error'; msg.textContent = app.errorText(r); done.disabled = false; return; }
    await app.refreshStatus();
    app.navigate('/search');
  });

  const el = h('section', { 'aria-labelledby': 'refused-h' },
    h('h1', { id: 'refused-h' }, t('refused.title')),
    h('p', {}, t('refused.intro')),
    msg, list,
    h('div', { class: 'actions' }, done));
  return { el };
}
