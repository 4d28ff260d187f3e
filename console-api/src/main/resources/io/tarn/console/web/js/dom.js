// The one way the console builds DOM: elements from plain values, text always as text nodes.
// Nothing is ever parsed as HTML (no innerHTML), so an object key or metadata value that looks like
// markup stays inert text, and no inline style or handler attribute is ever written (the CSP forbids both).

/** Properties set on the element itself (their attribute forms differ or are booleans). */
const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'htmlFor', 'id', 'type', 'href', 'download',
  'multiple', 'required', 'indeterminate', 'tabIndex', 'webkitdirectory', 'open', 'max', 'title', 'className', 'src', 'alt', 'controls', 'preload']);

/**
 * h('button', {type: 'button', 'data-test': 'x', on: {click: fn}}, 'Text', child, [more])
 * Strings and numbers become text nodes; null, undefined and false children are skipped.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (name === 'on') {
      for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    } else if (name === 'class') {
      el.className = value;
    } else if (PROPS.has(name)) {
      el[name] = value;
    } else if (name.startsWith('on') || name === 'style') {
      throw new Error(`h(): ${name} is not allowed (CSP: no inline handlers or styles)`);
    } else if (value !== false) {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Says something to screen readers (and shows it in the status line). */
export function announce(message) {
  const status = document.getElementById('status');
  if (status) status.textContent = message;
}

/** Shows message in an alert element (role="alert"), or hides it when message is empty. */
export function showAlert(el, message) {
  el.textContent = message || '';
  el.hidden = !message;
}
