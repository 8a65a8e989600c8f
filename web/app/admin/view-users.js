// Users: the list (#/admin), adding one, and one user's role, scope, staff links and sign-in
// link (#/admin/user/<id>). Scope pickers list the server's regions, stores and brands.
import { h, fill } from '../common/dom.js';
import { t } from '../common/i18n.js';

const SCOPE_KINDS = ['regions', 'stores', 'brands'];

function labels() {
  return {
    name: t('admin.field.name'), role: t('admin.field.role'), regions: t('admin.field.regions'),
    stores: t('admin.field.stores'), brands: t('admin.field.brands'), disabled: t('admin.field.disabled'),
    staff: t('admin.field.staff'), device: t('admin.link.device'), minutes: t('admin.link.device'),
  };
}

// One page of a collection's entities ({id, name}), from the server.
async function names(ctx, collection) {
  const r = await ctx.api('GET', `/api/v1/${collection}?limit=500`);
  if (!r.ok) return r;
  return { ok: true, value: r.value.body.items.map((e) => ({ id: e.id, name: e.name || e.id })) };
}

// A fieldset of checkboxes, one per entity, `selected` ticked: {el, values()}.
function picker(name, legend, entities, selected) {
  const boxes = entities.map((e) => h('input', { type: 'checkbox', value: e.id, checked: selected.includes(e.id) }));
  const el = h('fieldset', { class: 'picker', 'data-field': name, 'data-testid': `pick-${name}` },
    h('legend', {}, legend),
    entities.length ? h('div', { class: 'choices' }, entities.map((e, i) => h('label', {}, boxes[i], e.name)))
      : h('p', { class: 'hint' }, t('admin.none')));
  // Ids the server lists no entity for (made on a device, not synced yet) are kept as they are.
  const unknown = selected.filter((id) => !entities.some((e) => e.id === id));
  return { el, values: () => [...unknown, ...boxes.filter((b) => b.checked).map((b) => b.value)] };
}

function roleSelect(ctx, current) {
  return h('select', { name: 'role', 'data-field': 'role' },
    ctx.roles.map((r) => h('option', { value: r, selected: r === current }, ctx.roleLabel(r))));
}

function scopeText(u) {
  if (u.role === 'admin' || u.role === 'central') return t('admin.scope.all');
  return t('admin.scope.counts', { regions: u.regions.length, stores: u.stores.length, brands: u.brands.length });
}

async function scopeChoices(ctx) {
  const out = {};
  for (const kind of SCOPE_KINDS) {
    const r = await names(ctx, kind);
    if (!r.ok) return r;
    out[kind] = r.value;
  }
  return { ok: true, value: out };
}

export function usersView(ctx) {
  const el = h('div', {}, ctx.loading());
  async function load() {
    const [users, choices] = [await ctx.api('GET', '/api/v1/admin/users'), await scopeChoices(ctx)];
    if (!users.ok) return fill(el, ctx.failed(users));
    if (!choices.ok) return fill(el, ctx.failed(choices));
    const rows = users.value.body.items.map((u) => h('tr', { 'data-user': String(u.id) },
      h('th', { scope: 'row' }, u.name),
      h('td', {}, ctx.roleLabel(u.role)),
      h('td', {}, scopeText(u)),
      h('td', {}, u.disabled ? t('admin.state.disabled') : t('admin.state.active')),
      h('td', {}, h('a', { href: `#/admin/user/${u.id}`, 'aria-label': t('admin.edit', { name: u.name }) }, t('admin.edit', { name: '' }).trim()))));
    fill(el,
      h('table', { class: 'admin-table', 'data-testid': 'admin-users' },
        h('caption', {}, t('admin.users.caption')),
        h('thead', {}, h('tr', {}, ['name', 'role', 'scope', 'state', 'actions'].map((c) => h('th', { scope: 'col' }, t(`admin.col.${c}`))))),
        h('tbody', {}, rows)),
      addForm(ctx, choices.value, load));
  }
  load();
  return { el, refresh: null };
}

function addForm(ctx, choices, reload) {
  const name = h('input', { name: 'name', 'data-field': 'name', autocomplete: 'off', maxlength: 200 });
  const role = roleSelect(ctx, 'store');
  const pickers = Object.fromEntries(SCOPE_KINDS.map((k) => [k, picker(k, t(`admin.field.${k}`), choices[k], [])]));
  const msg = h('div', {});
  const form = h('form', { 'data-testid': 'admin-add-user', onsubmit: submit },
    h('h2', {}, t('admin.add.title')),
    ctx.field(t('admin.field.name'), name), ctx.field(t('admin.field.role'), role),
    SCOPE_KINDS.map((k) => pickers[k].el), msg,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('admin.add.submit'))));
  async function submit(e) {
    e.preventDefault();
    ctx.clearErrors(form);
    msg.className = ''; msg.textContent = '';
    const body = { name: name.value.trim(), role: role.value };
    for (const k of SCOPE_KINDS) body[k] = pickers[k].values();
    const r = await ctx.api('POST', '/api/v1/admin/users', body);
    if (!r.ok) return ctx.showError(form, msg, r, labels());
    ctx.app.toast(t('admin.added'));
    reload();
  }
  return form;
}

export function userView(ctx, id) {
  const el = h('div', {}, ctx.loading());
  async function load() {
    const [user, choices, staff] = [await ctx.api('GET', `/api/v1/admin/users/${encodeURIComponent(id)}`),
      await scopeChoices(ctx), await names(ctx, 'staff')];
    for (const r of [user, choices, staff]) if (!r.ok) return fill(el, ctx.failed(r));
    const u = user.value.body;
    fill(el,
      h('p', {}, h('a', { href: '#/admin' }, t('admin.user.back'))),
      h('h2', {}, t('admin.user.title', { name: u.name })),
      scopeForm(ctx, u, choices.value),
      staffForm(ctx, u, staff.value),
      linkForm(ctx, u));
  }
  load();
  return { el, refresh: null };
}

function scopeForm(ctx, u, choices) {
  const role = roleSelect(ctx, u.role);
  const pickers = Object.fromEntries(SCOPE_KINDS.map((k) => [k, picker(k, t(`admin.field.${k}`), choices[k], u[k])]));
  const disabled = h('input', { type: 'checkbox', name: 'disabled', checked: u.disabled });
  const msg = h('div', {});
  const form = h('form', { 'data-testid': 'admin-user-scope', onsubmit: submit },
    ctx.field(t('admin.field.role'), role),
    SCOPE_KINDS.map((k) => pickers[k].el),
    h('div', { class: 'field', 'data-field': 'disabled' }, h('label', {}, disabled, t('admin.field.disabled'))),
    msg, h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('admin.save'))));
  async function submit(e) {
    e.preventDefault();
    ctx.clearErrors(form);
    msg.className = ''; msg.textContent = '';
    const body = { role: role.value, disabled: disabled.checked };
    for (const k of SCOPE_KINDS) body[k] = pickers[k].values();
    const r = await ctx.api('PATCH', `/api/v1/admin/users/${u.id}`, body);
    if (!r.ok) return ctx.showError(form, msg, r, labels());
    msg.className = 'notice'; msg.setAttribute('role', 'status'); msg.textContent = t('admin.saved');
  }
  return form;
}

function staffForm(ctx, u, staff) {
  const pick = picker('staff', t('admin.field.staff'), staff, u.staff.map((s) => s.id));
  const msg = h('div', {});
  const form = h('form', { 'data-testid': 'admin-user-staff', onsubmit: submit }, pick.el, msg,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'secondary' }, t('admin.staff.save'))));
  async function submit(e) {
    e.preventDefault();
    ctx.clearErrors(form);
    const r = await ctx.api('PUT', `/api/v1/admin/users/${u.id}/staff`, { staff: pick.values() });
    if (!r.ok) return ctx.showError(form, msg, r, labels());
    msg.className = 'notice'; msg.setAttribute('role', 'status'); msg.textContent = t('admin.staff.saved');
  }
  return form;
}

// A one-time sign-in link for a new device of the user: shown once, with a copy button.
function linkForm(ctx, u) {
  const device = h('input', { name: 'device', 'data-field': 'device', autocomplete: 'off', maxlength: 100 });
  const msg = h('div', {});
  const out = h('div', { 'data-testid': 'signin-link' });
  const form = h('form', { 'data-testid': 'admin-signin-link', onsubmit: submit },
    h('h2', {}, t('admin.link.title')), h('p', { class: 'hint' }, t('admin.link.intro')),
    ctx.field(t('admin.link.device'), device), msg,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('admin.link.issue'))), out);
  async function submit(e) {
    e.preventDefault();
    ctx.clearErrors(form);
    msg.className = ''; msg.textContent = '';
    fill(out);
    const body = device.value.trim() ? { device: device.value.trim() } : {};
    const r = await ctx.api('POST', `/api/v1/admin/users/${u.id}/signin-codes`, body);
    if (!r.ok) return ctx.showError(form, msg, r, labels());
    // The link as this page reaches the server (the server's own guess may be a proxy's).
    const url = `${location.origin}${location.pathname}#signin=${r.value.body.code}`;
    const input = h('input', { readonly: true, value: url, name: 'signin-url', 'data-testid': 'signin-url', onfocus: (ev) => ev.target.select() });
    const copy = h('button', { type: 'button', class: 'secondary', onclick: async () => {
      try { await navigator.clipboard.writeText(url); ctx.app.toast(t('admin.link.copied')); } catch { input.select(); }
    } }, t('admin.link.copy'));
    fill(out, ctx.field(t('admin.link.url'), input), h('div', { class: 'actions' }, copy),
      h('p', { role: 'status' }, t('admin.link.expires', { time: ctx.when(r.value.body.expires_at) })),
      h('p', { class: 'hint' }, t('admin.link.qr')));
    input.focus();
  }
  return form;
}
