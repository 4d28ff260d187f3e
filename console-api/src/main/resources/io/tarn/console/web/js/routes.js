// Hash routes: #/ is the bucket list, #/b/<bucket>/<prefix> the object browser, #/settings/<bucket> a
// bucket's settings, #/webhooks/<bucket>/<view> its Webhooks tab, #/account the signed-in user's keys
// and tokens, #/admin/users, #/admin/users/<name> and #/admin/server the admin pages. Each segment of the prefix is percent-encoded and '/' kept, so any key (with '#',
// '%', '?' or spaces) round-trips.

export function parseRoute(hash) {
  const path = hash.replace(/^#/, '');
  if (path === '/account') return {page: 'account'};
  if (path === '/admin/users' || path === '/admin') return {page: 'admin-users'};
  if (path === '/admin/server') return {page: 'admin-server'};
  const adminUser = /^\/admin\/users\/([^/]+)$/.exec(path);
  const settings = /^\/settings\/([^/]+)$/.exec(path);
  const webhooks = /^\/webhooks\/([^/]+)(?:\/([a-z-]+))?$/.exec(path);
  const m = /^\/b\/([^/]+)\/?(.*)$/.exec(path);
  try {
    if (adminUser) return {page: 'admin-user', user: decodeURIComponent(adminUser[1])};
    if (webhooks) return {page: 'webhooks', bucket: decodeURIComponent(webhooks[1]), view: webhooks[2] || ''};
    if (settings) return {page: 'settings', bucket: decodeURIComponent(settings[1])};
    if (m) return {page: 'browser', bucket: decodeURIComponent(m[1]), prefix: decodeURIComponent(m[2])};
  } catch {
    return {page: 'buckets'};
  }
  return {page: 'buckets'};
}

export function bucketsHref() {
  return '#/';
}

export function accountHref() {
  return '#/account';
}

export function settingsHref(bucket) {
  return `#/settings/${encodeURIComponent(bucket)}`;
}

export function browserHref(bucket, prefix = '') {
  return `#/b/${encodeURIComponent(bucket)}/${prefix.split('/').map(encodeURIComponent).join('/')}`;
}

/** A bucket's Webhooks tab, at one of its views ('' for the default one). */
export function webhooksHref(bucket, view = '') {
  return `#/webhooks/${encodeURIComponent(bucket)}${view ? `/${view}` : ''}`;
}

/** The admin pages: 'users' or 'server'. */
export function adminHref(page) {
  return `#/admin/${page}`;
}

export function adminUserHref(name) {
  return `#/admin/users/${encodeURIComponent(name)}`;
}
