// Starts the console: restores the session behind the cookie (or shows sign-in), then draws the page
// of the current hash route and redraws on every route change.
import {currentSession, onSignedOut, restoreSession, signOut} from './api.js';
import {renderAccount} from './account-page.js';
import {renderBrowser} from './browser-page.js';
import {renderBucketSettings} from './bucket-settings-page.js';
import {renderBuckets} from './buckets-page.js';
import {parseRoute} from './routes.js';
import {renderWebhooksTab} from './webhooks-tab.js';
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
  const route = parseRoute(location.hash);
  if (route.page === 'browser') {
    document.title = `${route.bucket}/${route.prefix} · Tarn`;
    renderBrowser(main, route);
  } else if (route.page === 'account') {
    document.title = 'Your account · Tarn';
    renderAccount(main, {onSignOutEverywhere: () => leave(true)});
  } else if (route.page === 'webhooks') {
    document.title = `Webhooks of ${route.bucket} · Tarn`;
    renderWebhooksTab(main, route, session);
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
