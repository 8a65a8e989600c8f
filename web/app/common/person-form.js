// The form that registers a person (the "new influencer" screen and event walk-ins).
// While the person types, likely duplicates (same handle, e-mail, phone, similar name) are
// looked up and offered; pressing create with duplicates on screen asks once more, so
// nobody creates a second record without seeing the first. A second press while the first
// is being handled (a double tap on a slow tablet) does nothing, and a look-up that answers
// after the form changed (or was cleared by a create) is dropped, not shown.
import { h, fill, field, select, debounce } from './dom.js';
import { t, label } from './i18n.js';
import { personSummary, deviceCountry } from './people.js';
import { CHOICES, LIMITS } from './choices.js';
import { countedField, checkLimits, clearInvalid, markInvalid, refusalText, showRefusal } from './refusal.js';

const PLATFORMS = CHOICES['content.platform'];
const TIERS = CHOICES['influencer.tier'];

// Options:
//   submitLabel       text of the create button
//   scopeFields()     fields that attach the person to a place ({store, region, brand})
//   pickLabel, onPick(dup)   the action offered on each duplicate
//   onCreated(id, name, value)   after a successful create (value: createInfluencer's)
//   createArgs()      more arguments of createInfluencer (a walk-in's check_in_event: one
//                     action, docs/SYNC.md G1)
export function personForm(app, opts) {
  const name = h('input', { type: 'text', name: 'name', required: true, autocomplete: 'off' });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'off' });
  const phone = h('input', { type: 'tel', name: 'phone', autocomplete: 'off' });
  const platform = select(PLATFORMS, (v) => v, 'instagram');
  const handle = h('input', { type: 'text', name: 'handle', 'data-field': 'handles', autocomplete: 'off', spellcheck: 'false' });
  const audience = h('input', { type: 'number', name: 'audience', 'data-field': 'handles', min: '0', step: '1', inputmode: 'numeric' });
  const tier = select(TIERS, (v) => label('tier', v), '', t('new.choose'));
  const dupBox = h('div', { 'aria-live': 'polite', 'data-testid': 'duplicates' });
  const msg = h('div', { role: 'alert' });
  const create = h('button', { type: 'submit' }, opts.submitLabel);
  let dups = [];
  let confirmed = false;
  let edits = 0;      // bumped by every edit and by the clear after a create
  let busy = false;   // a press is being handled

  function handleValue() {
    const hv = handle.value.trim().replace(/^@/, '');
    return hv ? `${platform.value}:${hv}:${Math.max(0, Math.floor(Number(audience.value) || 0))}` : null;
  }

  function probe() {
    const q = {};
    if (name.value.trim()) q.name = name.value.trim();
    if (email.value.trim()) q.email = email.value.trim();
    if (phone.value.trim()) q.phone = phone.value.trim();
    const hv = handleValue();
    if (hv) q.handles = [hv];
    return q;
  }

  // Shows the likely duplicates of what the form holds; null when the form changed while
  // they were looked up (the answer is about content no longer there).
  async function checkDuplicates() {
    const q = probe();
    const asked = edits;
    const r = Object.keys(q).length ? await app.call('duplicates', { ...q, country: deviceCountry() }) : { ok: true, value: [] };
    if (asked !== edits) return null;
    dups = r.ok ? r.value : [];
    renderDups();
    return dups;
  }

  function renderDups() {
    if (!dups.length) { fill(dupBox); confirmed = false; create.textContent = opts.submitLabel; return; }
    fill(dupBox, h('h2', {}, t('new.dups')),
      h('ul', { class: 'results' }, dups.map((d) => h('li', {}, h('div', { class: 'item' },
        personSummary(d),
        h('span', { class: 'meta' }, (d.reasons || []).map((x) => t(`dup.${x}`)).join(', ')),
        h('button', { type: 'button', class: 'secondary push', onclick: () => opts.onPick(d) }, opts.pickLabel))))));
    create.textContent = t('new.createAnyway');
  }

  const later = debounce(checkDuplicates, 250);
  const edited = () => { edits++; confirmed = false; later(); };
  for (const el of [name, email, phone, handle]) el.addEventListener('input', edited);
  platform.addEventListener('change', edited);

  async function submit(e) {
    e.preventDefault();
    if (busy) return;
    busy = true;
    create.disabled = true;
    try {
      await save();
    } finally {
      busy = false;
      create.disabled = false;
    }
  }

  async function save() {
    msg.className = ''; msg.textContent = '';
    clearInvalid(el);
    if (!name.value.trim()) { markInvalid(name, refusalText('name', 'required')); return; }
    if (!checkLimits(el)) return;
    if (!confirmed) {
      const found = await checkDuplicates();
      if (found === null) return;  // edited meanwhile: the next press checks the new content
      if (found.length) { confirmed = true; dupBox.querySelector('button')?.focus(); return; }
    }
    const doc = { name: name.value.trim(), ...opts.scopeFields() };
    if (email.value.trim()) doc.email = email.value.trim();
    if (phone.value.trim()) doc.phone = phone.value.trim();
    if (tier.value) doc.tier = tier.value;
    const hv = handleValue();
    if (hv) doc.handles = [hv];
    const r = await app.call('createInfluencer', { ...doc, ...(opts.createArgs ? opts.createArgs() : {}) });
    if (!r.ok) {
      if (!showRefusal(el, r)) { msg.className = 'error'; msg.textContent = app.errorText(r); }
      return;
    }
    const created = doc.name;
    for (const input of [name, email, phone, handle, audience]) { input.value = ''; input.refreshCount?.(); }
    tier.value = '';
    edits++;
    dups = []; renderDups();
    await opts.onCreated(r.value.id, created, r.value);
  }

  // novalidate: the app says what is wrong, in its language, next to the field (refusal.js).
  const el = h('form', { onsubmit: submit, novalidate: true, 'data-testid': 'person-form' },
    countedField(t('new.name'), name, LIMITS['influencer.name'], { always: false }),
    h('div', { class: 'row' }, countedField(t('new.email'), email, LIMITS['influencer.email'], { always: false }),
      countedField(t('new.phone'), phone, LIMITS['influencer.phone'], { always: false })),
    h('div', { class: 'row' }, field(t('new.platform'), platform), field(t('new.handle'), handle), field(t('new.audience'), audience)),
    field(t('new.tier'), tier),
    dupBox, msg,
    h('div', { class: 'actions' }, create));
  return { el, focus: () => name.focus() };
}

// Fields that attach a person made on this device to its place: the signed-in user's first
// store (or region) when the scope names one; nothing for a global scope.
export function userScopeFields(app) {
  const scope = (app.status && app.status.user && app.status.user.scope) || {};
  const out = {};
  if (scope.stores && scope.stores.length) out.store = scope.stores[0];
  if (scope.regions && scope.regions.length) out.region = scope.regions[0];
  // A person with no brand is in no brand's directory (docs/SYNC.md D1): a store's user gets
  // her store's brand.
  const brands = scope.brands && scope.brands.length ? scope.brands : scope.directory_brands;
  if (brands && brands.length) out.brand = brands[0];
  return out;
}
