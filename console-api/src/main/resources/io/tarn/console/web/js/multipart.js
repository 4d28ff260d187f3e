// Multipart uploads from the browser (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html):
// CreateMultipartUpload, parts PUT a few at a time, CompleteMultipartUpload; Cancel aborts the upload.
// Every request is presigned by the console API just before it is sent, so the browser holds no secret
// and no URL outlives its use; the bytes go straight to the S3 API.
//
// Resume: upload-records.js remembers which upload a file went to (never a URL). When the same file is
// picked again for the same bucket and key, ListParts says which parts S3 already holds with the right
// size, and only the others are sent. A part that fails on the network or with a 5xx is tried again
// after a growing pause; while the browser is offline it waits for the network instead of failing.
import {currentSession, presign} from './api.js';
import {S3Error, cancelledError, child, children, escapeXml, headObject, putBody, s3Error, send, xml} from './s3.js';
import {recordFor, removeRecord, saveRecord} from './upload-records.js';

const MIB = 1024 * 1024;
/**
 * Files above this go multipart. Below it a single PUT is as fast (at the 8 MiB minimum part size a
 * 16 MiB file is only two parts) and costs three requests fewer, and resuming saves little.
 */
export const MULTIPART_THRESHOLD = 16 * MIB;
/** S3's limits (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html): 10,000 parts, 5 TiB. */
const MAX_PARTS = 10000;
export const MAX_OBJECT_SIZE = 5 * 1024 ** 4;
/** The smallest part size used: S3 allows 5 MiB, but bigger parts mean fewer requests for the same bytes. */
const MIN_PART_SIZE = 8 * MIB;
/** Parts of one file in flight at once. */
const PARTS_AT_ONCE = 4;
/** Tries of one request that fails on the network or with a 5xx (offline time is not counted). */
const TRIES = 5;
const FIRST_PAUSE_MS = 1000;
/** ListParts page size, the most S3 returns (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html). */
const LIST_PARTS_PAGE = 1000;
const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** Error codes of a failure on the server's side (a 5xx when S3 can still choose the status). */
const SERVER_SIDE = new Set(['InternalError', 'ServiceUnavailable', 'SlowDown']);

/** The part size for a file of size bytes: at least 8 MiB, and whole MiB large enough for 10,000 parts. */
export function partSizeFor(size) {
  return Math.max(MIN_PART_SIZE, Math.ceil(size / MAX_PARTS / MIB) * MIB);
}

/** Strategy (see upload.js): sends job.file as a multipart upload, resuming one this browser started. */
export async function putMultipart(job, onProgress, signal) {
  const {file} = job;
  if (file.size > MAX_OBJECT_SIZE) {
    throw new S3Error(400, 'EntityTooLarge', 'This file is larger than 5 TiB, the largest object S3 can hold.');
  }
  const owner = currentSession() && currentSession().accessKeyId;
  // A passing note (retrying, offline, completing) gives way, when cleared, to the lasting one: how a
  // resume went, or that it could not be.
  const note = (text) => {
    job.note = text || job.lasting || '';
    onProgress(job.loaded);
  };
  const upload = (await resumed(job, owner, note, signal)) || (await create(job, owner, note, signal));
  job.uploadId = upload.uploadId;
  try {
    const etags = await sendParts(job, upload, onProgress, note, signal);
    note('Putting the parts together…');
    const etag = await complete(job, upload, etags, note, signal);
    removeRecord(owner, upload.uploadId);
    note('');
    return etag;
  } catch (e) {
    if (signal.aborted) {
      await abandon(job, owner, upload.uploadId);
      throw cancelledError();
    }
    // Nothing to resume when the upload or its bucket is gone; otherwise the record stays, and the
    // uploads panel offers to resume (or discard) it.
    if (e.code === 'NoSuchUpload' || e.code === 'NoSuchBucket') {
      removeRecord(owner, upload.uploadId);
    } else if ((recordFor(owner, job.bucket, job.key, file) || {}).uploadId === upload.uploadId) {
      e.message += ' The parts already sent are kept: to go on, choose the file again under "Unfinished uploads".';
    }
    throw e;
  }
}

/** The unfinished upload of this file that this browser remembers and S3 still has: {uploadId, partSize, done}. */
async function resumed(job, owner, note, signal) {
  const record = recordFor(owner, job.bucket, job.key, job.file);
  if (!record) return null;
  const count = partCount(job.file.size, record.partSize);
  if (count > MAX_PARTS || record.partSize < 5 * MIB) return null;
  let listed;
  try {
    listed = await retrying(note, signal, () => listParts(job.bucket, job.key, record.uploadId));
  } catch (e) {
    if (e.code !== 'NoSuchUpload') throw e;
    removeRecord(owner, record.uploadId);
    job.lasting = 'The earlier unfinished upload of this file is no longer on the server (completed, cancelled '
      + 'or expired elsewhere), so it started afresh.';
    note(job.lasting);
    return null;
  }
  // A part is kept only when S3 holds it whole: the size it must have in this file's layout.
  const done = new Map();
  for (const p of listed) {
    if (p.number <= count && p.size === partLength(job.file.size, record.partSize, p.number)) done.set(p.number, p.etag);
  }
  job.lasting = `Resumed: ${done.size} of ${count} parts were already on the server.`;
  note(job.lasting);
  return {uploadId: record.uploadId, partSize: record.partSize, done};
}

async function create(job, owner, note, signal) {
  const partSize = partSizeFor(job.file.size);
  // The Content-Type is the upload's, given at CreateMultipartUpload
  // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html).
  const headers = job.file.type ? {'Content-Type': job.file.type} : undefined;
  const root = await retrying(note, signal, async () => xml(await send('POST', {
    bucket: job.bucket, key: job.key, query: {uploads: ''}, headers,
  })));
  const uploadId = child(root, 'UploadId');
  if (!uploadId) throw new S3Error(200, 'MalformedResponse', 'The server did not say which upload it started.');
  const {file} = job;
  saveRecord(owner, {bucket: job.bucket, key: job.key, uploadId, partSize, name: file.name, size: file.size,
    lastModified: file.lastModified, started: Date.now()});
  if (signal.aborted) {
    await abandon(job, owner, uploadId);
    throw cancelledError();
  }
  return {uploadId, partSize, done: new Map()};
}

function partCount(size, partSize) {
  return Math.max(1, Math.ceil(size / partSize));
}

function partLength(size, partSize, number) {
  return Math.min(partSize, size - (number - 1) * partSize);
}

/**
 * PUTs the parts not yet done, PARTS_AT_ONCE at a time; resolves to the ETag of every part by number.
 * onProgress gets the bytes of the parts done plus those in flight; a part that fails gives its bytes back.
 */
async function sendParts(job, upload, onProgress, note, signal) {
  const {file} = job;
  const count = partCount(file.size, upload.partSize);
  const etags = new Map(upload.done);
  let doneBytes = 0;
  for (const n of etags.keys()) doneBytes += partLength(file.size, upload.partSize, n);
  job.skipped = doneBytes;
  const inFlight = new Map();
  const report = () => {
    let loaded = doneBytes;
    for (const v of inFlight.values()) loaded += v;
    onProgress(loaded);
  };
  report();
  const todo = [];
  for (let n = 1; n <= count; n++) if (!etags.has(n)) todo.push(n);
  // One failed part stops the others: a failure that retries could not fix would fail them too.
  const stop = new AbortController();
  const stopAll = () => stop.abort();
  signal.addEventListener('abort', stopAll);
  let failure = null;
  const worker = async () => {
    while (!failure && todo.length) {
      const n = todo.shift();
      const start = (n - 1) * upload.partSize;
      const body = file.slice(start, start + partLength(file.size, upload.partSize, n));
      try {
        const etag = await retrying(note, stop.signal, async () => {
          const url = await presign({method: 'PUT', bucket: job.bucket, key: job.key,
            query: {partNumber: String(n), uploadId: upload.uploadId}});
          try {
            return await putBody(url, body, {
              signal: stop.signal,
              onProgress: (loaded) => {
                inFlight.set(n, loaded);
                report();
              },
            });
          } finally {
            inFlight.delete(n);
            report();
          }
        });
        etags.set(n, etag);
        doneBytes += body.size;
        report();
      } catch (e) {
        failure = failure || e;
        stop.abort();
      }
    }
  };
  try {
    await Promise.all(Array.from({length: Math.min(PARTS_AT_ONCE, todo.length)}, worker));
  } finally {
    signal.removeEventListener('abort', stopAll);
  }
  if (signal.aborted) throw cancelledError();
  if (failure) throw failure;
  return etags;
}

/**
 * CompleteMultipartUpload. S3 may answer 200 and still fail, with an <Error> body sent after the
 * status (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html): that is a
 * failure here too, retried like a 5xx when it is one (InternalError).
 */
async function complete(job, upload, etags, note, signal) {
  const parts = Array.from(etags.entries()).sort((a, b) => a[0] - b[0])
    .map(([n, etag]) => `<Part><PartNumber>${n}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`);
  const body = `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="${S3_NS}">${parts.join('')}`
    + '</CompleteMultipartUpload>';
  // Whether a try may have completed the upload without the console hearing the answer.
  let unheard = false;
  const attempt = async () => {
    const res = await send('POST', {
      bucket: job.bucket, key: job.key, query: {uploadId: upload.uploadId},
      headers: {'Content-Type': 'application/xml'}, body,
    });
    const text = await res.text();
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const top = doc.documentElement;
    if (top && top.localName === 'Error') {
      const err = s3Error(res.status, text, res.headers.get('x-amz-request-id'));
      // The 200 hides what the error is; the server-side ones are worth another try like their 5xx.
      if (SERVER_SIDE.has(err.code)) err.status = 500;
      throw err;
    }
    if (!top || top.localName !== 'CompleteMultipartUploadResult') {
      throw new S3Error(res.status, 'MalformedResponse', 'The server sent an answer the console cannot read.');
    }
    return top;
  };
  try {
    const root = await retrying(note, signal, async () => {
      try {
        return await attempt();
      } catch (e) {
        if (transient(e)) unheard = true;
        throw e;
      }
    });
    return child(root, 'ETag');
  } catch (e) {
    // An upload that is completed has no upload id any more, so a retry after an unheard success gets
    // NoSuchUpload. Then the object says whether this upload made it: the size and the ETag of N parts
    // (AWS documents no repeatable Complete; the ETag's MD5 itself cannot be checked without MD5 here).
    if (e.code !== 'NoSuchUpload' || !unheard) throw e;
    const head = await headObject(job.bucket, job.key).catch(() => null);
    if (head && head.size === job.file.size && head.etag && head.etag.endsWith(`-${etags.size}"`)) return head.etag;
    throw e;
  }
}

/** Every part S3 holds for the upload: [{number, etag, size}], page by page. */
async function listParts(bucket, key, uploadId) {
  const parts = [];
  let marker = '';
  for (;;) {
    const query = {uploadId, 'max-parts': String(LIST_PARTS_PAGE)};
    if (marker) query['part-number-marker'] = marker;
    const root = await xml(await send('GET', {bucket, key, query}));
    for (const p of children(root, 'Part')) {
      parts.push({number: Number(child(p, 'PartNumber')), etag: child(p, 'ETag'), size: Number(child(p, 'Size'))});
    }
    const next = child(root, 'NextPartNumberMarker');
    if (child(root, 'IsTruncated') !== 'true' || !next || next === marker) return parts;
    marker = next;
  }
}

/**
 * AbortMultipartUpload, made sure of: a part that was still arriving may be stored after an abort, so
 * AWS advises aborting again until ListParts finds no upload
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html). NoSuchUpload is success.
 */
export async function abortUpload(bucket, key, uploadId) {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await send('DELETE', {bucket, key, query: {uploadId}});
    } catch (e) {
      if (e.code !== 'NoSuchUpload') throw e;
    }
    try {
      await listParts(bucket, key, uploadId);
    } catch (e) {
      if (e.code === 'NoSuchUpload') return;
      throw e;
    }
  }
}

/** After Cancel: aborts the upload and forgets it; if S3 cannot be reached, the record stays for Discard. */
async function abandon(job, owner, uploadId) {
  try {
    await abortUpload(job.bucket, job.key, uploadId);
    removeRecord(owner, uploadId);
  } catch (e) {
    job.note = `The parts sent so far could not be removed (${e.message}). Discard the upload under `
      + '"Unfinished uploads" later.';
  }
}

/** Whether a failure may pass by itself: the network, or a 5xx (InternalError, SlowDown, ServiceUnavailable). */
function transient(e) {
  return e.status === 0 || e.status >= 500 || e.code === 'NetworkError';
}

/**
 * Runs attempt() until it succeeds, fails for good, or the tries run out. While the browser is offline
 * it waits for the 'online' event rather than spending tries; between tries it pauses 1, 2, 4, 8 s.
 */
async function retrying(note, signal, attempt) {
  for (let tries = 1; ; tries++) {
    await online(note, signal);
    try {
      return await attempt();
    } catch (e) {
      if (signal.aborted || e.code === 'Cancelled') throw cancelledError();
      if (!transient(e)) throw e;
      if (!navigator.onLine) {
        tries--;
        continue;
      }
      if (tries >= TRIES) throw e;
      const pause = FIRST_PAUSE_MS * 2 ** (tries - 1);
      note(`${e.message} Trying again in ${Math.round(pause / 1000)} s (try ${tries + 1} of ${TRIES}).`);
      await sleep(pause, signal);
      note('');
    }
  }
}

/** Resolves at once when the browser is online, else at the 'online' event; rejects on cancel. */
function online(note, signal) {
  if (navigator.onLine) return Promise.resolve();
  note('The network dropped: waiting for it to come back.');
  return new Promise((resolve, reject) => {
    const done = () => {
      window.removeEventListener('online', done);
      signal.removeEventListener('abort', done);
      if (signal.aborted) {
        reject(cancelledError());
      } else {
        note('');
        resolve();
      }
    };
    window.addEventListener('online', done);
    signal.addEventListener('abort', done);
  });
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', cancel);
      resolve();
    }, ms);
    const cancel = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    signal.addEventListener('abort', cancel, {once: true});
  });
}
