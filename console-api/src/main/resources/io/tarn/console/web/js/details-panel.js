// An object's details (HeadObject): size, ETag, content type, last modified, version, checksums and
// user metadata (x-amz-meta-*), and its owner from the listing row, all shown as text.
import {explainRefusal} from './access.js';
import {h, replace} from './dom.js';
import {formatBytes, formatDate} from './format.js';
import {headObject} from './s3.js';
import {objectEventsSection} from './object-events.js';
import {previewSection} from './preview.js';
import {shareLinkSection} from './share-link.js';

/**
 * Fills panel (an aside) with the details of bucket/key; onClose() when the user closes it. owner: the
 * listing's (ListObjectsV2 fetch-owner), since HeadObject does not say it; '' leaves the row out.
 */
export async function showDetails(panel, bucket, key, onClose, owner = '') {
  const close = h('button', {type: 'button', id: 'close-details', class: 'secondary small', on: {click: onClose}},
    'Close details');
  const title = h('h2', {id: 'details-title', tabindex: '-1'}, 'Details');
  replace(panel, h('div', {class: 'details-head'}, title, close), h('p', {class: 'hint'}, 'Loading…'));
  panel.hidden = false;
  panel.dataset.key = key;
  panel.dataset.loaded = 'false';
  title.focus();
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
