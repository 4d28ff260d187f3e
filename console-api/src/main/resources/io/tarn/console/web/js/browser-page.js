// The object browser: one folder of one bucket, a page of ListObjectsV2 at a time (never the whole
// prefix), with breadcrumbs, a name-prefix filter, sorting within the page, selection, delete, download,
// details and uploads.
import {bucketView, explainRefusal} from './access.js';
import {announce, h, replace, showAlert} from './dom.js';
import {formatBytes, formatDate, plural} from './format.js';
import {confirmDialog} from './confirm-dialog.js';
import {showDetails} from './details-panel.js';
import {browserHref, bucketsHref, webhooksHref} from './routes.js';
import {deleteObjects, dotSegmentMessage, downloadUrl, hasDotSegment, listObjects} from './s3.js';
import {uploadPickers} from './upload-pickers.js';
import {onUploadsFinished} from './uploads-panel.js';

const COLUMNS = [['name', 'Name'], ['size', 'Size'], ['modified', 'Last modified']];

export function renderBrowser(main, {bucket, prefix}) {
  // tokens: the continuation token of every page up to the current one ('' for the first), so
  // "Previous page" needs no listing from the start.
  const state = {filter: '', tokens: [''], page: null, sort: {by: 'name', dir: 1}, selected: new Set(), seq: 0,
    readOnly: false};

  const error = h('p', {id: 'browser-error', role: 'alert', class: 'error', hidden: true});
  const readOnlyNote = h('p', {id: 'read-only-note', class: 'notice-box', hidden: true});
  const dotFolderNote = h('p', {id: 'dot-folder-note', class: 'notice-box', hidden: true});
  const result = h('div', {id: 'browser-result', role: 'status'});
  const filter = h('input', {id: 'filter', type: 'search', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off', 'aria-describedby': 'filter-help'});
  const filterForm = h('form', {id: 'filter-form', role: 'search', class: 'inline-form'},
    h('div', {class: 'field'}, h('label', {htmlFor: 'filter'}, 'Names starting with'), filter,
      h('p', {id: 'filter-help', class: 'hint'}, 'Lists only names in this folder that begin with this text.')),
    h('button', {type: 'submit', id: 'apply-filter', class: 'secondary'}, 'Filter'));
  const deleteButton = h('button', {type: 'button', id: 'delete-selected', class: 'danger', disabled: true},
    'Delete selected');
  const selectAll = h('input', {type: 'checkbox', id: 'select-all', 'aria-label': 'Select every object on this page'});
  const sortButtons = new Map();
  const headCells = COLUMNS.map(([by, label]) => {
    const button = h('button', {type: 'button', class: 'sort', 'data-sort': by, on: {click: () => sortBy(by)}}, label);
    sortButtons.set(by, button);
    return h('th', {scope: 'col', 'data-column': by}, button);
  });
  const rows = h('tbody', {id: 'object-rows'});
  const table = h('table', {id: 'objects', class: 'list'},
    h('caption', {class: 'visually-hidden'}, `Contents of ${bucket}/${prefix}`),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col', class: 'check'}, selectAll), headCells,
      h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions')))),
    rows);
  const empty = h('p', {id: 'empty-folder', class: 'empty', hidden: true});
  const prev = h('button', {type: 'button', id: 'prev-page', class: 'secondary', disabled: true}, 'Previous page');
  const next = h('button', {type: 'button', id: 'next-page', class: 'secondary', disabled: true}, 'Next page');
  const pageNumber = h('span', {id: 'page-number', 'aria-live': 'polite'}, 'Page 1');
  const details = h('aside', {id: 'details', class: 'details card', 'aria-labelledby': 'details-title', hidden: true});
  const page = h('section', {class: 'page', id: 'page-browser', 'data-test': 'browser-page', 'data-loading': 'true'});
  const pickers = uploadPickers(() => ({bucket, prefix}), page);

  // Shown once the access is known: the owner's and admins' (those who may manage the bucket's webhooks).
  const webhooksLink = h('a', {href: webhooksHref(bucket), id: 'webhooks-link', class: 'tab-link', hidden: true},
    'Webhooks', h('span', {class: 'visually-hidden'}, ` of ${bucket}`));
  // Who may only read the bucket may still follow its live events (not manage its webhooks).
  const liveLink = h('a', {href: webhooksHref(bucket, 'live'), id: 'live-link', class: 'tab-link', hidden: true},
    'Live events', h('span', {class: 'visually-hidden'}, ` of ${bucket}`));
  replace(page,
    breadcrumbs(bucket, prefix),
    h('h1', {tabindex: '-1'}, prefix ? folderName(prefix) : bucket),
    h('nav', {class: 'tabs', 'aria-label': `Bucket ${bucket}`}, h('ul', {},
      h('li', {}, h('a', {href: browserHref(bucket), 'aria-current': 'page'}, 'Objects')),
      h('li', {}, webhooksLink), h('li', {}, liveLink))),
    readOnlyNote,
    dotFolderNote,
    h('div', {class: 'toolbar'}, filterForm,
      h('div', {class: 'actions'}, pickers, deleteButton,
        h('button', {type: 'button', id: 'refresh', class: 'secondary', on: {click: () => load()}}, 'Refresh'),
        h('a', {href: webhooksHref(bucket), id: 'webhooks-tab-link', class: 'button secondary'}, 'Webhooks'))),
    h('p', {class: 'hint drop-hint'}, 'You can also drop files and folders here to upload them into this folder.'),
    error, result,
    h('div', {class: 'layout'},
      h('div', {class: 'table-wrap'}, table, empty,
        h('nav', {class: 'pager', 'aria-label': 'Pages'}, prev, pageNumber, next)),
      details));
  main.replaceChildren(page);

  async function load() {
    const seq = ++state.seq;
    page.dataset.loading = 'true';
    page.setAttribute('aria-busy', 'true');
    showAlert(error, '');
    try {
      const listed = await listObjects(bucket, prefix + state.filter, state.tokens[state.tokens.length - 1]);
      if (seq !== state.seq) return;
      state.page = listed;
      state.selected.clear();
      draw();
    } catch (e) {
      if (seq !== state.seq) return;
      const why = await explainRefusal(e, bucket);
      if (seq !== state.seq) return;
      showAlert(error, `The folder could not be listed. ${why}`);
    } finally {
      if (seq === state.seq) {
        page.dataset.loading = 'false';
        page.removeAttribute('aria-busy');
      }
    }
  }

  function draw() {
    const {folders, objects, truncated} = state.page;
    const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
    const key = {name: (o) => o.key, size: (o) => o.size, modified: (o) => o.modified.getTime()}[state.sort.by];
    const sortedFolders = [...folders].sort((a, b) => byName(a, b) * (state.sort.by === 'name' ? state.sort.dir : 1));
    const sorted = [...objects].sort((a, b) => (byName(key(a), key(b)) || byName(a.key, b.key)) * state.sort.dir);
    rows.replaceChildren(...sortedFolders.map(folderRow), ...sorted.map(objectRow));
    for (const [by, button] of sortButtons) {
      const th = button.parentElement;
      if (by === state.sort.by) th.setAttribute('aria-sort', state.sort.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    const count = folders.length + objects.length;
    table.hidden = count === 0;
    empty.hidden = count > 0;
    empty.textContent = state.filter
      ? `No name in this folder starts with “${state.filter}”.`
      : 'This folder is empty. Upload files with the buttons above, or drop them here.';
    prev.disabled = state.tokens.length === 1;
    next.disabled = !truncated;
    pageNumber.textContent = `Page ${state.tokens.length}`;
    page.dataset.pageNumber = String(state.tokens.length);
    selectionChanged();
  }

  function folderRow(folder) {
    return h('tr', {'data-test': 'folder-row', 'data-prefix': folder},
      h('td', {class: 'check'}),
      h('td', {class: 'name'}, h('a', {href: browserHref(bucket, folder), class: 'folder-link'}, folder.slice(prefix.length))),
      h('td', {}, h('span', {class: 'visually-hidden'}, 'Folder')), h('td', {}), h('td', {}));
  }

  function objectRow(object) {
    const name = object.key.slice(prefix.length) || '(this folder’s own object)';
    const check = h('input', {type: 'checkbox', 'data-test': 'select-object', 'aria-label': `Select ${name}`,
      checked: state.selected.has(object.key)});
    check.addEventListener('change', () => {
      if (check.checked) state.selected.add(object.key);
      else state.selected.delete(object.key);
      selectionChanged();
    });
    return h('tr', {'data-test': 'object-row', 'data-key': object.key},
      h('td', {class: 'check'}, check),
      h('td', {class: 'name'}, name),
      h('td', {class: 'size', 'data-bytes': object.size}, formatBytes(object.size)),
      h('td', {class: 'modified'}, h('time', {datetime: object.modified.toISOString()}, formatDate(object.modified))),
      h('td', {class: 'actions'},
        downloadButton(object.key, name),
        h('button', {type: 'button', class: 'secondary small', 'data-test': 'details',
          on: {click: () => showDetails(details, bucket, object, closeDetails)}},
        'Details', h('span', {class: 'visually-hidden'}, ` of ${name}`))));
  }

  /**
   * The row's Download button. For a key with a dot segment it stays focusable but aria-disabled, its
   * title says why, and pressing it says so in full instead of downloading: the URL would be rewritten.
   */
  function downloadButton(key, name) {
    const label = ['Download', h('span', {class: 'visually-hidden'}, ` ${name}`)];
    if (!hasDotSegment(key)) {
      return h('button', {type: 'button', class: 'secondary small', 'data-test': 'download',
        on: {click: () => download(key)}}, label);
    }
    return h('button', {type: 'button', class: 'secondary small', 'data-test': 'download', 'aria-disabled': 'true',
      'data-dot-segment': 'true',
      title: 'Cannot be downloaded from the console: its name has a “.” or “..” path segment, which browsers '
        + 'rewrite. Press for what to use instead.',
      on: {click: () => showAlert(error, `${key}: ${dotSegmentMessage(bucket, key)}`)}}, label);
  }

  function selectionChanged() {
    const onPage = state.page ? state.page.objects.length : 0;
    const n = state.selected.size;
    selectAll.checked = onPage > 0 && n === onPage;
    selectAll.indeterminate = n > 0 && n < onPage;
    selectAll.disabled = onPage === 0;
    deleteButton.disabled = n === 0 || state.readOnly;
    deleteButton.textContent = n ? `Delete selected (${n})` : 'Delete selected';
  }

  function sortBy(by) {
    state.sort = {by, dir: state.sort.by === by ? -state.sort.dir : 1};
    if (state.page) draw();
  }

  /** In a folder whose prefix has a dot segment, says why nothing can be uploaded here and disables the buttons. */
  function showDotFolder() {
    if (!hasDotSegment(prefix)) return;
    replace(dotFolderNote, 'This folder’s name has a “.” or “..” path segment, which web browsers remove from '
      + 'addresses, so the console cannot upload into it, nor preview, download or share the objects in it. You '
      + 'can list, inspect and delete them here; use an S3 client for the rest.');
    dotFolderNote.hidden = false;
    for (const button of [page.querySelector('#upload-files'), page.querySelector('#upload-folder')]) {
      if (!button) continue;
      button.disabled = true;
      button.setAttribute('aria-describedby', 'dot-folder-note');
      button.title = 'The console cannot upload into a folder whose name has a “.” or “..” path segment.';
    }
  }

  function closeDetails() {
    details.hidden = true;
    delete details.dataset.key;
  }

  async function download(key) {
    showAlert(error, '');
    try {
      const link = h('a', {href: await downloadUrl(bucket, key), download: key.slice(key.lastIndexOf('/') + 1),
        hidden: true});
      document.body.append(link);
      link.click();
      link.remove();
      announce(`Downloading ${key}.`);
    } catch (e) {
      showAlert(error, `${key} could not be downloaded. ${e.message}`);
    }
  }

  async function deleteSelected() {
    const keys = [...state.selected];
    const shown = keys.slice(0, 5).map((k) => k.slice(prefix.length)).join(', ');
    const ok = await confirmDialog({
      title: `Delete ${plural(keys.length, 'object')}?`,
      message: `${shown}${keys.length > 5 ? ` and ${keys.length - 5} more` : ''} will be deleted. This cannot be undone.`,
      confirmLabel: `Delete ${plural(keys.length, 'object')}`,
    });
    if (!ok) return;
    deleteButton.disabled = true;
    const {deleted, failed} = await deleteObjects(bucket, keys);
    const denied = failed.find((f) => f.code === 'AccessDenied');
    const why = denied ? await explainRefusal({code: 'AccessDenied', serverMessage: denied.message,
      message: denied.message}, bucket) : '';
    replace(result, failed.length
      ? h('div', {role: 'alert', class: 'error', id: 'delete-summary'},
        h('p', {}, `Deleted ${deleted} of ${plural(keys.length, 'object')}; ${failed.length} could not be deleted:`),
        why && h('p', {id: 'delete-denied'}, why),
        h('ul', {id: 'delete-failures'}, failed.map((f) => h('li', {'data-key': f.key}, `${f.key}: ${f.message}`))),
        h('p', {}, 'Refresh to see what is left, then try again or ask the bucket owner for access.'))
      : h('p', {id: 'delete-summary', class: 'notice'}, `Deleted ${plural(deleted, 'object')}.`));
    await load();
  }

  filterForm.addEventListener('submit', (e) => {
    e.preventDefault();
    state.filter = filter.value;
    state.tokens = [''];
    load();
  });
  selectAll.addEventListener('change', () => {
    state.selected = new Set(selectAll.checked ? state.page.objects.map((o) => o.key) : []);
    rows.querySelectorAll('input[type=checkbox]').forEach((c) => { c.checked = selectAll.checked; });
    selectionChanged();
  });
  deleteButton.addEventListener('click', deleteSelected);
  next.addEventListener('click', () => {
    if (!state.page || !state.page.truncated) return;
    state.tokens.push(state.page.nextToken);
    load();
  });
  prev.addEventListener('click', () => {
    if (state.tokens.length === 1) return;
    state.tokens.pop();
    load();
  });
  // Uploads into the folder on show refresh it; the listener goes when the page is left.
  const stop = onUploadsFinished((b) => {
    if (!page.isConnected) {
      stop();
    } else if (b === bucket) {
      load();
    }
  });

  /**
   * Marks the page read-only when the caller only has a read grant: the write controls are disabled,
   * with the reason next to them. S3 refuses such writes anyway; this only saves the attempt.
   */
  async function showAccess() {
    let view;
    try {
      view = await bucketView(bucket);
    } catch {
      return; // The listing says what is wrong, if anything is.
    }
    if (!view || !page.isConnected) return;
    page.dataset.access = view.access;
    webhooksLink.hidden = view.access !== 'owner' && view.access !== 'admin';
    liveLink.hidden = !webhooksLink.hidden;
    state.readOnly = view.access === 'read';
    if (!state.readOnly) return;
    replace(readOnlyNote, h('span', {id: 'read-only-badge', class: 'badge'}, 'Read only'), ' ',
      `You have read-only access to bucket ${bucket} (granted by its owner ${view.owner}): you can browse, `
      + 'preview and download, but not upload or delete. Ask them for write access.');
    readOnlyNote.hidden = false;
    for (const button of [page.querySelector('#upload-files'), page.querySelector('#upload-folder'), deleteButton]) {
      if (!button) continue;
      button.disabled = true;
      button.setAttribute('aria-describedby', 'read-only-note');
      button.title = 'Read-only access: ask the bucket\'s owner for write access.';
    }
    selectionChanged();
  }

  showDotFolder();
  showAccess();
  load();
}

function folderName(prefix) {
  const parts = prefix.split('/');
  return parts[parts.length - 2] || prefix;
}

function breadcrumbs(bucket, prefix) {
  const crumbs = [h('li', {}, h('a', {href: bucketsHref()}, 'Buckets'))];
  const parts = prefix.split('/').slice(0, -1);
  const trail = [[bucket, '']];
  let path = '';
  for (const part of parts) {
    path += `${part}/`;
    trail.push([part || '(empty name)', path]);
  }
  trail.forEach(([label, p], i) => {
    crumbs.push(h('li', {}, i === trail.length - 1
      ? h('span', {'aria-current': 'page'}, label)
      : h('a', {href: browserHref(bucket, p)}, label)));
  });
  return h('nav', {id: 'breadcrumbs', class: 'breadcrumbs', 'aria-label': 'Breadcrumbs'}, h('ol', {}, crumbs));
}
