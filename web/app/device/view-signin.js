// Sign-in: a device token typed or pasted (a sign-in link /#token=… is handled by app.js).
import { h, field } from '../common/dom.js';
import { t } from '../common/i18n.js';

export function signinView(app) {
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false', autofocus: true, required: true });
  const msg = h('div', { role: 'alert' });
  const button = h('button', { type: 'submit' }, t('signin.submit'));
  if (app.linkError) { msg.className = 'error'; msg.textContent = app.linkError; app.linkError = null; }

  async function submit(e) {
    e.preventDefault();
    const token = input.value.trim();
    if (!/^lsn_\S+$/.test(token)) { msg.className = 'error'; msg.textContent = t('signin.bad'); input.focus(); return; }
    button.disabled = true;
    msg.className = 'notice'; msg.textContent = t('signin.busy');
    const r = await app.liaison.call('signIn', { token });
    button.disabled = false;
    if (!r.ok) { msg.className = 'error'; msg.textContent = app.errorText(r); input.focus(); return; }
    app.status = r.value;
    input.value = '';
    app.navigate('/');  // the home of the role: search, or the central workspace
  }

  const el = h('section', { 'aria-labelledby': 'signin-h' },
    h('h1', { id: 'signin-h' }, t('signin.title')),
    h('p', {}, t('signin.intro')),
    h('form', { onsubmit: submit, 'data-testid': 'signin-form' },
      field(t('signin.token'), input), msg, h('div', { class: 'actions' }, button)));
  return { el };
}
