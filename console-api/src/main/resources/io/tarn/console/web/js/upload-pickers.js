// Where uploads come from: a file picker (many files), a folder picker (keys keep each file's path
// inside the folder) and files or folders dropped on the object browser. All go to the upload queue
// under the folder being browsed.
import {h} from './dom.js';
import {uploads} from './uploads-panel.js';

/** The upload buttons (and their file inputs) for target() = {bucket, prefix}; dropZone takes drops. */
export function uploadPickers(target, dropZone) {
  const files = h('input', {type: 'file', id: 'upload-files-input', multiple: true, class: 'visually-hidden',
    tabIndex: -1, 'aria-label': 'Files to upload'});
  const folder = h('input', {type: 'file', id: 'upload-folder-input', multiple: true, webkitdirectory: true,
    class: 'visually-hidden', tabIndex: -1, 'aria-label': 'Folder to upload'});
  files.addEventListener('change', () => {
    enqueue(target(), Array.from(files.files, (file) => ({file, path: file.name})));
    files.value = '';
  });
  folder.addEventListener('change', () => {
    enqueue(target(), Array.from(folder.files, (file) => ({file, path: file.webkitRelativePath || file.name})));
    folder.value = '';
  });
  acceptDrops(dropZone, target);
  return [
    h('button', {type: 'button', id: 'upload-files', on: {click: () => files.click()}}, 'Upload files'),
    h('button', {type: 'button', id: 'upload-folder', class: 'secondary', on: {click: () => folder.click()}},
      'Upload folder'),
    files,
    folder,
  ];
}

function enqueue({bucket, prefix}, picked) {
  if (picked.length) uploads().add(bucket, picked.map(({file, path}) => ({file, key: prefix + path})));
}

function acceptDrops(zone, target) {
  let depth = 0;
  const carriesFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files');
  zone.addEventListener('dragenter', (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    depth++;
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragover', (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  zone.addEventListener('dragleave', () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.classList.remove('dragging');
  });
  zone.addEventListener('drop', async (e) => {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    depth = 0;
    zone.classList.remove('dragging');
    const where = target();
    enqueue(where, await droppedFiles(e.dataTransfer));
  });
}

/**
 * The files of a drop, folders walked: [{file, path}]. The entries must be taken before the handler's
 * first await (the DataTransfer is emptied after the event).
 */
async function droppedFiles(transfer) {
  const entries = Array.from(transfer.items || [])
    .map((item) => (item.kind === 'file' && item.webkitGetAsEntry ? item.webkitGetAsEntry() : null))
    .filter(Boolean);
  if (!entries.length) return Array.from(transfer.files, (file) => ({file, path: file.name}));
  const out = [];
  for (const entry of entries) await walk(entry, '', out);
  return out;
}

async function walk(entry, parent, out) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({file, path: parent + entry.name});
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    // readEntries returns a directory in batches (100 in Chromium) until an empty one.
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (!batch.length) break;
      for (const child of batch) await walk(child, `${parent}${entry.name}/`, out);
    }
  }
}
