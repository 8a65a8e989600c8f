// The person in charge on a shared tablet (docs/SYNC.md A1): the user this device is signed in
// as is linked to the staff members who may work on it, and whoever is at the counter says
// which of them is acting. Every change from then on names her (the worker passes her to the
// core as the context's `staff`), without a reload. A select when the user is linked to more
// than one, her name when to one, nothing when to none.
import { h } from '../common/dom.js';
import { t } from '../common/i18n.js';

const nameOf = (s) => s.name || s.id;

export function inChargeControl(app) {
  const user = app.status && app.status.user;
  const staff = (user && user.staff) || [];
  if (staff.length === 0) return null;
  if (staff.length === 1) return h('span', { class: 'who', 'data-testid': 'in-charge' }, t('incharge.named', { name: nameOf(staff[0]) }));
  const sel = h('select', { id: 'in-charge', 'data-testid': 'in-charge', onchange: async (e) => {
    const chosen = staff.find((s) => s.id === e.target.value);
    const r = await app.call('setInCharge', { staff: e.target.value });
    await app.refreshStatus();
    app.toast(r.ok ? t('incharge.now', { name: nameOf(chosen) }) : app.errorText(r));
  } }, staff.map((s) => h('option', { value: s.id, selected: s.id === user.inCharge }, nameOf(s))));
  return [h('label', { for: 'in-charge' }, t('incharge.label')), sel];
}
