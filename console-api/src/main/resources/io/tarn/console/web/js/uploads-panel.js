// The uploads panel: total and per-file progress, speed and time left, failures per file. It lives
// outside the page, so uploads go on while the user browses elsewhere. Below the uploads of this page it
// lists the unfinished multipart uploads the signed-in key started in this browser (after a reload, a
// failure or a closed tab), each to resume by choosing the same file again, or to discard.
import {onSessionChange} from './api.js';
import {confirmDialog} from './confirm-dialog.js';
import {announce, h, replace} from './dom.js';
import {formatBytes, formatDate, formatDuration, formatRate, plural} from './format.js';
import {abortUpload} from './multipart.js';
import {UploadQueue} from './upload.js';
import {records, removeRecord, sameFile} from './upload-records.js';

const STATE_TEXT = {queued: 'Waiting', uploading: 'Uploading', done: 'Uploaded', failed: 'Failed', cancelled: 'Cancelled'};

let queue = null;
let panel = null;
let rows = new Map();
let frame = 0;
const finishedListeners = new Set();
/** The access key id of the session (whose unfinished uploads are listed), or null when signed out. */
let owner = null;
let unfinishedRows = new Map();
let nextInput = 1;

onSessionChange((session) => {
  owner = session ? session.accessKeyId : null;
  uploads();
  scheduleDraw();
});

/** The one upload queue of the page, drawn in section#uploads. */
export function uploads() {
  if (!queue) {
    panel = document.getElementById('uploads');
    queue = new UploadQueue(scheduleDraw, (bucket, keys) => {
      const t = queue.totals();
      announce(t.failed ? `Uploads finished: ${t.done} uploaded, ${t.failed} failed.` : `Uploaded ${plural(keys.length, 'file')}.`);
      finishedListeners.forEach((fn) => fn(bucket, keys));
    });
  }
  return queue;
}

/** fn(bucket, keys) after each batch of uploads ends; returns a function that removes it. */
export function onUploadsFinished(fn) {
  finishedListeners.add(fn);
  return () => finishedListeners.delete(fn);
}

function scheduleDraw() {
  if (!frame) frame = requestAnimationFrame(draw);
}

function draw() {
  frame = 0;
  if (!panel.firstChild) build();
  const t = queue.totals();
  const unfinished = unfinishedUploads();
  panel.hidden = queue.jobs.length === 0 && unfinished.length === 0;
  drawUnfinished(unfinished);
  const total = panel.querySelector('#upload-total');
  total.max = Math.max(t.total, 1);
  total.value = t.total ? t.loaded : 0;
  const speed = queue.speed();
  const parts = [`${t.done} of ${plural(t.files, 'file')} uploaded`, `${formatBytes(t.loaded)} of ${formatBytes(t.total)}`];
  if (t.failed) parts.push(`${t.failed} failed`);
  if (t.active && speed > 0) parts.push(formatRate(speed), `about ${formatDuration((t.total - t.loaded) / speed)} left`);
  if (!t.active && t.files) parts.push(t.failed ? 'finished with failures' : 'all done');
  panel.querySelector('#upload-summary').textContent = `${parts.join(', ')}.`;
  const list = panel.querySelector('#upload-list');
  const live = new Set();
  for (const job of queue.jobs) {
    live.add(job.id);
    let row = rows.get(job.id);
    if (!row) {
      row = makeRow(job);
      rows.set(job.id, row);
      list.append(row.li);
    }
    updateRow(row, job);
  }
  for (const [id, row] of rows) {
    if (!live.has(id)) {
      row.li.remove();
      rows.delete(id);
    }
  }
}

function build() {
  replace(panel,
    h('div', {class: 'uploads-head'},
      h('h2', {id: 'uploads-title'}, 'Uploads'),
      h('button', {type: 'button', id: 'clear-uploads', class: 'secondary', on: {click: () => queue.clearFinished()}},
        'Clear finished')),
    h('p', {id: 'upload-summary', 'data-test': 'upload-summary'}),
    h('progress', {id: 'upload-total', 'aria-label': 'Total upload progress', max: 1, value: 0}),
    h('ul', {id: 'upload-list', class: 'upload-list'}),
    h('div', {id: 'unfinished-uploads', hidden: true},
      h('h3', {id: 'unfinished-title'}, 'Unfinished uploads'),
      h('p', {class: 'hint'}, 'Big files started in this browser and not finished. Resume one by choosing the same '
        + 'file again (the parts already on the server are not sent again), or discard it to free the space its '
        + 'parts take.'),
      h('p', {id: 'unfinished-message', class: 'upload-error', role: 'alert', hidden: true}),
      h('ul', {id: 'unfinished-list', class: 'upload-list', 'aria-labelledby': 'unfinished-title'})));
  rows = new Map();
  unfinishedRows = new Map();
}

/** The records of the signed-in key's unfinished uploads that no upload of this page is working on. */
function unfinishedUploads() {
  const working = queue.jobs.filter((j) => j.state === 'queued' || j.state === 'uploading');
  return records(owner).filter((r) => !working.some((j) => j.uploadId === r.uploadId
    || (j.bucket === r.bucket && j.key === r.key && sameFile(r, j.file))));
}

function drawUnfinished(unfinished) {
  panel.querySelector('#unfinished-uploads').hidden = unfinished.length === 0;
  const list = panel.querySelector('#unfinished-list');
  const live = new Set(unfinished.map((r) => r.uploadId));
  for (const [id, row] of unfinishedRows) {
    if (!live.has(id)) {
      row.remove();
      unfinishedRows.delete(id);
    }
  }
  for (const r of unfinished) {
    if (!unfinishedRows.has(r.uploadId)) {
      const row = makeUnfinishedRow(r);
      unfinishedRows.set(r.uploadId, row);
      list.append(row);
    }
  }
}

function makeUnfinishedRow(record) {
  const id = `resume-input-${nextInput++}`;
  const input = h('input', {type: 'file', id, class: 'visually-hidden', tabIndex: -1, 'data-test': 'resume-input',
    'aria-label': `The file ${record.name} to resume its upload`});
  input.addEventListener('change', () => {
    const file = input.files[0];
    input.value = '';
    if (!file) return;
    if (!sameFile(record, file)) {
      showUnfinishedMessage(`That is not the file this upload was started with: choose ${record.name} `
        + `(${formatBytes(record.size)}, modified ${formatDate(new Date(record.lastModified))}).`);
      return;
    }
    showUnfinishedMessage('');
    uploads().add(record.bucket, [{file, key: record.key}]);
  });
  const resume = h('button', {type: 'button', class: 'small', 'data-test': 'resume-upload', on: {click: () => input.click()}},
    'Resume (choose the same file again)', h('span', {class: 'visually-hidden'}, ` for ${record.key}`));
  const discard = h('button', {type: 'button', class: 'secondary small', 'data-test': 'discard-upload',
    on: {click: () => discardUpload(record, discard)}},
  'Discard', h('span', {class: 'visually-hidden'}, ` the upload of ${record.key}`));
  return h('li', {'data-test': 'unfinished-upload', 'data-key': record.key, 'data-bucket': record.bucket,
    'data-upload-id': record.uploadId},
  h('span', {class: 'upload-name'}, `${record.bucket}/${record.key}`),
  h('span', {class: 'upload-state'}, `${formatBytes(record.size)} · started ${formatDate(new Date(record.started))}`),
  resume, discard, input);
}

async function discardUpload(record, button) {
  const yes = await confirmDialog({title: 'Discard this upload?', confirmLabel: 'Discard',
    message: `The parts of ${record.key} already sent to ${record.bucket} are deleted; the upload cannot be resumed.`});
  if (!yes) return;
  button.disabled = true;
  try {
    try {
      await abortUpload(record.bucket, record.key, record.uploadId);
    } catch (e) {
      // With its bucket gone, the upload is gone too: only the record is left to forget.
      if (e.code !== 'NoSuchBucket') throw e;
    }
    removeRecord(owner, record.uploadId);
    showUnfinishedMessage('');
    announce(`Discarded the upload of ${record.key}.`);
  } catch (e) {
    button.disabled = false;
    showUnfinishedMessage(`The upload of ${record.key} could not be discarded. ${e.message}`);
  }
  scheduleDraw();
}

function showUnfinishedMessage(text) {
  const el = panel.querySelector('#unfinished-message');
  el.textContent = text;
  el.hidden = !text;
}

function makeRow(job) {
  const progress = h('progress', {'aria-label': `Progress of ${job.key}`, max: Math.max(job.file.size, 1), value: 0});
  const state = h('span', {class: 'upload-state', 'data-test': 'upload-state'});
  const error = h('span', {class: 'upload-error', 'data-test': 'upload-error', hidden: true});
  const note = h('span', {class: 'upload-note', 'data-test': 'upload-note', hidden: true});
  const cancel = h('button', {type: 'button', class: 'secondary small', on: {click: () => queue.cancel(job)}},
    'Cancel', h('span', {class: 'visually-hidden'}, ` upload of ${job.key}`));
  const li = h('li', {'data-test': 'upload-item', 'data-key': job.key},
    h('span', {class: 'upload-name'}, job.key), progress, state, cancel, error, note);
  return {li, progress, state, error, cancel, note};
}

function updateRow(row, job) {
  row.li.dataset.state = job.state;
  row.progress.value = job.state === 'done' ? row.progress.max : job.loaded;
  const size = job.state === 'uploading'
    ? `${Math.floor((job.loaded * 100) / Math.max(job.file.size, 1))} %, ${formatBytes(job.loaded)} of ${formatBytes(job.file.size)}`
    : formatBytes(job.file.size);
  row.state.textContent = `${STATE_TEXT[job.state]} · ${size}`;
  row.cancel.hidden = job.state !== 'queued' && job.state !== 'uploading';
  row.error.hidden = !job.error || job.state !== 'failed';
  row.error.textContent = job.state === 'failed' ? job.error : '';
  const note = job.note || '';
  row.note.hidden = !note;
  row.note.textContent = note || '';
}
