// The console API (/_tarn/api/v1): the session and presigned URLs; also the admin API (/_tarn/admin/v1)
// and the webhooks API's /tokens, the same endpoints tarn uses, with the session as the credential. Every call sends the session cookie
// (credentials: 'same-origin') and, on anything but GET/HEAD, the session's CSRF token. The secret key
// passes through signIn() once and is kept nowhere: not in a variable that outlives the call, not in
// localStorage/sessionStorage, not in a URL. The CSRF token lives in this module's memory only.

const BASE = '/_tarn/api/v1';
const ADMIN = '/_tarn/admin/v1';
const NETWORK_MESSAGE = 'The Tarn server could not be reached. Check your network connection, then try again.';

let session = null;
let signedOut = () => {};
const sessionListeners = new Set();

/** A failed console API call: the HTTP status, the error code and a message in words. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/** The signed-in session ({user, accessKeyId, csrfToken, expires, ...}) or null. */
export function currentSession() {
  return session;
}

/** fn(notice) runs when a call finds the session gone (401 NotSignedIn). */
export function onSignedOut(fn) {
  signedOut = fn;
}

/**
 * fn(session or null) runs after every sign-in, restore, sign-out and ended session, for what belongs
 * to the signed-in key (e.g. the unfinished uploads it started in this browser).
 */
export function onSessionChange(fn) {
  sessionListeners.add(fn);
}

function sessionChanged() {
  sessionListeners.forEach((fn) => fn(session));
}

async function call(method, path, body, options = {}) {
  try {
    return await attempt(method, path, body, options);
  } catch (e) {
    // Another tab signed in again: the cookie now names a newer session, whose CSRF token this page
    // has never seen. Take the token of the session the cookie names and try once more.
    if (e.code !== 'CsrfTokenInvalid' || !session || options.quietUnauthorized) throw e;
    const previous = session;
    if (!(await restoreSession())) {
      signedOut('Your session has ended. Sign in again to go on.');
      throw e;
    }
    if (session.user.id !== previous.user.id) {
      // Acting as another user than the page shows would be wrong: keep the old (refused) token, so
      // every change keeps being refused with this message until the page is reloaded.
      const now = session.user.name;
      session = previous;
      throw new ApiError(403, 'SignedInElsewhere',
        `You signed in as ${now} in another tab. Reload this page to go on as ${now}.`);
    }
    return attempt(method, path, body, options);
  }
}

async function attempt(method, path, body, {quietUnauthorized = false} = {}) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && session) headers['X-Tarn-CSRF'] = session.csrfToken;
  let res;
  try {
    res = await fetch(path.startsWith('/_tarn/') ? path : BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NetworkError', NETWORK_MESSAGE);
  }
  const data = res.status === 204 ? null : await readJson(res);
  if (res.ok) return data;
  const error = apiError(res, data);
  if (res.status === 401 && error.code === 'NotSignedIn' && !quietUnauthorized) {
    session = null;
    sessionChanged();
    signedOut('Your session has ended (signed out, timed out, or your key was disabled). Sign in again to go on.');
  }
  throw error;
}

async function readJson(res) {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

/**
 * The contract's error body is {"error": "Code", "message": "..."}; Tarn's admin API writes
 * {"error": {"code": "...", "message": "..."}}. Both are read, and a body that is neither still
 * gives a sentence.
 */
function apiError(res, data) {
  const err = data && data.error;
  const code = typeof err === 'string' ? err : (err && err.code) || `Http${res.status}`;
  const message = (data && typeof data.message === 'string' && data.message)
    || (err && typeof err.message === 'string' && err.message)
    || `The server answered ${res.status} ${res.statusText || ''}`.trim() + '. Try again in a moment.';
  const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
  const error = new ApiError(res.status, code, message, Number.isFinite(retry) ? retry : undefined);
  // The webhooks API names the request field to blame, so a form can say it beside that field.
  if (err && typeof err.field === 'string') error.field = err.field;
  return error;
}

/** The live session behind the cookie, or null (no notice: this is how the console starts). */
export async function restoreSession() {
  try {
    session = await call('GET', '/session', undefined, {quietUnauthorized: true});
  } catch (e) {
    if (e.status === 401) {
      session = null;
    } else {
      throw e;
    }
  }
  sessionChanged();
  return session;
}

/** Signs in; throws ApiError (InvalidCredentials, TooManySignInAttempts, ...) with the server's message. */
export async function signIn(accessKeyId, secretKey) {
  session = null;
  session = await call('POST', '/session', {accessKeyId, secretKey}, {quietUnauthorized: true});
  sessionChanged();
  return session;
}

/** Ends this session (everywhere: every session of the user). The cookie is cleared by the server. */
export async function signOut(everywhere = false) {
  try {
    await call('DELETE', everywhere ? '/sessions' : '/session', undefined, {quietUnauthorized: true});
  } finally {
    session = null;
    sessionChanged();
  }
}

/**
 * A presigned, same-origin URL for one S3 request: {method, bucket?, key?, query?, headers?, expiresSeconds?}.
 * headers names the headers the browser will send that must be signed (e.g. x-amz-checksum-sha256).
 */
export async function presign(request) {
  return (await presignWithExpiry(request)).url;
}

/** Like presign(), but resolves to the server's whole answer: {url, method, expires (ISO-8601)}. */
export async function presignWithExpiry(request) {
  return call('POST', '/presign', request);
}

/** An admin API call (/_tarn/admin/v1 + path), authorized as the same call by tarn would be. */
export async function admin(method, path, body) {
  return call(method, ADMIN + path, body);
}

/** A call to the console's own API (/_tarn/api/v1 + path), e.g. the webhooks API's /tokens. */
export async function tarnApi(method, path, body) {
  return call(method, BASE + path, body);
}

/**
 * Forgets the session on this page and shows sign-in with notice: for when the page itself ended the
 * session (it disabled or deleted the key the session was made with), so the server's next 401 would
 * only say less.
 */
export function sessionEnded(notice) {
  session = null;
  signedOut(notice);
}
