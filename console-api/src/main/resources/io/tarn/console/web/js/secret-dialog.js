// A secret shown once (a new access key's secret key, a new API token): in a modal with a Copy button
// and the warning that it will not be shown again. The value lives only in this dialog's field: it is
// never stored (no localStorage, no URL), and closing the dialog removes the field from the page, so
// nothing in the DOM keeps it afterwards. Resolves when the dialog is closed.
import {h} from './dom.js';

/** rows: [[label, value, id]] shown before the secret; secret: {label, value}. */
export function secretDialog({title, rows = [], secret}) {
  return new Promise((resolve) => {
    const field = h('input', {id: 'secret-value', type: 'text', readonly: true, value: secret.value,
      class: 'share-url', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'secret-warning'});
    const note = h('p', {id: 'secret-copy-note', class: 'hint', role: 'status'});
    const copy = h('button', {type: 'button', id: 'secret-copy', class: 'secondary small', on: {click: async () => {
      if (navigator.clipboard && window.isSecureContext) {
        try {
          await navigator.clipboard.writeText(field.value);
          note.textContent = 'Copied.';
          return;
        } catch {
          // Permission refused: fall back to selecting the field.
        }
      }
      field.focus();
      field.select();
      note.textContent = 'Press Ctrl+C (⌘C on a Mac) to copy the selected text.';
    }}}, 'Copy');
    const done = h('button', {type: 'submit', id: 'secret-done'}, 'I have copied it, close');
    const form = h('form', {method: 'dialog'},
      h('h2', {id: 'secret-title'}, title),
      rows.length ? h('dl', {class: 'pairs'}, rows.map(([label, value, id]) => [
        h('dt', {}, label), h('dd', {'data-test': id}, value)])) : null,
      h('label', {htmlFor: 'secret-value'}, secret.label),
      field,
      h('div', {class: 'actions'}, copy),
      note,
      h('p', {id: 'secret-warning', class: 'error'},
        `This is the only time the ${secret.label.toLowerCase()} is shown: it will not be shown again. `
        + 'Copy it now and keep it somewhere safe.'),
      h('div', {class: 'dialog-actions'}, done));
    const dialog = h('dialog', {id: 'secret-dialog', 'aria-labelledby': 'secret-title',
      'aria-describedby': 'secret-warning'}, form);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      field.value = '';
      dialog.remove();
      resolve();
    });
    document.body.append(dialog);
    dialog.showModal();
    field.focus();
    field.select();
  });
}
