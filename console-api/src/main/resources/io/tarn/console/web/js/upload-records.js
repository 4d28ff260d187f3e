// What this browser remembers of the multipart uploads it started, so that one can be resumed after a
// reload or a dropped network: per upload only {bucket, key, uploadId, partSize, name, size,
// lastModified, started}. Never a presigned URL (it carries a signature) nor anything secret; which parts
// are done is asked of S3 (ListParts) when the upload resumes, not remembered here.
//
// Records live in localStorage under "tarn.upload:<accessKeyId>:<uploadId>", so each signed-in key sees
// only the uploads it started (another user's key names no record of it).

const PREFIX = 'tarn.upload:';
const FIELDS = ['bucket', 'key', 'uploadId', 'partSize', 'name', 'size', 'lastModified', 'started'];

function storageKey(owner, uploadId) {
  return `${PREFIX}${owner}:${uploadId}`;
}

/** localStorage, or null where the browser refuses it (storage disabled): then nothing is resumable. */
function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Remembers an upload that owner (an access key id) started; a full or refused storage only loses resume. */
export function saveRecord(owner, record) {
  const s = storage();
  if (!s || !owner) return;
  const kept = Object.fromEntries(FIELDS.map((f) => [f, record[f]]));
  try {
    s.setItem(storageKey(owner, record.uploadId), JSON.stringify(kept));
  } catch {
    // QuotaExceededError: the upload goes on, it just cannot be resumed after a reload.
  }
}

export function removeRecord(owner, uploadId) {
  const s = storage();
  if (s && owner) s.removeItem(storageKey(owner, uploadId));
}

/** The records of owner's unfinished uploads, oldest first. */
export function records(owner) {
  const s = storage();
  if (!s || !owner) return [];
  const out = [];
  const mine = `${PREFIX}${owner}:`;
  for (let i = 0; i < s.length; i++) {
    const name = s.key(i);
    if (!name || !name.startsWith(mine)) continue;
    const r = parse(s.getItem(name));
    if (r) out.push(r);
  }
  return out.sort((a, b) => a.started - b.started);
}

function parse(text) {
  try {
    const r = JSON.parse(text);
    const valid = r && typeof r.bucket === 'string' && typeof r.key === 'string' && typeof r.uploadId === 'string'
      && Number.isSafeInteger(r.partSize) && r.partSize > 0 && Number.isSafeInteger(r.size)
      && typeof r.name === 'string' && Number.isFinite(r.lastModified);
    return valid ? r : null;
  } catch {
    return null;
  }
}

/** The record of owner's unfinished upload of this very file to bucket/key (same name, size, modification time). */
export function recordFor(owner, bucket, key, file) {
  return records(owner).find((r) => r.bucket === bucket && r.key === key && sameFile(r, file)) || null;
}

/** Whether file is the one a record was made for: a browser gives no path, so name, size and time must do. */
export function sameFile(record, file) {
  return record.name === file.name && record.size === file.size && record.lastModified === file.lastModified;
}
