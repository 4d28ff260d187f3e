// The uploads panel: total and per-file progress, speed and time left, failures per file. It lives
// outside the page, so uploads go on while the user browses elsewhere.
import {announce, h, replace} from './dom.js';
import {formatBytes, formatDuration, formatRate, plural} from './format.js';
import {UploadQueue} from './upload.js';

const STATE_TEXT = {queued: 'Waiting', uploading: 'Uploading', done: 'Uploaded', failed: 'Failed', cancelled: 'Cancelled'};

let queue = null;
let panel = null;
let rows = new Map();
let frame = 0;
const finishedListeners = new Set();

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
  panel.hidden = queue.jobs.length === 0;
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
    h('ul', {id: 'upload-list', class: 'upload-list'}));
  rows = new Map();
}

function makeRow(job) {
  const progress = h('progress', {'aria-label': `Progress of ${job.key}`, max: Math.max(job.file.size, 1), value: 0});
  const state = h('span', {class: 'upload-state', 'data-test': 'upload-state'});
  const error = h('span', {class: 'upload-error', 'data-test': 'upload-error', hidden: true});
  const cancel = h('button', {type: 'button', class: 'secondary small', on: {click: () => queue.cancel(job)}},
    'Cancel', h('span', {class: 'visually-hidden'}, ` upload of ${job.key}`));
  const li = h('li', {'data-test': 'upload-item', 'data-key': job.key},
    h('span', {class: 'upload-name'}, job.key), progress, state, cancel, error);
  return {li, progress, state, error, cancel};
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
}
