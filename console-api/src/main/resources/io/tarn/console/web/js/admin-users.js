// Admin: the users (#/admin/users): list with e-mail address, role, status and owned buckets; add (name,
// optional e-mail address, role); change or remove a user's e-mail address (S3 ACL grants by e-mail resolve
// to it); disable or enable; delete, after a confirmation that says what happens to the user's keys, grants
// and buckets (the admin API refuses to delete an owner of buckets unless they pass to another user:
// reassignTo). Each user's keys and buckets are on its own page (admin-user.js).
import {admin, currentSession} from './api.js';
import {adminNav} from './admin-nav.js';
import {confirmDialog} from './confirm-dialog.js';
import {announce, h, replace, showAlert} from './dom.js';
import {formatDate, plural} from './format.js';
import {adminUserHref} from './routes.js';
import {pageChanges} from './page-change.js';

const ROLES = [['user', 'User'], ['admin', 'Administrator']];

/** The hidden alert beside a field, where a refusal about that field is shown. */
function fieldError(id) {
  return h('p', {id, class: 'error field-error', role: 'alert', hidden: true});
}

export function renderAdminUsers(main) {
  const session = currentSession();
  const error = h('p', {id: 'admin-error', role: 'alert', class: 'error', hidden: true});
  const name = h('input', {id: 'new-user-name', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off'});
  // Text, not type=email: the browser's own check would stop the form before the server says what is wrong.
  const email = h('input', {id: 'new-user-email', type: 'text', inputmode: 'email', autocomplete: 'off',
    spellcheck: 'false', autocapitalize: 'off', 'aria-describedby': 'new-user-email-hint new-user-email-error'});
  const emailError = fieldError('new-user-email-error');
  const role = h('select', {id: 'new-user-role'}, ROLES.map(([v, t]) => h('option', {value: v}, t)));
  const form = h('form', {id: 'add-user-form', class: 'inline-form'},
    h('div', {class: 'field'}, h('label', {htmlFor: 'new-user-name'}, 'User name'), name),
    h('div', {class: 'field'}, h('label', {htmlFor: 'new-user-email'}, 'E-mail (optional)'), email,
      h('p', {id: 'new-user-email-hint', class: 'hint'}, 'S3 ACL grants to this address reach the user.'), emailError),
    h('div', {class: 'field'}, h('label', {htmlFor: 'new-user-role'}, 'Role'), role),
    h('button', {type: 'submit', id: 'add-user'}, 'Add user'));
  const rows = h('tbody', {id: 'user-rows'});
  const table = h('table', {id: 'users', class: 'list'},
    h('caption', {class: 'visually-hidden'}, 'Users'),
    h('thead', {}, h('tr', {}, ['Name', 'E-mail', 'Role', 'Status', 'Buckets', 'Created'].map((t) => h('th',
      {scope: 'col'}, t)),
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
      emailCell(u, label),
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

  /** The user's address, with "Edit e-mail" turning the cell into a small form to change or remove it. */
  function emailCell(u, label) {
    const cell = h('td', {class: 'email'});
    const show = () => replace(cell, h('span', {'data-test': 'user-email'}, u.email || ''),
      u.email ? null : h('span', {class: 'hint'}, 'none'),
      ' ', h('button', {type: 'button', class: 'secondary small', 'data-test': 'edit-email', on: {click: edit}},
        label('Edit e-mail')));
    function edit() {
      const id = `email-${u.id}`;
      const input = h('input', {id, type: 'text', inputmode: 'email', value: u.email || '', autocomplete: 'off',
        spellcheck: 'false', autocapitalize: 'off', 'data-test': 'email-input', 'aria-describedby': `${id}-error`});
      const problem = fieldError(`${id}-error`);
      const editor = h('form', {class: 'inline-edit', 'data-test': 'email-form'},
        h('label', {htmlFor: id, class: 'visually-hidden'}, `E-mail address of ${u.name} (empty: none)`), input,
        h('button', {type: 'submit', class: 'small', 'data-test': 'save-email'}, 'Save'),
        h('button', {type: 'button', class: 'secondary small', 'data-test': 'cancel-email', on: {click: show}},
          'Cancel'),
        problem);
      editor.addEventListener('submit', async (e) => {
        e.preventDefault();
        const value = input.value.trim();
        if (await save(`Changing the e-mail address of ${u.name}`, problem, input,
          () => admin('PATCH', `/users/${encodeURIComponent(u.name)}`, {email: value || null}))) {
          announce(value ? `The e-mail address of ${u.name} is now ${value}.`
            : `${u.name} has no e-mail address now.`);
        }
      });
      replace(cell, editor);
      input.focus();
    }
    show();
    return cell;
  }

  /**
   * Runs a change whose refusal may be about an e-mail field: the admin API names the field at the start of
   * its message ("email" ...), and then the message is shown beside that field, which keeps what was typed;
   * any other refusal goes to the page's alert. Resolves true when it worked (the list is drawn again).
   */
  async function save(what, problem, input, fn) {
    showAlert(error, '');
    showAlert(problem, '');
    input.removeAttribute('aria-invalid');
    page.dataset.loaded = 'false';
    try {
      await fn();
    } catch (e) {
      if (e.status === 400 && e.message.startsWith('"email"')) {
        showAlert(problem, `${what} did not work. ${e.message}`);
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      } else {
        showAlert(error, `${what} did not work. ${e.message}`);
      }
      page.dataset.loaded = 'true';
      return false;
    }
    await load();
    return true;
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
    const address = email.value.trim();
    const body = address ? {name: n, email: address, role: role.value} : {name: n, role: role.value};
    if (await save(`Adding user ${n}`, emailError, email, () => admin('POST', '/users', body))) {
      name.value = '';
      email.value = '';
      announce(`User ${n} added. Create an access key for it on its page.`);
    }
  });

  load();
}
