// Admin: one user (#/admin/users/<name>): its role and status, its access keys (keys-section.js, as on
// the account page, with an administrator's powers: create one for the user, its secret shown once;
// enable again; extend an expiry) and the buckets it owns or was granted.
import {admin, currentSession} from './api.js';
import {adminNav} from './admin-nav.js';
import {accessInWords} from './access.js';
import {h, replace, showAlert} from './dom.js';
import {formatBytes} from './format.js';
import {keysSection} from './keys-section.js';
import {adminHref, browserHref, settingsHref} from './routes.js';
import {pageChanges} from './page-change.js';

export function renderAdminUser(main, {user: name}) {
  const session = currentSession();
  const error = h('p', {id: 'admin-error', role: 'alert', class: 'error', hidden: true});
  const summary = h('dl', {id: 'admin-user-summary', class: 'pairs'});
  const bucketRows = h('tbody', {id: 'user-bucket-rows'});
  const buckets = h('table', {id: 'user-buckets', class: 'list'},
    h('caption', {class: 'visually-hidden'}, `Buckets of ${name}`),
    h('thead', {}, h('tr', {}, ['Bucket', 'Access', 'Objects', 'Size'].map((t) => h('th', {scope: 'col'}, t)))),
    bucketRows);
  const noBuckets = h('p', {id: 'no-user-buckets', class: 'empty', hidden: true}, `${name} has no buckets.`);
  const keysHolder = h('div', {id: 'admin-user-keys'});
  const page = h('section', {class: 'page', id: 'page-admin-user', 'data-test': 'admin-user-page'},
    adminNav('users'),
    h('nav', {id: 'breadcrumbs', class: 'breadcrumbs', 'aria-label': 'Breadcrumbs'}, h('ol', {},
      h('li', {}, h('a', {href: adminHref('users')}, 'Users')),
      h('li', {}, h('span', {'aria-current': 'page'}, name)))),
    h('h1', {tabindex: '-1'}, `User ${name}`),
    error, summary,
    h('section', {'aria-labelledby': 'keys-title', class: 'account-section'},
      h('h2', {id: 'keys-title'}, 'Access keys'),
      h('p', {class: 'hint'}, `An access key ID and its secret key sign ${name}'s S3 requests and sign it in here.`),
      keysHolder),
    h('section', {'aria-labelledby': 'user-buckets-title', class: 'account-section'},
      h('h2', {id: 'user-buckets-title'}, 'Buckets'),
      h('div', {class: 'table-wrap'}, buckets), noBuckets));
  main.replaceChildren(page);
  let keys = null;

  async function load() {
    try {
      const [u, k, b] = await Promise.all([
        admin('GET', `/users/${encodeURIComponent(name)}`),
        admin('GET', `/keys?user=${encodeURIComponent(name)}`),
        admin('GET', '/buckets'),
      ]);
      if (!keys) {
        keys = keysSection({user: {id: u.id, name: u.name}, sessionKeyId: session.accessKeyId, asAdmin: true, change});
        replace(keysHolder, keys.form, h('div', {class: 'table-wrap'}, keys.table));
      }
      replace(summary,
        h('dt', {}, 'Role'), h('dd', {'data-test': 'admin-user-role'}, u.role === 'admin' ? 'Administrator' : 'User'),
        h('dt', {}, 'Status'), h('dd', {'data-test': 'admin-user-status'}, u.enabled ? 'Active' : 'Disabled'),
        h('dt', {}, 'E-mail'), h('dd', {'data-test': 'admin-user-email'}, u.email || 'none (set it on the users page)'),
        h('dt', {}, 'User id'), h('dd', {}, h('code', {}, u.id)));
      keys.draw(k.keys);
      const mine = b.buckets.filter((x) => x.ownerId === u.id).map((x) => [x, 'owner']);
      const granted = b.buckets.flatMap((x) => (x.grants || []).filter((g) => g.user === u.name)
        .map((g) => [x, g.permission]));
      const all = [...mine, ...granted];
      bucketRows.replaceChildren(...all.map(([x, access]) => h('tr', {'data-test': 'user-bucket-row',
        'data-bucket': x.name, 'data-access': access},
      h('td', {class: 'name'}, h('a', {href: browserHref(x.name)}, x.name), ' ',
        h('a', {href: settingsHref(x.name), class: 'settings-link hint'}, 'Settings')),
      h('td', {}, access === 'owner' ? 'Owner' : accessInWords(access)),
      h('td', {class: 'size'}, x.objects.toLocaleString()),
      h('td', {class: 'size'}, formatBytes(x.bytes)))));
      buckets.hidden = all.length === 0;
      noBuckets.hidden = all.length > 0;
    } catch (e) {
      showAlert(error, `User ${name} could not be loaded. ${e.message}`);
    } finally {
      page.dataset.loaded = 'true';
    }
  }

  const change = pageChanges(page, error, load);

  load();
}
