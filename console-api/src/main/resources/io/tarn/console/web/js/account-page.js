// The account page (#/account): the signed-in user's access keys (create with an optional expiry, the
// secret shown once; disable; delete; shorten or set the expiry) and personal API tokens (create, the
// value shown once; revoke), and sign-out everywhere. Keys go through the admin API's /keys and tokens
// through the webhooks API's /tokens, the endpoints tarn uses, so the server authorizes each change as
// it would tarn's (a user acts on its own keys only, and cannot lift a restriction).
import {admin, currentSession, tarnApi} from './api.js';
import {confirmDialog} from './confirm-dialog.js';
import {announce, h, showAlert} from './dom.js';
import {expiresIn, expirySelect, keysSection, when} from './keys-section.js';
import {secretDialog} from './secret-dialog.js';
import {pageChanges} from './page-change.js';

/** onSignOutEverywhere(): what the header's "Sign out everywhere" does. */
export function renderAccount(main, {onSignOutEverywhere}) {
  const session = currentSession();
  const error = h('p', {id: 'account-error', role: 'alert', class: 'error', hidden: true});
  // change (below) needs the page this section is part of: the section calls it only later, on a click.
  const keys = keysSection({user: null, sessionKeyId: session.accessKeyId, asAdmin: false,
    change: (...args) => change(...args)});

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
      keys.form, h('div', {class: 'table-wrap'}, keys.table)),
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
      keys.draw(k.keys);
      tokenRows.replaceChildren(...t.tokens.map(tokenRow));
      tokens.hidden = t.tokens.length === 0;
      noTokens.hidden = t.tokens.length > 0;
    } catch (e) {
      showAlert(error, `Your keys and tokens could not be loaded. ${e.message}`);
    } finally {
      page.dataset.loaded = 'true';
    }
  }

  const change = pageChanges(page, error, load);

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
