// Admin: the users (#/admin/users): list with role, status and owned buckets; add (name, role); disable
// or enable; delete, after a confirmation that says what happens to the user's keys, grants and buckets
// (the admin API refuses to delete an owner of buckets unless they pass to another user: reassignTo).
// Each user's keys and buckets are on its own page (admin-user.js).
import {admin, currentSession} from './api.js';
import {adminNav} from './admin-nav.js';
import {confirmDialog} from './confirm-dialog.js';
import {announce, h, showAlert} from './dom.js';
import {formatDate, plural} from './format.js';
import {adminUserHref} from './routes.js';
import {pageChanges} from './page-change.js';

const ROLES = [['user', 'User'], ['admin', 'Administrator']];

export function renderAdminUsers(main) {
  const session = currentSession();
  const error = h('p', {id: 'admin-error', role: 'alert', class: 'error', hidden: true});
  const name = h('input', {id: 'new-user-name', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off'});
  const role = h('select', {id: 'new-user-role'}, ROLES.map(([v, t]) => h('option', {value: v}, t)));
  const form = h('form', {id: 'add-user-form', class: 'inline-form'},
    h('div', {class: 'field'}, h('label', {htmlFor: 'new-user-name'}, 'User name'), name),
    h('div', {class: 'field'}, h('label', {htmlFor: 'new-user-role'}, 'Role'), role),
    h('button', {type: 'submit', id: 'add-user'}, 'Add user'));
  const rows = h('tbody', {id: 'user-rows'});
  const table = h('table', {id: 'users', class: 'list'},
    h('caption', {class: 'visually-hidden'}, 'Users'),
    h('thead', {}, h('tr', {}, ['Name', 'Role', 'Status', 'Buckets', 'Created'].map((t) => h('th', {scope: 'col'}, t)),
      h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions')))),
    rows);
  const page = h('section', {class: 'page', id: 'page-admin-users', 'data-test': 'admin-users-page'},
    adminNav('users'),
    h('h1', {tabindex: '-1'}, 'Users'),
    h('p', {class: 'hint'}, 'Administrators may do everything, on every bucket. Users work in the buckets they own '
      + 'or were granted.'),
    error, form, h('div', {class: 'table-wrap'}, table));
  main.replaceChildren(page);
  let users = [];

  async function load() {
    try {
      users = (await admin('GET', '/users')).users;
      rows.replaceChildren(...users.map(row));
    } catch (e) {
      showAlert(error, `The users could not be loaded. ${e.message}`);
    } finally {
      page.dataset.loaded = 'true';
    }
  }

  const change = pageChanges(page, error, load);

  function row(u) {
    const self = u.id === session.user.id;
    const label = (text) => [text, h('span', {class: 'visually-hidden'}, ` user ${u.name}`)];
    return h('tr', {'data-test': 'user-row', 'data-user': u.name, 'data-role': u.role, 'data-enabled': String(u.enabled)},
      h('td', {class: 'name'}, h('a', {href: adminUserHref(u.name)}, u.name), self ? h('span', {class: 'hint'}, ' (you)')
        : null),
      h('td', {'data-test': 'user-role'}, u.role === 'admin' ? 'Administrator' : 'User'),
      h('td', {'data-test': 'user-status'}, u.enabled ? 'Active' : 'Disabled'),
      h('td', {class: 'size'}, String(u.buckets)),
      h('td', {}, formatDate(new Date(u.created))),
      h('td', {class: 'actions'},
        h('a', {href: adminUserHref(u.name), class: 'header-link'}, label('Keys and buckets')),
        self ? null : h('button', {type: 'button', class: 'secondary small', 'data-test': u.enabled ? 'disable-user'
          : 'enable-user', on: {click: () => setEnabled(u, !u.enabled)}}, label(u.enabled ? 'Disable' : 'Enable')),
        self ? null : h('button', {type: 'button', class: 'danger small', 'data-test': 'delete-user',
          on: {click: () => remove(u)}}, label('Delete'))));
  }

  async function setEnabled(u, enabled) {
    if (!enabled) {
      const ok = await confirmDialog({
        title: `Disable user ${u.name}?`,
        message: `Requests signed with any of ${u.name}'s keys will be refused and its console sessions end, until `
          + 'an administrator enables the user again. Its keys, buckets and grants stay as they are.',
        confirmLabel: 'Disable user',
      });
      if (!ok) return;
    }
    if (await change(`${enabled ? 'Enabling' : 'Disabling'} ${u.name}`,
      () => admin('PATCH', `/users/${encodeURIComponent(u.name)}`, {enabled}))) {
      announce(`User ${u.name} ${enabled ? 'enabled' : 'disabled'}.`);
    }
  }

  async function remove(u) {
    let heir = null;
    let message = `${u.name}'s access keys are deleted (requests signed with them are refused and its console `
      + 'sessions and API tokens end), and so are the grants it holds on other buckets. ';
    if (u.buckets > 0) {
      const others = users.filter((o) => o.id !== u.id);
      heir = h('select', {id: 'reassign-to'}, others.map((o) => h('option', {value: o.name,
        selected: o.id === session.user.id}, o.name)));
      message += `It owns ${plural(u.buckets, 'bucket')}: they are not deleted. They pass, with everything in `
        + 'them, their grants and webhooks, to the user you choose below. This cannot be undone.';
    } else {
      message += 'It owns no buckets. This cannot be undone.';
    }
    const ok = await confirmDialog({
      title: `Delete user ${u.name}?`,
      message,
      confirmLabel: 'Delete user',
      typeToConfirm: u.name,
      extra: heir && h('div', {class: 'field'}, h('label', {htmlFor: 'reassign-to'}, 'Give its buckets to'), heir),
    });
    if (!ok) return;
    const query = heir ? `?reassignTo=${encodeURIComponent(heir.value)}` : '';
    if (await change(`Deleting ${u.name}`, () => admin('DELETE', `/users/${encodeURIComponent(u.name)}${query}`))) {
      announce(`User ${u.name} deleted.`);
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const n = name.value.trim();
    if (!n) {
      showAlert(error, 'Enter a name for the new user.');
      name.focus();
      return;
    }
    if (await change(`Adding user ${n}`, () => admin('POST', '/users', {name: n, role: role.value}))) {
      name.value = '';
      announce(`User ${n} added. Create an access key for it on its page.`);
    }
  });

  load();
}
