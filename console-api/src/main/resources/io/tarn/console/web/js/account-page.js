// The account page (#/account): the signed-in user's access keys (create with an optional expiry, the
// secret shown once; disable; delete; shorten or set the expiry) and personal API tokens (create, the
// value shown once; revoke), and sign-out everywhere. Keys go through the admin API's /keys and tokens
// through the webhooks API's /tokens, the endpoints tarn uses, so the server authorizes each change as
// it would tarn's (a user acts on its own keys only, and cannot lift a restriction).
import {admin, currentSession, sessionEnded, tarnApi} from './api.js';
import {confirmDialog} from './confirm-dialog.js';
import {announce, h, showAlert} from './dom.js';
import {formatDate} from './format.js';
import {secretDialog} from './secret-dialog.js';

/** Expiry choices, in days from now ('' = none). */
const EXPIRIES = [['', 'Never'], ['1', '1 day'], ['7', '7 days'], ['30', '30 days'], ['90', '90 days'],
  ['365', '1 year']];

function expirySelect(id, label) {
  const select = h('select', {id}, EXPIRIES.map(([days, text]) => h('option', {value: days}, text)));
  return {select, field: h('div', {class: 'field'}, h('label', {htmlFor: id}, label), select)};
}

/** The ISO-8601 time `days` days from now, or null for ''. */
function expiresIn(days) {
  return days ? new Date(Date.now() + Number(days) * 86400000).toISOString() : null;
}

function when(iso) {
  return iso ? formatDate(new Date(iso)) : 'Never';
}

/** onSignOutEverywhere(): what the header's "Sign out everywhere" does. */
export function renderAccount(main, {onSignOutEverywhere}) {
  const session = currentSession();
  const error = h('p', {id: 'account-error', role: 'alert', class: 'error', hidden: true});

  const keyExpiry = expirySelect('new-key-expiry', 'Expires after');
  const keyForm = h('form', {id: 'create-key-form', class: 'inline-form'}, keyExpiry.field,
    h('button', {type: 'submit', id: 'create-key'}, 'Create access key'));
  const keyRows = h('tbody', {id: 'key-rows'});
  const keys = h('table', {id: 'keys', class: 'list'},
    h('caption', {class: 'visually-hidden'}, 'Your access keys'),
    h('thead', {}, h('tr', {}, ['Access key ID', 'Status', 'Created', 'Expires'].map((t) => h('th', {scope: 'col'}, t)),
      h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions')))),
    keyRows);

  const tokenName = h('input', {id: 'new-token-name', type: 'text', required: true, autocomplete: 'off',
    spellcheck: 'false', 'aria-describedby': 'new-token-help'});
  const tokenExpiry = expirySelect('new-token-expiry', 'Expires after');
  const tokenForm = h('form', {id: 'create-token-form', class: 'inline-form'},
    h('div', {class: 'field'}, h('label', {htmlFor: 'new-token-name'}, 'Token name'), tokenName,
      h('p', {id: 'new-token-help', class: 'hint'}, 'What it is for, e.g. "deploy script".')),
    tokenExpiry.field,
    h('button', {type: 'submit', id: 'create-token'}, 'Create API token'));
  const tokenRows = h('tbody', {id: 'token-rows'});
  const tokens = h('table', {id: 'tokens', class: 'list'},
    h('caption', {class: 'visually-hidden'}, 'Your API tokens'),
    h('thead', {}, h('tr', {}, ['Name', 'ID', 'Created', 'Expires'].map((t) => h('th', {scope: 'col'}, t)),
      h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions')))),
    tokenRows);
  const noTokens = h('p', {id: 'no-tokens', class: 'empty', hidden: true}, 'You have no API tokens.');

  const page = h('section', {class: 'page', id: 'page-account', 'data-test': 'account-page'},
    h('h1', {tabindex: '-1'}, 'Your account'),
    h('p', {class: 'hint'}, `Signed in as ${session.user.name} with access key ${session.accessKeyId}.`),
    error,
    h('section', {'aria-labelledby': 'keys-title', class: 'account-section'},
      h('h2', {id: 'keys-title'}, 'Access keys'),
      h('p', {class: 'hint'}, 'An access key ID and its secret key sign S3 requests and sign you in here.'),
      keyForm, h('div', {class: 'table-wrap'}, keys)),
    h('section', {'aria-labelledby': 'tokens-title', class: 'account-section'},
      h('h2', {id: 'tokens-title'}, 'API tokens'),
      h('p', {class: 'hint'}, 'A token is sent as "Authorization: Bearer <token>" to Tarn\'s JSON APIs (webhooks).'),
      tokenForm, h('div', {class: 'table-wrap'}, tokens), noTokens),
    h('section', {'aria-labelledby': 'sessions-title', class: 'account-section'},
      h('h2', {id: 'sessions-title'}, 'Sessions'),
      h('p', {class: 'hint'}, 'Ends every console session of yours, on every device, this one included.'),
      h('button', {type: 'button', id: 'account-sign-out-everywhere', class: 'secondary',
        on: {click: onSignOutEverywhere}}, 'Sign out everywhere')));
  main.replaceChildren(page);

  async function load() {
    try {
      const [k, t] = await Promise.all([
        admin('GET', `/keys?user=${encodeURIComponent(session.user.id)}`),
        tarnApi('GET', '/tokens'),
      ]);
      keyRows.replaceChildren(...k.keys.map(keyRow));
      tokenRows.replaceChildren(...t.tokens.map(tokenRow));
      tokens.hidden = t.tokens.length === 0;
      noTokens.hidden = t.tokens.length > 0;
    } catch (e) {
      showAlert(error, `Your keys and tokens could not be loaded. ${e.message}`);
    } finally {
      page.dataset.loaded = 'true';
    }
  }

  /**
   * Runs a change, shows its failure in words, reloads; resolves true when it worked. reload false: the
   * change ends the session, so there is nothing to reload (it would only meet the server's 401).
   */
  async function change(what, fn, reload = true) {
    showAlert(error, '');
    page.dataset.loaded = 'false';
    let ok = false;
    try {
      await fn();
      ok = true;
    } catch (e) {
      showAlert(error, `${what} did not work. ${e.message}`);
    }
    if (currentSession() && (reload || !ok)) await load();
    return ok;
  }

  function keyRow(key) {
    const current = key.accessKeyId === session.accessKeyId;
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
          : null,
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
      h('p', {class: 'hint'}, `Now: ${when(key.expires)}. You can shorten an expiry or set one; only an `
        + 'administrator can extend or remove it.'),
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

  function tokenRow(token) {
    return h('tr', {'data-test': 'token-row', 'data-token-id': token.id, 'data-name': token.name},
      h('td', {class: 'name'}, token.name),
      h('td', {}, h('code', {}, token.id)),
      h('td', {}, when(token.created)),
      h('td', {}, token.expired ? 'Expired' : when(token.expires)),
      h('td', {class: 'actions'}, h('button', {type: 'button', class: 'danger small', 'data-test': 'revoke-token',
        on: {click: () => revokeToken(token)}}, 'Revoke', h('span', {class: 'visually-hidden'}, ` token ${token.name}`))));
  }

  async function revokeToken(token) {
    const ok = await confirmDialog({
      title: `Revoke API token ${token.name}?`,
      message: 'Requests with it will be refused at once, and so will those with tokens created with it.',
      confirmLabel: 'Revoke token',
    });
    if (!ok) return;
    if (await change(`Revoking token ${token.name}`, () => tarnApi('DELETE', `/tokens/${encodeURIComponent(token.id)}`))) {
      announce(`Token ${token.name} revoked.`);
    }
  }

  keyForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const expires = expiresIn(keyExpiry.select.value);
    let created;
    if (await change('Creating an access key', async () => {
      created = await admin('POST', '/keys', expires ? {expires} : {});
    })) {
      await secretDialog({
        title: 'New access key',
        rows: [['Access key ID', created.accessKeyId, 'new-key-id'], ['Expires', when(created.expires), 'new-key-expires']],
        secret: {label: 'Secret key', value: created.secretAccessKey},
      });
      created = null;
      announce('Access key created.');
    }
  });

  tokenForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = tokenName.value.trim();
    if (!name) {
      showAlert(error, 'Enter a name for the new token.');
      tokenName.focus();
      return;
    }
    const expires = expiresIn(tokenExpiry.select.value);
    let created;
    if (await change('Creating an API token', async () => {
      created = await tarnApi('POST', '/tokens', expires ? {name, expires} : {name});
    })) {
      tokenName.value = '';
      await secretDialog({
        title: `New API token ${created.name}`,
        rows: [['Token ID', created.id, 'new-token-id'], ['Expires', when(created.expires), 'new-token-expires']],
        secret: {label: 'Token', value: created.token},
      });
      created = null;
      announce('API token created.');
    }
  });

  load();
}
