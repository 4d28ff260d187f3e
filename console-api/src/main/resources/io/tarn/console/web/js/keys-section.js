// A user's access keys, as the account page (your own) and the admin's user page (anyone's) show them:
// the list, create with an optional expiry (the secret shown once, secret-dialog.js), disable (an admin
// may enable again), delete, change the expiry. Everything goes through the admin API's /keys, which
// decides what the caller may do (a user: its own keys, never lifting a restriction).
import {admin, sessionEnded} from './api.js';
import {confirmDialog} from './confirm-dialog.js';
import {announce, h} from './dom.js';
import {formatDate} from './format.js';
import {secretDialog} from './secret-dialog.js';

/** Expiry choices, in days from now ('' = none). */
const EXPIRIES = [['', 'Never'], ['1', '1 day'], ['7', '7 days'], ['30', '30 days'], ['90', '90 days'],
  ['365', '1 year']];

export function expirySelect(id, label) {
  const select = h('select', {id}, EXPIRIES.map(([days, text]) => h('option', {value: days}, text)));
  return {select, field: h('div', {class: 'field'}, h('label', {htmlFor: id}, label), select)};
}

/** The ISO-8601 time `days` days from now, or null for ''. */
export function expiresIn(days) {
  return days ? new Date(Date.now() + Number(days) * 86400000).toISOString() : null;
}

export function when(iso) {
  return iso ? formatDate(new Date(iso)) : 'Never';
}

/**
 * user: {id, name} whose keys these are, or null for the caller's own (the API's default);
 * sessionKeyId: the key the console session was made with (acting on it ends the session);
 * asAdmin: offer Enable for a disabled key and say an expiry can be extended;
 * change(what, fn, reload): the host page's runner: runs fn, shows a failure in words, reloads its data
 * (not when reload is false), resolves true when fn worked.
 * Returns {form, table, draw(keys)}: the host places form and table and calls draw with GET /keys's keys.
 */
export function keysSection({user, sessionKeyId, asAdmin, change}) {
  const whose = user ? `${user.name}'s` : 'Your';
  const keyExpiry = expirySelect('new-key-expiry', 'Expires after');
  const form = h('form', {id: 'create-key-form', class: 'inline-form'}, keyExpiry.field,
    h('button', {type: 'submit', id: 'create-key'}, user ? `Create access key for ${user.name}` : 'Create access key'));
  const rows = h('tbody', {id: 'key-rows'});
  const table = h('table', {id: 'keys', class: 'list'},
    h('caption', {class: 'visually-hidden'}, `${whose} access keys`),
    h('thead', {}, h('tr', {}, ['Access key ID', 'Status', 'Created', 'Expires'].map((t) => h('th', {scope: 'col'}, t)),
      h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions')))),
    rows);

  function keyRow(key) {
    const current = key.accessKeyId === sessionKeyId;
    const status = key.expired ? 'Expired' : key.enabled ? 'Active' : 'Disabled';
    const label = (text) => [text, h('span', {class: 'visually-hidden'}, ` key ${key.accessKeyId}`)];
    return h('tr', {'data-test': 'key-row', 'data-key-id': key.accessKeyId, 'data-enabled': String(key.enabled)},
      h('td', {class: 'name'}, h('code', {}, key.accessKeyId), current ? h('span', {class: 'hint'}, ' (this session)')
        : null),
      h('td', {'data-test': 'key-status'}, status),
      h('td', {}, when(key.created)),
      h('td', {'data-test': 'key-expires', 'data-expires': key.expires || ''}, when(key.expires)),
      h('td', {class: 'actions'},
        key.enabled
          ? h('button', {type: 'button', class: 'secondary small', 'data-test': 'disable-key',
            on: {click: () => disableKey(key, current)}}, label('Disable'))
          : asAdmin ? h('button', {type: 'button', class: 'secondary small', 'data-test': 'enable-key',
            on: {click: () => enableKey(key)}}, label('Enable')) : null,
        h('button', {type: 'button', class: 'secondary small', 'data-test': 'key-expiry',
          on: {click: () => changeExpiry(key)}}, label('Change expiry')),
        h('button', {type: 'button', class: 'danger small', 'data-test': 'delete-key',
          on: {click: () => deleteKey(key, current)}}, label('Delete'))));
  }

  function endsSession(verb) {
    return ` This is the key you signed in with: ${verb} it ends this console session (and any other made with `
      + 'it), and you will need another key to sign in again.';
  }

  async function disableKey(key, current) {
    const ok = await confirmDialog({
      title: `Disable access key ${key.accessKeyId}?`,
      message: 'Requests signed with it will be refused, and API tokens created with it stop working. Only an '
        + `administrator can enable it again.${current ? endsSession('disabling') : ''}`,
      confirmLabel: 'Disable key',
    });
    if (!ok) return;
    if (await change(`Disabling key ${key.accessKeyId}`,
      () => admin('PATCH', `/keys/${encodeURIComponent(key.accessKeyId)}`, {enabled: false}), !current)) {
      ended(current, 'disabled', key);
    }
  }

  async function enableKey(key) {
    if (await change(`Enabling key ${key.accessKeyId}`,
      () => admin('PATCH', `/keys/${encodeURIComponent(key.accessKeyId)}`, {enabled: true}))) {
      announce(`Key ${key.accessKeyId} enabled.`);
    }
  }

  async function deleteKey(key, current) {
    const ok = await confirmDialog({
      title: `Delete access key ${key.accessKeyId}?`,
      message: 'Requests signed with it will be refused, and API tokens created with it stop working. This cannot '
        + `be undone.${current ? endsSession('deleting') : ''}`,
      confirmLabel: 'Delete key',
    });
    if (!ok) return;
    if (await change(`Deleting key ${key.accessKeyId}`,
      () => admin('DELETE', `/keys/${encodeURIComponent(key.accessKeyId)}`), !current)) {
      ended(current, 'deleted', key);
    }
  }

  /** After the session's own key was disabled or deleted: the server ends the session; say why here. */
  function ended(current, what, key) {
    if (current) {
      sessionEnded(`You ${what} the access key ${key.accessKeyId} that this session was signed in with, so `
        + 'your session has ended. Sign in with another key to go on.');
    } else {
      announce(`Key ${key.accessKeyId} ${what}.`);
    }
  }

  async function changeExpiry(key) {
    const choice = expirySelect('key-expiry-choice', 'New expiry, from now');
    const save = h('button', {type: 'submit', id: 'key-expiry-save'}, 'Save expiry');
    const cancel = h('button', {type: 'button', id: 'key-expiry-cancel', class: 'secondary'}, 'Cancel');
    const form = h('form', {method: 'dialog'},
      h('h2', {id: 'key-expiry-title'}, `Expiry of ${key.accessKeyId}`),
      h('p', {class: 'hint'}, `Now: ${when(key.expires)}. ` + (asAdmin
        ? 'As an administrator you can set, extend or remove it.'
        : 'You can shorten an expiry or set one; only an administrator can extend or remove it.')),
      choice.field, h('div', {class: 'dialog-actions'}, save, cancel));
    const dialog = h('dialog', {id: 'key-expiry-dialog', 'aria-labelledby': 'key-expiry-title'}, form);
    let expires;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      expires = expiresIn(choice.select.value);
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    const closed = new Promise((resolve) => dialog.addEventListener('close', resolve));
    document.body.append(dialog);
    dialog.showModal();
    choice.select.focus();
    await closed;
    dialog.remove();
    if (expires === undefined) return;
    if (await change(`Changing the expiry of ${key.accessKeyId}`,
      () => admin('PATCH', `/keys/${encodeURIComponent(key.accessKeyId)}`, {expires}))) {
      announce(`Expiry of ${key.accessKeyId} changed.`);
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const expires = expiresIn(keyExpiry.select.value);
    const body = user ? {user: user.name} : {};
    if (expires) body.expires = expires;
    let created;
    if (await change('Creating an access key', async () => {
      created = await admin('POST', '/keys', body);
    })) {
      await secretDialog({
        title: user ? `New access key for ${user.name}` : 'New access key',
        rows: [['Access key ID', created.accessKeyId, 'new-key-id'], ['Expires', when(created.expires), 'new-key-expires']],
        secret: {label: 'Secret key', value: created.secretAccessKey},
      });
      created = null;
      announce('Access key created.');
    }
  });

  return {form, table, draw: (keys) => rows.replaceChildren(...keys.map(keyRow))};
}
