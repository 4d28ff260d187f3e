// Starts the console: restores the session behind the cookie (or shows sign-in), then draws the page
// of the current hash route and redraws on every route change.
import {currentSession, onSignedOut, restoreSession, signOut} from './api.js';
import {renderAccount} from './account-page.js';
import {renderBrowser} from './browser-page.js';
import {renderBucketSettings} from './bucket-settings-page.js';
import {renderBuckets} from './buckets-page.js';
import {h} from './dom.js';
import {parseRoute} from './routes.js';
import {renderSignIn} from './sign-in-page.js';

const main = document.getElementById('main');
const header = document.getElementById('app-header');
const who = document.getElementById('who');

function render() {
  const session = currentSession();
  if (!session) {
    showSignIn('');
    return;
  }
  header.hidden = false;
  who.textContent = `Signed in as ${session.user.name}`;
  // Administration is for admins only: absent for users (the admin API refuses them anyway).
  document.getElementById('admin-link').hidden = session.user.role !== 'admin';
  const route = parseRoute(location.hash);
  if (route.page === 'browser') {
    document.title = `${route.bucket}/${route.prefix} · Tarn`;
    renderBrowser(main, route);
  } else if (route.page === 'webhooks') {
    document.title = `Webhooks of ${route.bucket} · Tarn`;
    showLazily('The Webhooks tab', () => import('./webhooks-tab.js'), (m) => m.renderWebhooksTab(main, route));
    return;
  } else if (route.page === 'account') {
    document.title = 'Your account · Tarn';
    renderAccount(main, {onSignOutEverywhere: () => leave(true)});
  } else if (route.page === 'admin-users') {
    document.title = 'Users · Tarn';
    showLazily('The users page', () => import('./admin-users.js'), (m) => m.renderAdminUsers(main));
    return;
  } else if (route.page === 'admin-user') {
    document.title = `User ${route.user} · Tarn`;
    showLazily('The user page', () => import('./admin-user.js'), (m) => m.renderAdminUser(main, route));
    return;
  } else if (route.page === 'admin-server') {
    document.title = 'Server · Tarn';
    showLazily('The server page', () => import('./admin-server.js'), (m) => m.renderAdminServer(main));
    return;
  } else if (route.page === 'settings') {
    document.title = `Settings of ${route.bucket} · Tarn`;
    renderBucketSettings(main, route);
  } else {
    document.title = 'Buckets · Tarn';
    renderBuckets(main);
  }
  const heading = main.querySelector('h1');
  if (heading) heading.focus({preventScroll: true});
}

/**
 * Pages most visits never open (the Webhooks tab, a third of the console's code, and the admin pages,
 * which only admins can use) load when first opened, not with the console. A route changed meanwhile
 * wins. what names the page in the message shown if it cannot be loaded.
 */
async function showLazily(what, load, draw) {
  const hash = location.hash;
  try {
    const module = await load();
    if (location.hash !== hash) return;
    draw(module);
    const heading = main.querySelector('h1');
    if (heading) heading.focus({preventScroll: true});
  } catch (e) {
    if (location.hash !== hash) return;
    main.replaceChildren(h('p', {class: 'error', role: 'alert'},
      `${what} could not be loaded. Reload the page to try again. (${e.message})`));
  }
}

function showSignIn(notice, error = '') {
  header.hidden = true;
  who.textContent = '';
  document.title = 'Sign in · Tarn';
  renderSignIn(main, {notice, error}, () => {
    if (location.hash && location.hash !== '#/') location.hash = '#/';
    else render();
  });
}

async function leave(everywhere) {
  try {
    await signOut(everywhere);
    showSignIn(everywhere ? 'You have signed out on every device.' : 'You have signed out.');
  } catch (e) {
    showSignIn('', `Signing out may not have finished. ${e.message}`);
  }
}

async function start() {
  onSignedOut((notice) => showSignIn(notice));
  document.getElementById('sign-out').addEventListener('click', () => leave(false));
  document.getElementById('sign-out-everywhere').addEventListener('click', () => leave(true));
  window.addEventListener('hashchange', () => {
    if (currentSession()) render();
  });
  // A drop that misses the object browser must not make the browser open the file and leave the console.
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => e.preventDefault());
  try {
    await restoreSession();
    render();
  } catch (e) {
    showSignIn('', `The console could not check your session. ${e.message}`);
  }
}

start();
