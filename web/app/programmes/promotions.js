// A campaign's product category and the condition the central team attests for it
// (docs/COMPLIANCE.md, "Promotions"). The categories come from the server's promotions table
// (GET /api/v1/compliance/promotions), never from a list kept here, so an edited table reaches
// the form without a change to the app. The category stays free text ("Parfums"): the
// table's ids are offered in a datalist, and the issues read a category the table names,
// whatever its case. When the category is a restricted one, its condition is offered to attest
// (campaign.promotion_condition); the hub refuses a condition the table does not name.
import { h, field, uid } from '../common/dom.js';
import { t, label } from '../common/i18n.js';

let table = null; // the promise of the table, asked once per page

function promotions(app) {
  if (!table) {
    table = app.call('api', { path: '/api/v1/compliance/promotions' }).then((r) => (r.ok ? r.value.body : null));
    table.then((v) => { if (!v) table = null; }); // an offline answer: ask again next time
  }
  return table;
}

// The table's entry for a typed category (trimmed, any case), or null.
function entryOf(tbl, text) {
  const id = (text || '').trim().toLowerCase();
  return (tbl && tbl.categories.find((c) => c.category === id)) || null;
}

export const categoryName = (id) => label('pg.promo', id);
export const conditionName = (id) => label('pg.promoCondition', id);

// The two fields, as forms.js's constructors make them: [product_category, promotion_condition].
export function promotionFields(app) {
  const listId = uid('promotions');
  const input = h('input', { list: listId, autocomplete: 'off', maxlength: 120, 'data-field': 'product_category' });
  const list = h('datalist', { id: listId });
  const verdict = h('p', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'promotion-verdict' });
  const attest = h('input', { type: 'checkbox', 'data-field': 'promotion_condition' });
  const attestText = h('span', {});
  const attestWrap = h('div', { class: 'field', hidden: true, 'data-testid': 'promotion-attest' }, h('label', {}, attest, ' ', attestText));
  let tbl = null, kept = null; // kept: the condition the campaign holds, left as it is unless asked
  function sync() {
    const e = entryOf(tbl, input.value);
    verdict.dataset.status = e ? e.status : '';
    verdict.textContent = !e ? '' : e.status === 'prohibited'
      ? t('pg.promoProhibited', { market: tbl.market }) : t('pg.promoRestricted', { market: tbl.market });
    attestWrap.hidden = !(e && e.status === 'restricted');
    if (e && e.condition) attestText.textContent = t('pg.promoAttest', { condition: conditionName(e.condition) });
  }
  promotions(app).then((v) => {
    tbl = v;
    if (!tbl) return;
    for (const c of tbl.categories) list.append(h('option', { value: c.category }, categoryName(c.category)));
    attest.checked = !!kept && !!entryOf(tbl, input.value) && entryOf(tbl, input.value).condition === kept;
    sync();
  });
  input.addEventListener('input', sync);
  const category = {
    name: 'product_category', el: input, wrap: h('div', {}, field(t('pg.f.product_category'), input, t('pg.promoHint')), list, verdict),
    get: () => { const v = input.value.trim(); return v === '' ? null : v; },
    show: (e) => { input.value = e.product_category ?? ''; sync(); },
  };
  const condition = {
    name: 'promotion_condition', el: attest, wrap: attestWrap,
    // Only a restricted category's box says anything; elsewhere the stored value stays.
    get: () => {
      const e = entryOf(tbl, input.value);
      if (!e || e.status !== 'restricted') return kept;
      return attest.checked ? e.condition : null;
    },
    show: (e) => {
      kept = e.promotion_condition ?? null;
      const entry = entryOf(tbl, e.product_category);
      attest.checked = !!kept && !!entry && entry.condition === kept;
    },
  };
  return [category, condition];
}
