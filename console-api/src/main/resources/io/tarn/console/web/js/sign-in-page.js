// Sign-in: access key id and secret key. The inputs have no name attribute, so even if this script
// failed to load and the form were submitted natively, the secret would not be sent in a URL.
import {signIn} from './api.js';
import {h, showAlert} from './dom.js';

/**
 * Draws the sign-in page into main, with a notice (why the user is here) and an error, both optional;
 * onSignedIn() runs after a successful sign-in.
 */
export function renderSignIn(main, {notice, error: problem}, onSignedIn) {
  const keyId = h('input', {id: 'access-key-id', type: 'text', autocomplete: 'username', required: true,
    spellcheck: 'false', autocapitalize: 'off'});
  const secret = h('input', {id: 'secret-key', type: 'password', autocomplete: 'current-password', required: true});
  const error = h('p', {id: 'sign-in-error', role: 'alert', class: 'error', hidden: !problem}, problem);
  const button = h('button', {type: 'submit', id: 'sign-in-button'}, 'Sign in');
  const form = h('form', {id: 'sign-in-form', method: 'post', class: 'card'},
    h('div', {class: 'field'}, h('label', {htmlFor: 'access-key-id'}, 'Access key ID'), keyId),
    h('div', {class: 'field'}, h('label', {htmlFor: 'secret-key'}, 'Secret access key'), secret),
    error,
    button);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = keyId.value.trim();
    if (!id || !secret.value) {
      showAlert(error, 'Enter both your access key ID and your secret access key.');
      (id ? secret : keyId).focus();
      return;
    }
    button.disabled = true;
    showAlert(error, '');
    try {
      await signIn(id, secret.value);
      secret.value = '';
      onSignedIn();
    } catch (err) {
      secret.value = '';
      showAlert(error, signInMessage(err));
      secret.focus();
    } finally {
      button.disabled = false;
    }
  });
  main.replaceChildren(h('section', {class: 'page narrow', id: 'page-sign-in', 'data-test': 'sign-in-page'},
    h('h1', {tabindex: '-1'}, 'Sign in to Tarn'),
    notice ? h('p', {id: 'sign-in-notice', class: 'notice', role: 'status'}, notice) : null,
    h('p', {class: 'hint'}, 'Use an access key of your Tarn user: the same ID and secret key an S3 client uses.'),
    form));
  keyId.focus();
}

/** The server's message; for wrong credentials, also what to do (its 429 message already says when to retry). */
function signInMessage(err) {
  return err.code === 'InvalidCredentials'
    ? `${err.message} Check both values (they are case-sensitive) and try again.`
    : err.message;
}
