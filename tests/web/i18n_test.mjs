// The app's words: French and English have the same keys, the same {placeholders} in each
// text, and every key the app's code names literally (t('…'), label('prefix', 'value')) exists.
// Runs under node without a browser: i18n.js only needs a few globals stubbed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
globalThis.navigator = { languages: ['en'] };
globalThis.document = { documentElement: {} };
globalThis.localStorage = { getItem() { return null; }, setItem() {} };
globalThis.window = { addEventListener() {} };
const { wordsOf, languages } = await import(join(root, 'web', 'app', 'common', 'i18n.js'));
// The words each room brings (i18n.js, addWords): its words.js and any words-<part>.js.
for (const e of readdirSync(join(root, 'web/app'), { withFileTypes: true })) {
  if (!e.isDirectory()) continue;
  const dir = join(root, 'web/app', e.name);
  for (const f of readdirSync(dir).filter((n) => /^words(-[\w-]+)?\.js$/.test(n)).sort()) await import(join(dir, f));
}

const problems = [];
const en = wordsOf('en');
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
for (const lang of languages) {
  if (lang === 'en') continue;
  const other = wordsOf(lang);
  for (const k of Object.keys(en)) if (!(k in other)) problems.push(`${lang}: missing "${k}" (en: "${en[k]}")`);
  for (const k of Object.keys(other)) if (!(k in en)) problems.push(`en: missing "${k}" (${lang}: "${other[k]}")`);
  for (const k of Object.keys(en)) {
    if (k in other && placeholders(en[k]) !== placeholders(other[k]))
      problems.push(`"${k}": placeholders differ: en {${placeholders(en[k])}} vs ${lang} {${placeholders(other[k])}}`);
  }
}
for (const k of Object.keys(en)) {
  if (k.endsWith('.one') && !(k.slice(0, -4) in en)) problems.push(`"${k}" has no plural "${k.slice(0, -4)}"`);
  if (!en[k].trim()) problems.push(`"${k}" is empty`);
}

// Keys named literally in the code. Dynamic keys (t(`warn.${w}`)) are checked where their
// values are listed: label('tier', 'top') style calls with a literal value are checked too.
let used = 0;
// Every room of web/app (one folder deep) and the host.
const rooms = ['web/app', 'web/host', ...readdirSync(join(root, 'web/app'), { withFileTypes: true })
  .filter((e) => e.isDirectory()).map((e) => `web/app/${e.name}`)];
for (const dir of rooms) {
  for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith('.js'))) {
    if (file === 'i18n.js') continue;
    const src = readFileSync(join(root, dir, file), 'utf8');
    for (const m of src.matchAll(/\bt\(\s*(?:[^()'"`]*\?\s*)?'([a-zA-Z][\w.]*)'(?:\s*:\s*'([a-zA-Z][\w.]*)')?/g)) {
      for (const key of [m[1], m[2]].filter(Boolean)) {
        used += 1;
        if (!(key in en)) problems.push(`${dir}/${file}: t('${key}') names no text`);
      }
    }
    for (const m of src.matchAll(/\blabel\(\s*'(\w+)'\s*,\s*'(\w+)'\s*\)/g)) {
      used += 1;
      if (!(`${m[1]}.${m[2]}` in en)) problems.push(`${dir}/${file}: label('${m[1]}', '${m[2]}') names no text`);
    }
  }
}
// Every value of the pickers' lists (web/app/common/choices.js, checked against the core by the façade
// test) has its label, so a value received from another device is shown in words. The prefixes
// are the ones the views pass to label(); platforms are shown as they are.
const LABEL_PREFIX = {
  'influencer.tier': 'tier',
  'influencer.status': 'status',
  'influencer.consent': 'consent',
  'influencer.roles': 'role',
  'influencer.consent_basis': 'basis',
  'influencer.vetting': 'vetting',
  'interaction.touchpoint': 'tp',
  'interaction.department': 'dep',
  'interaction.tone': 'tone',
  'collaboration.type': 'pg.type',
  'collaboration.contract_status': 'pg.contract',
};
const { CHOICES } = await import(join(root, 'web', 'app', 'common', 'choices.js'));
for (const [key, prefix] of Object.entries(LABEL_PREFIX)) {
  if (!CHOICES[key]) problems.push(`choices.js has no list "${key}"`);
  for (const v of CHOICES[key] || []) if (!(`${prefix}.${v}` in en)) problems.push(`${key}: "${v}" has no label ${prefix}.${v}`);
}

// Refusals (web/app/common/refusal.js): every field a form writes has its name, every reason a text
// that names the field, every field with a format a "how to fix it". A form control must be one
// of those fields (its data-field, else its name), so no refusal can reach a field without words.
const { REASONS, FORM_FIELDS, FORMAT_FIELDS } = await import(join(root, 'web', 'app', 'common', 'refusal.js'));
for (const f of FORM_FIELDS) if (!(`field.${f}` in en)) problems.push(`form field "${f}" has no name field.${f}`);
for (const r of REASONS) {
  const k = `invalid.${r}`;
  if (!(k in en)) problems.push(`refusal reason "${r}" has no text ${k}`);
  else if (!placeholders(en[k]).split(',').includes('field')) problems.push(`${k} does not name the {field}`);
}
if (en['invalid.too_long'] && placeholders(en['invalid.too_long']) !== 'field,max,n') problems.push('invalid.too_long must say {n} and {max}');
for (const f of FORMAT_FIELDS) if (!(`fix.${f}` in en)) problems.push(`field "${f}" has a format but no fix.${f}`);
for (const r of ['required', 'too_long', 'bad_format', 'unknown_value', 'invalid_argument'])
  if (!REASONS.includes(r)) problems.push(`the core's validation code "${r}" is not among the reasons of refusal.js`);
for (const file of ['common/person-form.js', 'store/view-log.js', 'store/view-card.js']) {
  const src = readFileSync(join(root, 'web', 'app', file), 'utf8');
  for (const m of src.matchAll(/h\('(?:input|textarea|select)',\s*\{([^}]*)\}/g)) {
    const attr = (a) => (new RegExp(`'?${a}'?:\\s*'([\\w-]+)'`).exec(m[1]) || [])[1];
    const f = attr('data-field') || attr('name');
    if (f && !FORM_FIELDS.includes(f)) problems.push(`web/app/${file}: the control "${f}" is not among refusal.js FORM_FIELDS`);
    if (/maxlength/.test(m[1])) problems.push(`web/app/${file}: the control "${f}" has a maxlength, which cuts a paste without a word (use limitText)`);
  }
}

// A collaboration's type and status, as the store card shows them (core/model/schema.cpp, the
// pipeline's statuses and record model 1's active and completed).
const COLLABORATION = { ctype: ['paid', 'gifted', 'loan', 'affiliate', 'seeding'],
  cstatus: ['proposed', 'vetted', 'contracted', 'live', 'delivered', 'validated', 'closed', 'cancelled', 'active', 'completed'] };
for (const [prefix, values] of Object.entries(COLLABORATION))
  for (const v of values) if (!(`${prefix}.${v}` in en)) problems.push(`collaboration: "${v}" has no label ${prefix}.${v}`);

if (used < 50) problems.push(`only ${used} keys found in the code: has the way the app calls t() changed?`);

if (problems.length) {
  console.error(`i18n: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`i18n: ${Object.keys(en).length} texts in ${languages.join(' and ')}, ${used} uses in the code, all present`);
