// Register a new influencer; likely duplicates are offered before anything is created.
import { h } from '../common/dom.js';
import { t } from '../common/i18n.js';
import { personForm, userScopeFields } from '../common/person-form.js';

export function newView(app) {
  const form = personForm(app, {
    submitLabel: t('new.create'),
    scopeFields: () => userScopeFields(app),
    pickLabel: t('new.open'),
    onPick: (d) => app.navigate(`/card/${encodeURIComponent(d.id)}`),
    onCreated: (id) => { app.toast(t('new.created')); app.navigate(`/card/${encodeURIComponent(id)}`); },
  });
  const el = h('section', { 'aria-labelledby': 'new-h' }, h('h1', { id: 'new-h' }, t('new.title')), form.el);
  setTimeout(form.focus, 0);
  return { el };
}
