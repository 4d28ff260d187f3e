// An object's details (HeadObject): size, ETag, content type, last modified, version, checksums and
// user metadata (x-amz-meta-*), and its owner from the listing row, all shown as text. An object whose
// key has a dot segment (s3.js hasDotSegment) gets what its listing row says instead: HeadObject, a
// preview or a share link would carry the key in a path the browser rewrites.
import {explainRefusal} from './access.js';
import {h, replace} from './dom.js';
import {formatBytes, formatDate} from './format.js';
import {dotSegmentReason, hasDotSegment, headObject} from './s3.js';
import {objectEventsSection} from './object-events.js';
import {previewSection} from './preview.js';
import {shareLinkSection} from './share-link.js';

/**
 * Fills panel (an aside) with the details of listed ({key, size, etag, modified, owner}: the object's
 * ListObjectsV2 row) in bucket; onClose() when the user closes it. The owner comes from the listing
 * (fetch-owner), since HeadObject does not say it; '' leaves the row out.
 */
export async function showDetails(panel, bucket, listed, onClose) {
  const {key, owner = ''} = listed;
  const close = h('button', {type: 'button', id: 'close-details', class: 'secondary small', on: {click: onClose}},
    'Close details');
  const title = h('h2', {id: 'details-title', tabindex: '-1'}, 'Details');
  replace(panel, h('div', {class: 'details-head'}, title, close), h('p', {class: 'hint'}, 'Loading…'));
  panel.hidden = false;
  panel.dataset.key = key;
  panel.dataset.loaded = 'false';
  title.focus();
  if (hasDotSegment(key)) {
    showListed(panel, bucket, listed, h('div', {class: 'details-head'}, title, close));
    return;
  }
  let info;
  try {
    info = await headObject(bucket, key);
  } catch (e) {
    const why = await explainRefusal(e, bucket);
    if (panel.dataset.key !== key) return;
    replace(panel, h('div', {class: 'details-head'}, title, close),
      h('p', {role: 'alert', class: 'error'}, `The details could not be loaded. ${why}`));
    return;
  }
  if (panel.dataset.key !== key) return;
  const rows = [
    ['Key', key, 'key'],
    ['Size', `${formatBytes(info.size)} (${info.size.toLocaleString()} bytes)`, 'size'],
    ['ETag', info.etag, 'etag'],
    ['Content type', info.contentType || '(none)', 'content-type'],
    ['Last modified', formatDate(info.lastModified), 'last-modified'],
  ];
  if (owner) rows.push(['Owner', owner, 'owner']);
  if (info.versionId) rows.push(['Version', info.versionId, 'version']);
  for (const [algorithm, value] of info.checksums) rows.push([`Checksum ${algorithm}`, value, `checksum-${algorithm}`]);
  const metadata = info.metadata.length
    ? h('dl', {id: 'details-metadata', class: 'pairs'}, info.metadata.map(([name, value]) => [
      h('dt', {}, name), h('dd', {'data-test': 'meta', 'data-name': name}, value)]))
    : h('p', {id: 'details-metadata', class: 'hint'}, 'No user metadata.');
  replace(panel,
    h('div', {class: 'details-head'}, title, close),
    h('dl', {class: 'pairs', id: 'details-list'},
      rows.map(([label, value, test]) => [h('dt', {}, label), h('dd', {'data-test': `detail-${test}`}, value)])),
    h('h3', {}, 'User metadata'),
    metadata,
    previewSection(bucket, key, info.size, info.contentType),
    shareLinkSection(bucket, key),
    objectEventsSection(bucket, key));
  panel.dataset.loaded = 'true';
}

/**
 * The details of a key with a dot segment, from its listing row (no request carries the key in a path),
 * and why the rest (content type, metadata, checksums, preview, share link) needs an S3 client.
 */
function showListed(panel, bucket, {key, size, etag, modified, owner}, head) {
  const rows = [
    ['Key', key, 'key'],
    ['Size', `${formatBytes(size)} (${size.toLocaleString()} bytes)`, 'size'],
    ['ETag', etag, 'etag'],
    ['Last modified', formatDate(modified), 'last-modified'],
  ];
  if (owner) rows.push(['Owner', owner, 'owner']);
  const {text, command} = dotSegmentReason(bucket, key);
  replace(panel, head,
    h('dl', {class: 'pairs', id: 'details-list'},
      rows.map(([label, value, test]) => [h('dt', {}, label), h('dd', {'data-test': `detail-${test}`}, value)])),
    h('div', {id: 'details-dot-segment', class: 'notice-box'},
      h('p', {}, text), h('p', {}, h('code', {id: 'details-dot-command'}, command)),
      h('p', {class: 'hint'}, 'These details come from the folder listing. The content type, user metadata and '
        + 'checksums need the same kind of request, so an S3 client shows them too '
        + `(aws s3api head-object with the same --bucket and --key).`)),
    objectEventsSection(bucket, key));
  panel.dataset.loaded = 'true';
}
