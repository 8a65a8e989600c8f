// A record's evidence files in the compliance room (docs/COMPLIANCE.md, "Evidence files"):
// the list, an upload and a download link per file, through /api/v1/evidence. The files stay
// on the server: a download is fetched when asked for and handed to the browser as a file.
import { h, fill, field } from '../common/dom.js';
import { t, formatNumber } from '../common/i18n.js';

// encodeURIComponent leaves !'()* as they are; the worker takes only %-escapes in a query.
const encQuery = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const MAX_BYTES = 5 * 1024 * 1024; // the server's limit (server/api/evidence.hpp), said before sending
const ACCEPT = 'application/pdf,image/png,image/jpeg,image/webp,.pdf,.png,.jpg,.jpeg,.webp';
const PURPOSES = ['contract', 'disclosure_proof', 'consent_proof', 'other'];

function sizeText(n) {
  return n >= 1024 * 1024 ? t('ev.mib', { n: formatNumber(Math.round(n / 104857.6) / 10) }) : t('ev.kib', { n: formatNumber(Math.max(1, Math.round(n / 1024))) });
}

// The panel of the record `entity`; errorOf(r) words a failed call.
export function evidencePanel(app, entity, { purpose = 'other', errorOf }) {
  const list = h('ul', { class: 'evidence', 'data-testid': 'evidence-list' });
  const msg = h('p', { role: 'status', 'data-testid': 'evidence-msg' });
  const input = h('input', { type: 'file', accept: ACCEPT, 'data-testid': 'evidence-file' });
  const kind = h('select', { 'data-field': 'purpose' }, PURPOSES.map((p) => h('option', { value: p }, t(`ev.purpose.${p}`))));
  kind.value = purpose;
  const send = h('button', { type: 'button', class: 'secondary', 'data-testid': 'evidence-upload' }, t('ev.upload'));
  const base = `/api/v1/evidence?entity=${encQuery(entity)}`;

  async function download(f) {
    const r = await app.call('api', { path: `/api/v1/evidence/${encQuery(f.sha)}?entity=${encQuery(entity)}` });
    if (!r.ok) { app.toast(errorOf(r)); return; }
    const url = URL.createObjectURL(new Blob([r.value.body], { type: f.type }));
    const a = h('a', { href: url, download: f.name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
  async function load() {
    const r = await app.call('api', { path: base });
    if (!r.ok) { fill(list, h('li', { class: 'error' }, errorOf(r))); return; }
    const files = r.value.body.files || [];
    if (!files.length) { fill(list, h('li', { class: 'hint' }, t('ev.none'))); return; }
    fill(list, files.map((f) => h('li', { 'data-sha': f.sha },
      h('a', { href: '#', onclick: (e) => { e.preventDefault(); download(f); } }, f.name),
      ` — ${t(`ev.purpose.${f.purpose}`)}, ${sizeText(f.size)}`)));
  }
  async function upload() {
    msg.className = '';
    const file = input.files && input.files[0];
    if (!file) { msg.className = 'error'; msg.textContent = t('ev.needFile'); return; }
    if (file.size > MAX_BYTES) { msg.className = 'error'; msg.textContent = t('ev.tooLarge'); return; }
    send.disabled = true;
    const bytes = await file.arrayBuffer();
    const r = await app.call('api', { method: 'POST', path: `${base}&purpose=${encQuery(kind.value)}&name=${encQuery(file.name.slice(0, 120))}`, bytes });
    send.disabled = false;
    if (!r.ok) { msg.className = 'error'; msg.textContent = errorOf(r); return; }
    msg.textContent = t('ev.uploaded', { name: r.value.body.name });
    input.value = '';
    load();
  }
  send.addEventListener('click', upload);
  load();
  return h('section', { class: 'evidence-panel', 'data-testid': 'evidence', 'data-entity': entity },
    h('h3', {}, t('ev.title')), list,
    h('div', { class: 'row' }, field(t('ev.file'), input, t('ev.accepted')), field(t('ev.purpose'), kind)),
    msg, h('div', { class: 'actions' }, send));
}
