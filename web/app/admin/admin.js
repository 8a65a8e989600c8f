// The administration (admin role; issue 16 item 6): users, roles, scopes, staff links, devices,
// tokens and one-time sign-in links, all read and written on the server through the worker's
// `api` call (web/README.md; routes in docs/openapi.yaml), never held on the device.
//
// Routes: #/admin (users), #/admin/user/<id> (one user: role, scope, staff, sign-in link),
// #/admin/devices (devices and tokens). Backups stay with the command line
// (docs/OPERATIONS.md "Sign-in links and the administration screens").
//
// Every text is a text node (dom.js's h); tables are plain <table>s with a caption and
// column headers, their actions ordinary buttons and links, so Tab reaches each in order.
import './words.js';
import { h, fill, field } from '../common/dom.js';
import { t, formatDateTime } from '../common/i18n.js';
import { usersView, userView } from './view-users.js';
import { devicesView } from './view-devices.js';

const isAdmin = (app) => !!(app.status && app.status.user && app.status.user.role === 'admin');

export function adminView(app, route) {
  const parts = route.parts || [];
  const el = h('section', { class: 'admin', 'aria-labelledby': 'admin-h' });
  if (!isAdmin(app)) {
    fill(el, h('h1', { id: 'admin-h' }, t('admin.title')), h('p', { class: 'error', role: 'alert' }, t('err.forbidden')));
    return { el };
  }
  const tab = parts[0] === 'devices' ? 'devices' : 'users';
  const tabs = h('nav', { class: 'admin-tabs', 'aria-label': t('admin.title') },
    h('a', { href: '#/admin', 'aria-current': tab === 'users' ? 'page' : null }, t('admin.tab.users')),
    ' ',
    h('a', { href: '#/admin/devices', 'aria-current': tab === 'devices' ? 'page' : null }, t('admin.tab.devices')));
  const body = h('div', {});
  fill(el, h('h1', { id: 'admin-h' }, t('admin.title')), tabs, body);
  const ctx = adminContext(app);
  let view;
  if (parts[0] === 'user' && parts[1]) view = userView(ctx, parts[1]);
  else if (tab === 'devices') view = devicesView(ctx);
  else view = usersView(ctx);
  fill(body, view.el);
  return { el, refresh: view.refresh };
}

// What the screens share: the API, error words, small widgets.
function adminContext(app) {
  const ctx = {
    app,
    // {ok, value:{status, body}} or {ok:false, code, message, field?} (worker.js `api`).
    api: (method, path, body) => app.call('api', body === undefined ? { method, path } : { method, path, body }),
    // Plain words for a refusal; `labels` names the form's fields in the user's language.
    errorText(r, labels = {}) {
      if (r && r.code === 'offline') return t('admin.offline');
      if (r && r.field && [
        'required', 'too_long', 'too_large', 'bad_format', 'unknown_value', 'unknown_field', 'invalid_argument',
      ].includes(r.code)) return t(`admin.invalid.${r.code}`, { field: labels[r.field] || r.field });
      return app.errorText(r);
    },
    // A failure shown under the form's control named by r.field (data-field), else in `box`.
    showError(form, box, r, labels) {
      clearErrors(form);
      const text = ctx.errorText(r, labels);
      const control = r && r.field && form.querySelector(`[data-field="${CSS.escape(r.field)}"]`);
      if (control) {
        const note = h('p', { class: 'field-error error', role: 'alert', id: `err-${r.field}` }, text);
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', note.id);
        control.after(note);
        (control.querySelector('input, select') || control).focus();
      } else {
        box.className = 'error';
        box.setAttribute('role', 'alert');
        box.textContent = text;
      }
    },
    loading: () => h('p', { class: 'hint', role: 'status' }, t('admin.loading')),
    failed: (r) => h('p', { class: 'error', role: 'alert' }, ctx.errorText(r)),
    roleLabel: (role) => t(`admin.role.${role}`),
    roles: ['admin', 'central', 'regional', 'store', 'field', 'integration'],
    clearErrors,
    when: (ms) => formatDateTime(ms),
    field,
  };
  return ctx;
}

function clearErrors(form) {
  for (const note of form.querySelectorAll('.field-error')) note.remove();
  for (const c of form.querySelectorAll('[aria-invalid]')) {
    c.removeAttribute('aria-invalid');
    c.removeAttribute('aria-describedby');
  }
}
