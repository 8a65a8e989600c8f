// Building the page safely: every element is made with createElement and every piece of
// text goes in as a text node, so a name like "<img src=x onerror=alert(1)>" shows as those
// characters and never becomes markup. Nothing in the app assigns innerHTML.

// h('button', {class: 'secondary', onclick: fn, 'aria-label': '…'}, 'text', otherNode, …)
// - attribute values are set with setAttribute (or as properties for value/checked/…);
// - on* keys with a function become event listeners;
// - children: strings and numbers become text nodes, null/false are skipped, arrays are flattened.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value' || k === 'checked' || k === 'selected' || k === 'disabled') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// Replaces everything inside `el` with `children`.
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let idSeq = 0;
export function uid(prefix = 'f') { return `${prefix}-${++idSeq}`; }

// A labelled control: <label for=id>text</label><control id=id>. Returns [label, control, wrapper].
export function field(labelText, control, hint) {
  if (!control.id) control.id = uid();
  const parts = [h('label', { for: control.id }, labelText, hint ? h('span', { class: 'hint' }, ` ${hint}`) : null), control];
  return h('div', { class: 'field' }, parts);
}

// A <select> of enum values with translated labels; `empty` adds a first "choose" option.
export function select(values, labelOf, current, empty) {
  const opts = [];
  if (empty) opts.push(h('option', { value: '' }, empty));
  for (const v of values) opts.push(h('option', { value: v, selected: v === current }, labelOf(v)));
  return h('select', {}, opts);
}

// A radio group as a fieldset of big tap targets.
export function radios(name, legend, values, labelOf, current) {
  return h('fieldset', {}, h('legend', {}, legend),
    h('div', { class: 'choices' }, values.map((v) =>
      h('label', {}, h('input', { type: 'radio', name, value: v, checked: v === current }), labelOf(v)))));
}

export function radioValue(form, name) {
  const el = form.querySelector(`input[name="${name}"]:checked`);
  return el ? el.value : '';
}

// Calls fn after the input has been quiet for `ms`.
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
