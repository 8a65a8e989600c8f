// This device's settings: the contact-pressure cap (how many contacts by all departments in
// the last 30 days before a card warns that the person is contacted often). Kept by the
// database worker (setSettings), so every tab of the device uses the same cap.
import { h, field } from '../common/dom.js';
import { t } from '../common/i18n.js';

export function settingsView(app) {
  const cap = h('input', { type: 'number', name: 'cap', min: '1', max: '100', step: '1', inputmode: 'numeric', required: true });
  const msg = h('div', { role: 'status', 'data-testid': 'settings-msg' });
  const save = h('button', { type: 'submit', disabled: true }, t('settings.save'));

  app.call('settings').then((r) => {
    if (!r.ok) { msg.className = 'error'; msg.textContent = app.errorText(r); return; }
    cap.value = String(r.value.contactCap);
    save.disabled = false;
  });

  async function submit(e) {
    e.preventDefault();
    msg.className = ''; msg.textContent = '';
    const n = Number(cap.value);
    if (!Number.isInteger(n) || n < 1 || n > 100) {
      msg.className = 'error'; msg.textContent = t('settings.capInvalid'); cap.focus(); return;
    }
    save.disabled = true;
    const r = await app.call('setSettings', { contactCap: n });
    save.disabled = false;
    if (!r.ok) { msg.className = 'error'; msg.textContent = app.errorText(r); return; }
    msg.textContent = t('settings.saved', { cap: r.value.contactCap });
  }

  const el = h('section', { 'aria-labelledby': 'settings-h' },
    h('h1', { id: 'settings-h' }, t('settings.title')),
    h('form', { onsubmit: submit, novalidate: true, 'data-testid': 'settings' },
      field(t('settings.cap'), cap),
      h('p', { class: 'meta' }, t('settings.capHelp')),
      msg,
      h('div', { class: 'actions' }, save)));
  return { el };
}
