// A modal question with a dangerous answer (deleting). With typeToConfirm the confirm button stays
// disabled until that exact text is typed; extra (an element, e.g. a labelled select) goes before the
// buttons, for a choice the answer needs. Resolves true when confirmed, false when cancelled.
import {h} from './dom.js';

export function confirmDialog({title, message, confirmLabel, typeToConfirm, extra}) {
  return new Promise((resolve) => {
    const input = typeToConfirm === undefined ? null : h('input', {
      id: 'confirm-input', type: 'text', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
    });
    const confirm = h('button', {type: 'submit', id: 'confirm-button', class: 'danger', disabled: Boolean(input)},
      confirmLabel);
    const cancel = h('button', {type: 'button', id: 'cancel-button', class: 'secondary'}, 'Cancel');
    const form = h('form', {method: 'dialog'},
      h('h2', {id: 'confirm-title'}, title),
      h('p', {id: 'confirm-message'}, message),
      input && [h('label', {htmlFor: 'confirm-input'}, 'Type ', h('strong', {}, typeToConfirm), ' to confirm'), input],
      extra,
      h('div', {class: 'dialog-actions'}, confirm, cancel));
    const dialog = h('dialog', {id: 'confirm-dialog', 'aria-labelledby': 'confirm-title',
      'aria-describedby': 'confirm-message'}, form);
    let answer = false;
    if (input) input.addEventListener('input', () => { confirm.disabled = input.value !== typeToConfirm; });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (input && input.value !== typeToConfirm) return;
      answer = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    (input || cancel).focus();
  });
}
