// A bucket's settings (#/settings/<bucket>), for its owner and admins: owner, object count and size,
// the grants (grant a user read or read-write, revoke), and a forced delete of the bucket with all it
// holds after typing its name. Everything goes through the admin API's /buckets endpoints, which
// refuse anyone but the owner and admins.
import {admin} from './api.js';
import {accessInWords} from './access.js';
import {confirmDialog} from './confirm-dialog.js';
import {announce, h, replace, showAlert} from './dom.js';
import {formatBytes, formatDate, plural} from './format.js';
import {browserHref, bucketsHref} from './routes.js';

const PERMISSIONS = [['read', 'Read only'], ['read-write', 'Read and write']];

export function renderBucketSettings(main, {bucket}) {
  const path = `/buckets/${encodeURIComponent(bucket)}`;
  const error = h('p', {id: 'settings-error', role: 'alert', class: 'error', hidden: true});
  const summary = h('dl', {id: 'settings-summary', class: 'pairs'});
  const grantRows = h('tbody', {id: 'grant-rows'});
  const grants = h('table', {id: 'grants', class: 'list'},
    h('caption', {class: 'visually-hidden'}, `Who else may use ${bucket}`),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'User'), h('th', {scope: 'col'}, 'Access'),
      h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions')))),
    grantRows);
  const noGrants = h('p', {id: 'no-grants', class: 'empty', hidden: true}, 'No one else has access to this bucket.');
  const user = h('input', {id: 'grant-user', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off'});
  const permission = h('select', {id: 'grant-permission'}, PERMISSIONS.map(([v, t]) => h('option', {value: v}, t)));
  const grantForm = h('form', {id: 'grant-form', class: 'inline-form'},
    h('div', {class: 'field'}, h('label', {htmlFor: 'grant-user'}, 'User name'), user),
    h('div', {class: 'field'}, h('label', {htmlFor: 'grant-permission'}, 'Access'), permission),
    h('button', {type: 'submit', id: 'grant-button'}, 'Grant access'));
  const forceDelete = h('button', {type: 'button', id: 'force-delete', class: 'danger'},
    'Delete bucket and everything in it');
  const page = h('section', {class: 'page', id: 'page-settings', 'data-test': 'settings-page'},
    h('nav', {id: 'breadcrumbs', class: 'breadcrumbs', 'aria-label': 'Breadcrumbs'}, h('ol', {},
      h('li', {}, h('a', {href: bucketsHref()}, 'Buckets')),
      h('li', {}, h('a', {href: browserHref(bucket)}, bucket)),
      h('li', {}, h('span', {'aria-current': 'page'}, 'Settings')))),
    h('h1', {tabindex: '-1'}, `Settings of ${bucket}`),
    error, summary,
    h('section', {'aria-labelledby': 'grants-title', class: 'account-section'},
      h('h2', {id: 'grants-title'}, 'Access'),
      h('p', {class: 'hint'}, 'The owner and administrators may do everything. Others need a grant: read (list, '
        + 'download, preview) or read and write (also upload and delete objects).'),
      h('div', {class: 'table-wrap'}, grants), noGrants, grantForm),
    h('section', {'aria-labelledby': 'danger-title', class: 'account-section'},
      h('h2', {id: 'danger-title'}, 'Delete'),
      h('p', {class: 'hint'}, 'Deletes every object in the bucket, aborts its unfinished uploads, then deletes the '
        + 'bucket. This cannot be undone.'),
      forceDelete));
  main.replaceChildren(page);

  function draw(view) {
    replace(summary,
      h('dt', {}, 'Owner'), h('dd', {'data-test': 'settings-owner'}, view.owner || view.ownerId),
      h('dt', {}, 'Your access'), h('dd', {'data-test': 'settings-access'}, accessInWords(view.access)),
      h('dt', {}, 'Objects'), h('dd', {'data-test': 'settings-objects'}, view.objects.toLocaleString()),
      h('dt', {}, 'Size'), h('dd', {'data-test': 'settings-bytes'}, formatBytes(view.bytes)),
      h('dt', {}, 'Created'), h('dd', {}, formatDate(new Date(view.created))),
      h('dt', {}, 'Region'), h('dd', {}, view.region));
    const list = view.grants || [];
    grantRows.replaceChildren(...list.map((g) => h('tr', {'data-test': 'grant-row', 'data-user': g.user,
      'data-permission': g.permission},
    h('td', {class: 'name'}, g.user),
    h('td', {}, accessInWords(g.permission)),
    h('td', {class: 'actions'}, h('button', {type: 'button', class: 'secondary small', 'data-test': 'revoke-grant',
      on: {click: () => revoke(g.user)}}, 'Revoke', h('span', {class: 'visually-hidden'}, ` ${g.user}'s access`))))));
    grants.hidden = list.length === 0;
    noGrants.hidden = list.length > 0;
  }

  /** Runs one admin API call that answers with the bucket's view, and draws it. */
  async function run(what, method, sub = '', body = undefined) {
    showAlert(error, '');
    page.dataset.loaded = 'false';
    try {
      draw(await admin(method, path + sub, body));
      return true;
    } catch (e) {
      const why = e.status === 403 ? 'Only the bucket\'s owner or an administrator may change its settings. ' : '';
      showAlert(error, `${what} did not work. ${why}${e.message}`);
      return false;
    } finally {
      page.dataset.loaded = 'true';
    }
  }

  async function revoke(name) {
    if (await run(`Revoking ${name}'s access`, 'DELETE', `/grants/${encodeURIComponent(name)}`)) {
      announce(`${name} no longer has access to ${bucket}.`);
    }
  }

  grantForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = user.value.trim();
    if (!name) {
      showAlert(error, 'Enter the name of the user to grant access to.');
      user.focus();
      return;
    }
    if (await run(`Granting ${name} access`, 'PUT', `/grants/${encodeURIComponent(name)}`,
      {permission: permission.value})) {
      user.value = '';
      announce(`${name} now has ${accessInWords(permission.value).toLowerCase()} access to ${bucket}.`);
    }
  });

  forceDelete.addEventListener('click', async () => {
    const objects = summary.querySelector('[data-test=settings-objects]');
    const ok = await confirmDialog({
      title: `Delete bucket ${bucket} and everything in it?`,
      message: `${objects ? plural(Number(objects.textContent.replace(/\D/g, '')), 'object') : 'Every object'} `
        + 'and every unfinished upload in it will be deleted, then the bucket. This cannot be undone.',
      confirmLabel: 'Delete everything',
      typeToConfirm: bucket,
    });
    if (!ok) return;
    showAlert(error, '');
    forceDelete.disabled = true;
    try {
      await admin('DELETE', `${path}?force=true`);
      announce(`Bucket ${bucket} deleted.`);
      location.hash = bucketsHref();
    } catch (err) {
      showAlert(error, `Bucket ${bucket} was not deleted. ${err.message}`);
      forceDelete.disabled = false;
    }
  });

  run('Loading the settings', 'GET');
}
