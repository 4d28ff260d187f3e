// S3 requests from the browser: each one presigned by the console API, then sent straight to the S3 API
// (same origin), so object bytes never pass through the console API and S3 authorizes the request like
// any other. Responses are S3 XML, read with DOMParser.
import {presign} from './api.js';
import {sha256Base64} from './sha256.js';

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** ListObjectsV2 page size: a prefix of any size opens as fast as a small one. */
export const PAGE_SIZE = 200;
/** DeleteObjects takes at most 1,000 keys per request (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html). */
const DELETE_BATCH = 1000;

/** What to do about an S3 error, said after the server's own message. */
const ADVICE = {
  AccessDenied: 'Ask the bucket\'s owner or an administrator for access.',
  BucketAlreadyExists: 'Bucket names are shared by all users of this server: choose another name.',
  BucketAlreadyOwnedByYou: 'It is already in your list of buckets.',
  BucketNotEmpty: 'Delete the objects in it first (and any unfinished uploads), then delete the bucket.',
  EntityTooLarge: 'One request (a whole file or one part of it) can carry at most 5 GiB, and an object be at most 5 TiB.',
  InternalError: 'Try again; if it keeps failing, tell your administrator.',
  InvalidBucketName: 'Use 3 to 63 characters: lower-case letters, digits, dots and hyphens, beginning and ending '
    + 'with a letter or a digit.',
  NoSuchBucket: 'It may have been deleted: go back to the bucket list.',
  NoSuchKey: 'It may have been deleted: refresh the listing.',
  ServiceUnavailable: 'Wait a moment, then try again.',
  SlowDown: 'The server is busy: wait a moment, then try again.',
  StorageFull: 'The server is out of disk space: delete data you no longer need, or ask your administrator.',
  TooManyBuckets: 'Delete a bucket you no longer need, or ask your administrator.',
};

/**
 * Whether key has a "." or ".." path segment (".", "..", "./x", "a/../b", "x/.."). A browser resolves
 * such segments away in every URL it sends, spelled "%2e" too
 * (https://url.spec.whatwg.org/#single-dot-path-segment), so a presigned path-style URL of the key
 * would ask for another path: the console sends no request with such a key in its path, and the console
 * API refuses to presign one. This is the one place that says which keys those are. A key with a literal
 * "%2e" has none: its URL carries "%252e". Empty segments ("/x", "a//b") are kept by browsers.
 */
export function hasDotSegment(key) {
  return key.split('/').some((segment) => segment === '.' || segment === '..');
}

/** The dot segment key has, in quotes, for the words below: “..” before “.”. */
function dotSegmentOf(key) {
  return key.split('/').includes('..') ? '“..”' : '“.”';
}

/** key quoted for a POSIX shell, so the suggested command can be pasted as it is. */
function shellQuote(s) {
  return /^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/**
 * Why the object bucket/key (hasDotSegment) cannot be previewed, downloaded or shared from the console,
 * in words, and the AWS CLI command that can download it (its s3api commands keep dot segments).
 */
export function dotSegmentReason(bucket, key) {
  const name = key.slice(key.lastIndexOf('/') + 1) || 'object';
  return {
    text: `This object’s name has a ${dotSegmentOf(key)} path segment. Web browsers remove such segments from `
      + 'every address they request, so the request would name another object: the console cannot preview, '
      + 'download or share this one. Use an S3 client instead, for example:',
    command: `aws s3api get-object --bucket ${shellQuote(bucket)} --key ${shellQuote(key)} `
      + `${shellQuote(name === '.' || name === '..' ? 'object' : name)}`,
  };
}

/** The S3Error of an upload to bucket/key (hasDotSegment): refused before any request is made. */
export function dotSegmentUploadError(bucket, key) {
  return new S3Error(400, 'DotSegmentKey', `The name ${key} would have a ${dotSegmentOf(key)} path segment. Web `
    + 'browsers remove such segments from every address they request, so the console cannot upload it: the '
    + 'file would be sent to another name. Use an S3 client instead, for example: aws s3api put-object '
    + `--bucket ${shellQuote(bucket)} --key ${shellQuote(key)} --body FILE`);
}

/**
 * Throws when key has a dot segment: the last guard before a URL carrying it in its path is made (the
 * pages refuse earlier, in their own words; the console API would refuse too).
 */
function refuseDotSegment(bucket, key) {
  if (hasDotSegment(key)) {
    throw new S3Error(400, 'DotSegmentKey', `The console cannot send a request for ${key}: its name has a `
      + `${dotSegmentOf(key)} path segment, which web browsers remove from addresses. Use an S3 client.`);
  }
}

/** dotSegmentReason as one line of text (for an alert or a title). */
export function dotSegmentMessage(bucket, key) {
  const {text, command} = dotSegmentReason(bucket, key);
  return `${text} ${command}`;
}

/** A failed S3 request: status, S3 error code and a message in words (the server's, plus what to do). */
export class S3Error extends Error {
  constructor(status, code, message, requestId) {
    const advice = ADVICE[code];
    super([message, advice, status >= 500 && requestId ? `(Request id: ${requestId}.)` : '']
      .filter(Boolean).join(' '));
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    /** The server's own words, without the advice (access.js explains AccessDenied in its own). */
    this.serverMessage = message;
  }
}

const STATUS_MESSAGES = {
  400: 'The server refused the request as malformed.',
  403: 'Access denied.',
  404: 'Not found.',
  409: 'The request conflicts with the current state.',
  503: 'The server is busy.',
};

/** The S3Error of a response (its error XML, or its status alone for HEAD or an empty body). */
export function s3Error(status, bodyText, requestId) {
  const doc = bodyText ? parseXml(bodyText) : null;
  const root = doc && doc.documentElement;
  if (root && root.localName === 'Error') {
    return new S3Error(status, child(root, 'Code') || `Http${status}`,
      child(root, 'Message') || STATUS_MESSAGES[status] || `The server answered ${status}.`,
      child(root, 'RequestId') || requestId);
  }
  const code = {403: 'AccessDenied', 503: 'SlowDown', 500: 'InternalError'}[status] || `Http${status}`;
  return new S3Error(status, code, STATUS_MESSAGES[status] || `The server answered ${status}.`, requestId);
}

export function networkError() {
  return new S3Error(0, 'NetworkError',
    'The Tarn server could not be reached. Check your network connection, then try again.');
}

/**
 * Presigns and sends one S3 request; resolves with the Response when it is 2xx, else throws S3Error.
 * signedHeaders are sent and signed: the x-amz-* headers a presigned request carries must be among its
 * X-Amz-SignedHeaders (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html);
 * headers are only sent.
 */
export async function send(method, {bucket, key, query, signedHeaders, headers, body}) {
  if (key !== undefined) refuseDotSegment(bucket, key);
  const request = {method};
  if (bucket !== undefined) request.bucket = bucket;
  if (key !== undefined) request.key = key;
  if (query) request.query = query;
  if (signedHeaders) request.headers = signedHeaders;
  const url = await presign(request);
  let res;
  try {
    res = await fetch(url, {
      method, headers: {...signedHeaders, ...headers}, body, credentials: 'same-origin', cache: 'no-store',
    });
  } catch {
    throw networkError();
  }
  if (!res.ok) {
    throw s3Error(res.status, method === 'HEAD' ? '' : await res.text(), res.headers.get('x-amz-request-id'));
  }
  return res;
}

/** The error of an upload stopped by its Cancel button (or by the page). */
export function cancelledError() {
  return new S3Error(0, 'Cancelled', 'Upload cancelled.');
}

/**
 * PUTs body (a File or a slice of one) to a presigned url through XMLHttpRequest, since fetch has no
 * upload progress: onProgress(bytesSent) follows the body, signal aborts it. Resolves with the ETag;
 * rejects with the S3Error of the answer, networkError() or cancelledError(). The ETag header is readable
 * because the request is same-origin.
 */
export function putBody(url, body, {contentType, onProgress, signal}) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) {
      reject(cancelledError());
      return;
    }
    const xhr = new XMLHttpRequest();
    const stop = () => xhr.abort();
    const settle = (fn, value) => {
      if (signal) signal.removeEventListener('abort', stop);
      fn(value);
    };
    xhr.open('PUT', url);
    if (contentType) xhr.setRequestHeader('Content-Type', contentType);
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded));
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(body.size);
        settle(resolve, xhr.getResponseHeader('ETag'));
      } else {
        settle(reject, s3Error(xhr.status, xhr.responseText, xhr.getResponseHeader('x-amz-request-id')));
      }
    });
    xhr.addEventListener('error', () => settle(reject, networkError()));
    xhr.addEventListener('abort', () => settle(reject, cancelledError()));
    if (signal) signal.addEventListener('abort', stop);
    xhr.send(body);
  });
}

export function parseXml(text) {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  return doc.getElementsByTagName('parsererror').length ? null : doc;
}

export async function xml(res) {
  const doc = parseXml(await res.text());
  if (!doc) throw new S3Error(res.status, 'MalformedResponse', 'The server sent a response the console cannot read.');
  return doc.documentElement;
}

/** The direct children of el named name (S3 documents use one namespace, matched by local name). */
export function children(el, name) {
  return Array.from(el.children).filter((c) => c.localName === name);
}

export function child(el, name) {
  const c = children(el, name)[0];
  return c ? c.textContent : undefined;
}

/** ListBuckets: [{name, created: Date}] of the buckets the signed-in key may see. */
export async function listBuckets() {
  const root = await xml(await send('GET', {}));
  const list = children(root, 'Buckets')[0];
  return (list ? children(list, 'Bucket') : []).map((b) => ({
    name: child(b, 'Name'),
    created: new Date(child(b, 'CreationDate')),
  }));
}

export async function createBucket(bucket) {
  await send('PUT', {bucket});
}

export async function deleteBucket(bucket) {
  await send('DELETE', {bucket});
}

/**
 * One page of ListObjectsV2 under prefix, folders by '/': {folders: [prefix], objects: [{key, size,
 * modified, etag, owner}], truncated, nextToken}. fetch-owner=true adds each object's owner (its
 * DisplayName, else its ID) for the details panel: HeadObject does not return it. encoding-type=url keeps keys with characters XML 1.0 cannot
 * carry readable (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html).
 */
export async function listObjects(bucket, prefix, token) {
  const query = {'list-type': '2', prefix, delimiter: '/', 'max-keys': String(PAGE_SIZE), 'encoding-type': 'url',
    'fetch-owner': 'true'};
  if (token) query['continuation-token'] = token;
  const root = await xml(await send('GET', {bucket, query}));
  const encoded = child(root, 'EncodingType') === 'url';
  const decode = (s) => (encoded ? decodeURIComponent(s) : s);
  return {
    folders: children(root, 'CommonPrefixes').map((p) => decode(child(p, 'Prefix'))),
    objects: children(root, 'Contents').map((c) => ({
      key: decode(child(c, 'Key')),
      size: Number(child(c, 'Size')),
      modified: new Date(child(c, 'LastModified')),
      etag: child(c, 'ETag'),
      owner: ownerName(c),
    })),
    truncated: child(root, 'IsTruncated') === 'true',
    nextToken: child(root, 'NextContinuationToken'),
  };
}

/** The DisplayName of an element's Owner, else its ID, else ''. */
function ownerName(element) {
  const owner = children(element, 'Owner')[0];
  return owner ? (child(owner, 'DisplayName') || child(owner, 'ID') || '') : '';
}

/**
 * HeadObject: {size, etag, contentType, lastModified, versionId, metadata: [[name, value]], checksums:
 * [[algorithm, value]]}. x-amz-checksum-mode asks for the stored checksums; as an x-amz-* header it is
 * signed (https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html).
 */
export async function headObject(bucket, key) {
  const res = await send('HEAD', {bucket, key, signedHeaders: {'x-amz-checksum-mode': 'ENABLED'}});
  const metadata = [];
  const checksums = [];
  res.headers.forEach((value, name) => {
    if (name.startsWith('x-amz-meta-')) metadata.push([name.slice('x-amz-meta-'.length), value]);
    else if (name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-type') {
      checksums.push([name.slice('x-amz-checksum-'.length).toUpperCase(), value]);
    }
  });
  metadata.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return {
    size: Number(res.headers.get('Content-Length')),
    etag: res.headers.get('ETag'),
    contentType: res.headers.get('Content-Type'),
    lastModified: new Date(res.headers.get('Last-Modified')),
    versionId: res.headers.get('x-amz-version-id'),
    metadata,
    checksums,
  };
}

/**
 * A presigned GET that saves the object under its own name: response-content-disposition makes S3 answer
 * with Content-Disposition: attachment (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html).
 * The quoted filename is ASCII; filename* (RFC 6266) carries the real name in UTF-8.
 */
export async function downloadUrl(bucket, key) {
  refuseDotSegment(bucket, key);
  const name = key.slice(key.lastIndexOf('/') + 1) || 'download';
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const disposition = `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
  return presign({method: 'GET', bucket, key, query: {'response-content-disposition': disposition}});
}

/** Characters XML 1.0 cannot carry: such a key cannot be named in a DeleteObjects body. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\p{Cs}]/u;

export function escapeXml(s) {
  return s.replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;'})[c]);
}

/**
 * Deletes keys: DeleteObjects in quiet mode (only failures come back), 1,000 keys a request, with the
 * x-amz-checksum-sha256 of the body that the API requires (Content-MD5 or an x-amz-checksum-*: see
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html), which carries the keys in its
 * body, so keys with a dot segment (hasDotSegment) are deleted too; a key XML cannot carry is deleted
 * with DeleteObject, which send() refuses (a failure in words) when it also has a dot segment.
 * Resolves to {deleted: n, failed: [{key, code, message}]}.
 */
export async function deleteObjects(bucket, keys) {
  const failed = [];
  let deleted = 0;
  const plain = keys.filter((k) => !NOT_XML.test(k));
  for (const key of keys.filter((k) => NOT_XML.test(k))) {
    try {
      await send('DELETE', {bucket, key});
      deleted++;
    } catch (e) {
      failed.push({key, code: e.code, message: e.message});
    }
  }
  for (let i = 0; i < plain.length; i += DELETE_BATCH) {
    const batch = plain.slice(i, i + DELETE_BATCH);
    const body = new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="${S3_NS}">`
      + '<Quiet>true</Quiet>'
      + batch.map((k) => `<Object><Key>${escapeXml(k)}</Key></Object>`).join('') + '</Delete>');
    const checksum = await sha256Base64(body);
    try {
      const root = await xml(await send('POST', {
        bucket,
        query: {delete: ''},
        signedHeaders: {'x-amz-checksum-sha256': checksum},
        headers: {'Content-Type': 'application/xml'},
        body,
      }));
      const errors = children(root, 'Error').map((e) => ({
        key: child(e, 'Key'), code: child(e, 'Code'), message: child(e, 'Message') || child(e, 'Code'),
      }));
      failed.push(...errors);
      deleted += batch.length - errors.length;
    } catch (e) {
      failed.push(...batch.map((key) => ({key, code: e.code, message: e.message})));
    }
  }
  return {deleted, failed};
}
