// What the signed-in user may do with each bucket, from the admin API's bucket list (the same rule as
// S3's ListBuckets: owned, granted, or an admin), and refusals explained with it. The console only
// uses this to explain and to hide controls: S3 authorizes every request itself.
import {admin, currentSession} from './api.js';

/**
 * The last bucket list, for the user it was read as: the object browser asks for its bucket's access
 * at every folder, so a list younger than REUSE_MS is reused. A grant changed meanwhile shows at the
 * next read, and a refusal always reads it again (explainRefusal).
 */
const REUSE_MS = 30000;
let cached = {user: null, buckets: null, at: 0};

/** The admin API's bucket views the caller may see: [{name, owner, access, objects, bytes, grants?, ...}]. */
export async function listBucketViews() {
  const user = currentSession() && currentSession().user.id;
  const buckets = (await admin('GET', '/buckets')).buckets;
  cached = {user, buckets, at: Date.now()};
  return buckets;
}

/**
 * The view of one bucket as the caller sees it, or null when it may not see it (or it is gone).
 * fresh: read the server's answer now rather than the last list.
 */
export async function bucketView(bucket, {fresh = false} = {}) {
  const user = currentSession() && currentSession().user.id;
  const reuse = !fresh && cached.buckets && cached.user === user && Date.now() - cached.at < REUSE_MS;
  const buckets = reuse ? cached.buckets : await listBucketViews();
  return buckets.find((b) => b.name === bucket) || null;
}

/** "Owner", "Read only", ...: the access field in words. */
export function accessInWords(access) {
  return {owner: 'Owner', admin: 'Administrator', 'read-write': 'Read and write', read: 'Read only'}[access]
    || access;
}

export function readOnlyMessage(bucket, owner) {
  return `You have read-only access to bucket ${bucket} (granted by its owner ${owner}). Ask them for write access.`;
}

/**
 * The words for a failed S3 request on bucket: for AccessDenied, why, from the caller's access as the
 * server says it now (a grant may have changed while the page was open); other errors keep their
 * message. Never throws: if the access cannot be read, the error's own message is the answer.
 */
export async function explainRefusal(error, bucket) {
  if (!error || error.code !== 'AccessDenied') return error ? error.message : '';
  const said = error.serverMessage || 'Access Denied';
  let view;
  try {
    view = await bucketView(bucket, {fresh: true});
  } catch {
    return error.message;
  }
  if (view && view.access === 'read') return readOnlyMessage(bucket, view.owner);
  if (!view) {
    return `You have no access to bucket ${bucket} (any more): its owner may have revoked it, or it was deleted. `
      + 'Ask the bucket\'s owner or an administrator for access.';
  }
  return `The server refused this request (“${said}”), although you have ${accessInWords(view.access).toLowerCase()} `
    + `access to bucket ${bucket}. If a share link or page was open for long, reload and try again; otherwise ask `
    + 'an administrator.';
}
