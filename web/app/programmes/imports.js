// The CSV imports of the programmes room (docs/PROGRAMMES.md): posts on a campaign's page, a
// shop's orders on the programmes page.
import { h, fill, field } from '../common/dom.js';
import { t, formatNumber } from '../common/i18n.js';
import { offlineOr } from './forms.js';

// A CSV file imported through the server, with its report: how many rows were kept and each
// refused row with its reason. `what`: 'ct' posts (POST /api/v1/content/import; no social
// network is asked), 'or' a shop's orders (POST /api/v1/conversions/import).
const IMPORTS = {
  ct: { path: '/api/v1/content/import', header: 'url,platform,published_at,handle,impressions,reach,likes,comments,shares,saves,video_views,engagements,tone,disclosure_found,disclosure_proof,collaboration,campaign,brands_mentioned' },
  or: { path: '/api/v1/conversions/import', header: 'shop,order_ref,at,value,currency,link_code,promo_code' },
};
export function csvImport(app, what, done) {
  const { path, header } = IMPORTS[what];
  const file = h('input', { type: 'file', accept: '.csv,text/csv', 'data-testid': `${what}-import-file` });
  const report = h('div', { 'aria-live': 'polite', 'data-testid': `${what}-import-report` });
  async function go(e) {
    e.preventDefault();
    const f = file.files && file.files[0];
    if (!f) { fill(report, t('pg.importPick')); return; }
    const r = await app.call('api', { method: 'POST', path, csv: await f.text() });
    if (!r.ok) { fill(report, offlineOr(app, r)); return; }
    const b = r.value.body;
    report.dataset.imported = String(b.imported);
    report.dataset.refused = String(b.refused.length);
    const again = formatNumber(what === 'ct' ? b.updated : b.duplicates);
    fill(report, h('p', {}, t(`pg.${what}Imported`, { n: formatNumber(b.imported), again, refused: formatNumber(b.refused.length) })),
      b.refused.length ? h('ul', { class: 'plain' }, b.refused.map((x) => h('li', { class: 'error' }, t('pg.refusedRow', { row: x.row, reason: x.reason })))) : null);
    done();
  }
  return h('section', { 'aria-labelledby': `${what}-import-h` }, h('h2', { id: `${what}-import-h` }, t(`pg.${what}ImportTitle`)),
    h('p', { class: 'hint' }, t(`pg.${what}ImportHint`), ' ', h('code', {}, header)),
    h('form', { class: 'inline-form', onsubmit: go }, field(t('pg.importFile'), file), h('button', { type: 'submit', 'data-testid': `${what}-import` }, t('pg.import'))), report);
}
