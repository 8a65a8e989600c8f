// Devices and tokens (#/admin/devices): every device that synced (a replica id bound to a user
// and device label) and every token, each with a Revoke button; a revoked device is refused
// from its next request.
import { h, fill } from '../common/dom.js';
import { t } from '../common/i18n.js';

export function devicesView(ctx) {
  const el = h('div', {}, ctx.loading());
  const msg = h('div', { role: 'status' });
  async function load() {
    const [devices, tokens, users] = [await ctx.api('GET', '/api/v1/admin/devices'),
      await ctx.api('GET', '/api/v1/admin/tokens'), await ctx.api('GET', '/api/v1/admin/users')];
    for (const r of [devices, tokens, users]) if (!r.ok) return fill(el, ctx.failed(r));
    const nameOf = new Map(users.value.body.items.map((u) => [u.id, u.name]));
    const who = (id) => nameOf.get(id) || `#${id}`;
    async function revoke(path, label) {
      if (!window.confirm(t('admin.revoke.confirm', { device: label }))) return;
      const r = await ctx.api('POST', path, {});
      if (!r.ok) { msg.className = 'error'; msg.textContent = ctx.errorText(r); return; }
      msg.className = 'notice'; msg.textContent = t('admin.revoked');
      load();
    }
    const deviceRows = devices.value.body.items.map((d) => h('tr', { 'data-replica': d.replica, 'data-device': d.device },
      h('th', { scope: 'row' }, d.device || '—'),
      h('td', {}, who(d.user)),
      h('td', {}, ctx.when(d.first_seen)),
      h('td', {}, String(d.live_tokens)),
      h('td', {}, d.live_tokens > 0 ? h('button', {
        type: 'button', class: 'secondary',
        'aria-label': t('admin.revoke.device', { device: d.device || d.replica, user: who(d.user) }),
        onclick: () => revoke(`/api/v1/admin/devices/${d.replica}/revoke`, d.device || d.replica),
      }, t('admin.revoke')) : t('admin.state.revoked'))));
    const tokenRows = tokens.value.body.items.map((k) => h('tr', { 'data-token': k.id },
      h('th', { scope: 'row' }, h('code', {}, k.id)),
      h('td', {}, who(k.user)),
      h('td', {}, k.device || '—'),
      h('td', {}, ctx.when(k.created_at)),
      h('td', {}, k.revoked ? t('admin.state.revoked') : h('button', {
        type: 'button', class: 'secondary', 'aria-label': t('admin.revoke.token', { id: k.id }),
        onclick: () => revoke(`/api/v1/admin/tokens/${k.id}/revoke`, k.device || k.id),
      }, t('admin.revoke')))));
    const head = (cols) => h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(`admin.col.${c}`)))));
    fill(el, msg,
      h('table', { class: 'admin-table', 'data-testid': 'admin-devices' },
        h('caption', {}, t('admin.devices.caption')), head(['device', 'user', 'firstSeen', 'tokens', 'actions']),
        h('tbody', {}, deviceRows)),
      h('table', { class: 'admin-table', 'data-testid': 'admin-tokens' },
        h('caption', {}, t('admin.tokens.caption')), head(['token', 'user', 'device', 'created', 'state']),
        h('tbody', {}, tokenRows)));
  }
  load();
  return { el, refresh: null };
}
