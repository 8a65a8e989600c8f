// The app's words: French and English have the same keys, the same {placeholders} in each
// text, and every key the app's code names literally (t('…'), label('prefix', 'value')) exists.
// Runs under node without a browser: i18n.js only needs a few globals stubbed.
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
globalThis.navigator = { languages: ['en'] };
globalThis.document = { documentElement: {} };
globalThis.localStorage = { getItem() { return null; }, setItem() {} };
globalThis.window = { addEventListener() {} };
const { wordsOf, languages } = await import(join(root, 'web', 'app', 'i18n.js'));

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
for (const dir of ['web/app', 'web/host']) {
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
// Every value of the pickers' lists (web/app/choices.js, checked against the core by the façade
// test) has its label, so a value received from another device is shown in words. The prefixes
// are the ones the views pass to label(); platforms are shown as they are.
const LABEL_PREFIX = {
  'influencer.tier': 'tier',
  'influencer.status': 'status',
  'influencer.consent': 'consent',
  'influencer.roles': 'role',
  'interaction.touchpoint': 'tp',
  'interaction.department': 'dep',
  'interaction.tone': 'tone',
};
const { CHOICES } = await import(join(root, 'web', 'app', 'choices.js'));
for (const [key, prefix] of Object.entries(LABEL_PREFIX)) {
  if (!CHOICES[key]) problems.push(`choices.js has no list "${key}"`);
  for (const v of CHOICES[key] || []) if (!(`${prefix}.${v}` in en)) problems.push(`${key}: "${v}" has no label ${prefix}.${v}`);
}

if (used < 50) problems.push(`only ${used} keys found in the code: has the way the app calls t() changed?`);

if (problems.length) {
  console.error(`i18n: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`i18n: ${Object.keys(en).length} texts in ${languages.join(' and ')}, ${used} uses in the code, all present`);
