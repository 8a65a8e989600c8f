// Refusals where they belong: a value the core (or a form) refuses is named in the user's
// language, next to its field, with what to do about it; long texts show their limit while
// they are typed, and nothing typed is ever cut.
//
// The façade names the refused field of a failed write (`field`, web/README.md) and its code
// says why (core/util/status.hpp); the texts are `field.<name>`, `invalid.<reason>` and, for a
// format, `fix.<name>` in both languages (tests/web/i18n_test.mjs checks the lists below).
import { h, uid, field } from './dom.js';
import { t, formatNumber } from './i18n.js';

// Why a form's field can be refused: the core's validation codes, and `past` (a follow-up
// date before today, refused by the form: merge validation cannot read a clock, docs/SYNC.md R10).
export const REASONS = ['required', 'too_long', 'bad_format', 'unknown_value', 'invalid_argument', 'past'];
// The fields the forms write (core names; the person form's handle is the `handles` set).
export const FORM_FIELDS = ['name', 'email', 'phone', 'handles', 'tier', 'notes', 'status', 'consent', 'roles',
  'tags', 'touchpoint', 'department', 'summary', 'tone', 'follow_up', 'follow_up_due', 'campaign'];
// Fields with a format: a bad_format refusal says how to write them.
export const FORMAT_FIELDS = ['email', 'phone', 'handles', 'follow_up_due'];

// Characters as the core counts them (code points, not UTF-16 units).
export function charCount(text) { return [...text].length; }

// "Phone: "call me maybe" …" in words: the field, what is wrong, how to fix it.
export function refusalText(fieldName, reason, params = {}) {
  const field = t(`field.${fieldName}`);
  const why = REASONS.includes(reason) ? reason : 'invalid_argument';
  const text = t(`invalid.${why}`, { field, ...params });
  return why === 'bad_format' && FORMAT_FIELDS.includes(fieldName) ? `${text} ${t(`fix.${fieldName}`)}` : text;
}

// The control of `form` that holds the core's field `name` (data-field, else name).
function controlOf(form, name) {
  return form.querySelector(`[data-field="${CSS.escape(name)}"]`) || form.querySelector(`[name="${CSS.escape(name)}"]`);
}

// Shows `text` right under `control`, tied to it for screen readers, and focuses it.
export function markInvalid(control, text) {
  const box = control.closest('.field') || control.parentElement;
  let note = box.querySelector(':scope > .field-error');
  if (!note) {
    note = h('p', { class: 'field-error error', id: uid('err'), role: 'alert' });
    box.append(note);
  }
  note.textContent = text;
  control.setAttribute('aria-invalid', 'true');
  const ids = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  if (!ids.includes(note.id)) control.setAttribute('aria-describedby', [...ids, note.id].join(' '));
  control.focus();
}

export function clearInvalid(form) {
  for (const note of form.querySelectorAll('.field-error')) {
    const control = form.querySelector(`[aria-describedby~="${note.id}"]`);
    if (control) {
      control.removeAttribute('aria-invalid');
      const rest = control.getAttribute('aria-describedby').split(' ').filter((x) => x !== note.id);
      if (rest.length) control.setAttribute('aria-describedby', rest.join(' ')); else control.removeAttribute('aria-describedby');
    }
    note.remove();
  }
}

// Puts a failed call's refusal next to its field in `form`; false when the call names no
// field the form has (the caller then shows app.errorText(r) in the form's message).
export function showRefusal(form, r) {
  if (!r || r.ok || !r.field) return false;
  const control = controlOf(form, r.field);
  if (!control) return false;
  const max = Number(control.dataset.max) || null;
  markInvalid(control, refusalText(r.field, r.code, max ? { max: formatNumber(max), n: formatNumber(charCount(control.value)) } : {}));
  return true;
}

// Counts the characters of `control` against `max` as they are typed ("1,950 / 2,000"), and
// says how many are too many; `always` false shows the count only from 80 % of the limit on.
// No maxlength: a browser silently cuts a paste at maxlength.
export function limitText(control, max, { always = true } = {}) {
  control.dataset.max = String(max);
  const counter = h('p', { class: 'counter', id: uid('count') });
  const ids = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
  control.setAttribute('aria-describedby', [...ids, counter.id].join(' '));
  const update = () => {
    const n = charCount(control.value);
    const over = n - max;
    counter.hidden = !always && n < 0.8 * max;
    counter.classList.toggle('over', over > 0);
    counter.textContent = over > 0
      ? t('limit.over', { n: formatNumber(n), max: formatNumber(max), over: formatNumber(over) })
      : t('limit.count', { n: formatNumber(n), max: formatNumber(max) });
  };
  control.addEventListener('input', update);
  control.refreshCount = update;
  update();
  return counter;
}

// A labelled control (dom.js field()) with its counter (limitText()).
export function countedField(labelText, control, max, opts) {
  const wrap = field(labelText, control);
  wrap.append(limitText(control, max, opts));
  return wrap;
}

// Before saving: every counted field of `form` within its limit, else the first one over is
// refused next to it (nothing is sent, nothing is cut). True when all fit.
export function checkLimits(form) {
  for (const control of form.querySelectorAll('[data-max]')) {
    const max = Number(control.dataset.max);
    const n = charCount(control.value.trim());
    if (n > max) {
      markInvalid(control, refusalText(control.dataset.field || control.name, 'too_long', { max: formatNumber(max), n: formatNumber(n) }));
      return false;
    }
  }
  return true;
}

// Today on this device's calendar, YYYY-MM-DD (what a date input holds).
export function todayIso(now = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}
