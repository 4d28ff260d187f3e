// The admin pages' own navigation (Users, Server), shown above each of them. The header's "Admin" link,
// which leads here, is shown to admins only (main.js); the admin API refuses everyone else anyway.
import {h} from './dom.js';
import {adminHref} from './routes.js';

export function adminNav(current) {
  return h('nav', {class: 'tabs', 'aria-label': 'Administration'}, h('ul', {},
    [['users', 'Users'], ['server', 'Server']].map(([id, label]) => h('li', {},
      h('a', {href: adminHref(id), id: `admin-tab-${id}`, 'aria-current': id === current ? 'page' : null}, label)))));
}
