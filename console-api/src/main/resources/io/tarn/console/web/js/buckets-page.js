// The bucket list: the buckets the signed-in user owns or was granted (admins: all), from the admin
// API's bucket views (the same rule as ListBuckets, plus the caller's access, owner, object count and
// size); create one, delete an empty one (S3 DeleteBucket), and the settings of those it owns.
import {accessInWords, listBucketViews} from './access.js';
import {announce, h, showAlert} from './dom.js';
import {formatBytes, formatDate} from './format.js';
import {confirmDialog} from './confirm-dialog.js';
import {browserHref, settingsHref} from './routes.js';
import {createBucket, deleteBucket} from './s3.js';

export function renderBuckets(main) {
  const error = h('p', {id: 'buckets-error', role: 'alert', class: 'error', hidden: true});
  const name = h('input', {id: 'new-bucket-name', type: 'text', required: true, autocomplete: 'off',
    spellcheck: 'false', autocapitalize: 'off', 'aria-describedby': 'new-bucket-help'});
  const createButton = h('button', {type: 'submit', id: 'create-bucket'}, 'Create bucket');
  const form = h('form', {id: 'create-bucket-form', class: 'inline-form'},
    h('div', {class: 'field'},
      h('label', {htmlFor: 'new-bucket-name'}, 'New bucket name'),
      name,
      h('p', {id: 'new-bucket-help', class: 'hint'},
        '3 to 63 characters: lower-case letters, digits, dots and hyphens.')),
    createButton);
  const body = h('tbody', {id: 'bucket-rows'});
  const table = h('table', {id: 'buckets', class: 'list'},
    h('caption', {class: 'visually-hidden'}, 'Your buckets'),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Name'), h('th', {scope: 'col'}, 'Your access'),
      h('th', {scope: 'col', 'data-column': 'owner'}, 'Owner'),
      h('th', {scope: 'col', class: 'size', 'data-column': 'objects'}, 'Objects'),
      h('th', {scope: 'col', class: 'size'}, 'Size'),
      h('th', {scope: 'col', 'data-column': 'modified'}, 'Created'),
      h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions')))),
    body);
  const empty = h('p', {id: 'no-buckets', class: 'empty', hidden: true}, 'You have no buckets yet. Create one above.');
  const loading = h('p', {id: 'buckets-loading', class: 'hint'}, 'Loading buckets…');
  const page = h('section', {class: 'page', id: 'page-buckets', 'data-test': 'buckets-page'},
    h('h1', {tabindex: '-1'}, 'Buckets'), form, error, loading, h('div', {class: 'table-wrap'}, table), empty);
  main.replaceChildren(page);

  async function load() {
    try {
      const buckets = await listBucketViews();
      body.replaceChildren(...buckets.map(row));
      empty.hidden = buckets.length > 0;
      table.hidden = buckets.length === 0;
    } catch (e) {
      showAlert(error, `The bucket list could not be loaded. ${e.message}`);
    } finally {
      loading.hidden = true;
      page.dataset.loaded = 'true';
    }
  }

  function row(bucket) {
    const created = new Date(bucket.created);
    // Settings and delete are the owner's (and admins'): a grantee's row offers neither.
    const manages = bucket.access === 'owner' || bucket.access === 'admin';
    return h('tr', {'data-test': 'bucket-row', 'data-bucket': bucket.name, 'data-access': bucket.access},
      h('td', {class: 'name'}, h('a', {href: browserHref(bucket.name), class: 'bucket-link'}, bucket.name)),
      h('td', {'data-test': 'bucket-access'}, accessInWords(bucket.access)),
      h('td', {'data-test': 'bucket-owner', 'data-column': 'owner'}, bucket.owner || bucket.ownerId),
      h('td', {class: 'size', 'data-test': 'bucket-objects', 'data-column': 'objects'},
        bucket.objects.toLocaleString()),
      h('td', {class: 'size', 'data-test': 'bucket-bytes', 'data-bytes': bucket.bytes}, formatBytes(bucket.bytes)),
      h('td', {class: 'modified', 'data-column': 'modified'},
        h('time', {datetime: created.toISOString()}, formatDate(created))),
      h('td', {class: 'actions'}, manages && [
        h('a', {href: settingsHref(bucket.name), class: 'settings-link', 'data-test': 'bucket-settings'},
          'Settings', h('span', {class: 'visually-hidden'}, ` of ${bucket.name}`)),
        ' ',
        h('button', {
          type: 'button', class: 'danger small', 'data-test': 'delete-bucket',
          on: {click: () => remove(bucket.name)},
        }, 'Delete', h('span', {class: 'visually-hidden'}, ` bucket ${bucket.name}`))]));
  }

  async function remove(bucket) {
    const ok = await confirmDialog({
      title: `Delete bucket ${bucket}?`,
      message: 'Only an empty bucket can be deleted here (its Settings can delete one with everything in it). '
        + 'This cannot be undone.',
      confirmLabel: 'Delete bucket',
      typeToConfirm: bucket,
    });
    if (!ok) return;
    showAlert(error, '');
    try {
      await deleteBucket(bucket);
      announce(`Bucket ${bucket} deleted.`);
      await load();
    } catch (e) {
      showAlert(error, `Bucket ${bucket} was not deleted. ${e.message}`);
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const bucket = name.value.trim();
    showAlert(error, '');
    if (!bucket) {
      showAlert(error, 'Enter a name for the new bucket.');
      name.focus();
      return;
    }
    createButton.disabled = true;
    try {
      await createBucket(bucket);
      name.value = '';
      announce(`Bucket ${bucket} created.`);
      await load();
    } catch (err) {
      showAlert(error, `Bucket ${bucket} was not created. ${err.message}`);
      name.focus();
    } finally {
      createButton.disabled = false;
    }
  });

  load();
}
