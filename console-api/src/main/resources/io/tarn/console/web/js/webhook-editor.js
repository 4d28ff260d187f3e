// The form that adds or edits one webhook rule: URL, events (grouped, with the S3 names, Tarn's aliases
// and what each means), prefix and suffix, body format with a sample of each, secret (write-only once
// saved: generate or rotate, or remove), signature scheme and description. Editing PATCHes only the
// fields that changed, so the rule keeps its id, delivery log and dead letters. The API names the field
// it refuses; the reason is shown beside that field.
import {tarnApi} from './api.js';
import {h, showAlert} from './dom.js';

/** The events the server emits, grouped; the value is the name as the API normalises it. */
export const EVENT_GROUPS = [
  ['Tarn aliases', [
    ['object:created', 'A new key was written (PUT, form upload, copy or completed multipart upload)'],
    ['object:updated', 'An existing key was overwritten'],
    ['object:deleted', 'A key was deleted'],
    ['multipart:completed', 'A multipart upload was completed'],
  ]],
  ['S3: objects created', [
    ['s3:ObjectCreated:*', 'Every write of an object, new or overwritten (S3\'s name for all of them)'],
    ['s3:ObjectCreated:Put', 'A PUT of an object'],
    ['s3:ObjectCreated:Post', 'A browser form upload (POST Object)'],
    ['s3:ObjectCreated:Copy', 'A server-side copy (CopyObject)'],
    ['s3:ObjectCreated:CompleteMultipartUpload', 'A multipart upload was completed'],
  ]],
  ['S3: objects removed', [
    ['s3:ObjectRemoved:*', 'Every deletion of an object'],
    ['s3:ObjectRemoved:Delete', 'A DELETE of an object (single or in a multi-object delete)'],
  ]],
];

const FORMATS = [
  ['s3', 'S3 event (version 2.4)', 'The body AWS S3 sends: a Records array; the key is URL-encoded.'],
  ['compact', 'Compact', 'Tarn\'s short form: event name, time, bucket and the object, with the key as is.'],
];

const SIGNATURES = [
  ['tarn', 'Tarn (X-Tarn-Signature-256: hex HMAC-SHA256 of the body)'],
  ['standard-webhooks', 'Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature)'],
  ['elasticlake', 'ElasticLake (Tarn\'s headers and X-ElasticLake-Signature)'],
];

// What the server sends (notifications' Payloads): the S3 body in the shape of AWS's event message structure
// version 2.4 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html; the
// key URL-encoded, a space as '+'), with Tarn's eventSource; the compact body with the key as is.
const SAMPLES = {
  s3: {Records: [{eventVersion: '2.4', eventSource: 'tarn:s3', awsRegion: 'us-east-1',
    eventTime: '2026-12-06T10:00:00.000Z', eventName: 'ObjectCreated:Put',
    userIdentity: {principalId: 'alice'}, requestParameters: {sourceIPAddress: '192.0.2.7'},
    responseElements: {'x-amz-request-id': '17E3A2B4C5D6E7F8', 'x-amz-id-2': 'tarn-node-1'},
    s3: {s3SchemaVersion: '1.0', configurationId: '<rule id>',
      bucket: {name: 'photos', ownerIdentity: {principalId: 'alice'}, arn: 'arn:aws:s3:::photos'},
      object: {key: 'in/cat+1.jpg', size: 48213, eTag: '9b2cf535f27731c974343645a3985328',
        sequencer: '0000018C3F1A2B3C0000000000000001'}}}]},
  compact: {event: 'object:created', timestamp: '2026-12-06T10:00:00Z', bucket: 'photos',
    object: {key: 'in/cat 1.jpg', size: 48213, etag: '9b2cf535f27731c974343645a3985328', contentType: 'image/jpeg'},
    sequencer: '0000018C3F1A2B3C0000000000000001'},
};

const FIELDS = ['url', 'events', 'prefix', 'suffix', 'format', 'secret', 'signature', 'description'];

/** A new random secret for the scheme: Standard Webhooks wants whsec_ + base64, the others any text. */
export function generateSecret(signature) {
  const bytes = crypto.getRandomValues(new Uint8Array(signature === 'standard-webhooks' ? 24 : 32));
  if (signature === 'standard-webhooks') return `whsec_${btoa(String.fromCharCode(...bytes))}`;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The editor as an element. rule: the rule to edit, or null to add one. onSaved(rule) runs with the
 * API's answer, onCancel when the user gives up.
 */
export function ruleEditor({bucket, rule, onSaved, onCancel}) {
  const base = `/buckets/${encodeURIComponent(bucket)}/webhooks`;
  const editing = Boolean(rule);
  const errors = {};
  const fieldError = (name) => {
    errors[name] = h('p', {id: `rule-${name}-error`, class: 'error field-error', role: 'alert', hidden: true});
    return errors[name];
  };
  const formError = h('p', {id: 'rule-form-error', role: 'alert', class: 'error', hidden: true});

  const url = h('input', {id: 'rule-url', type: 'url', required: true, autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off', value: editing ? rule.url : '', 'aria-describedby': 'rule-url-hint rule-url-error'});
  const chosen = new Set(editing ? rule.events : ['object:created']);
  // Names the rule has that no group offers (s3:TestEvent, say) stay offered, so saving never drops them.
  const known = new Set(EVENT_GROUPS.flatMap(([, list]) => list.map(([name]) => name)));
  const others = [...chosen].filter((name) => !known.has(name))
    .map((name) => [name, 'Chosen earlier (e.g. with tarn webhooks)']);
  const events = h('fieldset', {id: 'rule-events', class: 'event-groups', 'aria-describedby': 'rule-events-error'},
    h('legend', {}, 'Events'),
    [...EVENT_GROUPS, ...(others.length ? [['Other', others]] : [])].map(([group, list]) => h('div', {class: 'event-group'}, h('h3', {}, group),
      list.map(([name, meaning]) => {
        const id = `event-${name.replace(/[^a-z0-9]+/gi, '-')}`;
        return h('div', {class: 'check-row'},
          h('input', {type: 'checkbox', id, name: 'events', value: name, checked: chosen.has(name),
            'aria-describedby': `${id}-meaning`}),
          h('label', {htmlFor: id}, h('code', {}, name)),
          h('span', {id: `${id}-meaning`, class: 'hint'}, meaning));
      }))),
    fieldError('events'));
  const prefix = h('input', {id: 'rule-prefix', type: 'text', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off', value: editing ? rule.prefix || '' : '', 'aria-describedby': 'rule-prefix-error'});
  const suffix = h('input', {id: 'rule-suffix', type: 'text', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off', value: editing ? rule.suffix || '' : '', 'aria-describedby': 'rule-suffix-error'});
  const sample = h('pre', {id: 'format-sample', class: 'sample'});
  const formatRadios = FORMATS.map(([value, label, hint]) => h('div', {class: 'check-row'},
    h('input', {type: 'radio', name: 'format', id: `format-${value}`, value,
      checked: (editing ? rule.format : 's3') === value, on: {change: showSample}}),
    h('label', {htmlFor: `format-${value}`}, label), h('span', {class: 'hint'}, hint)));
  const signature = h('select', {id: 'rule-signature', 'aria-describedby': 'rule-signature-error'},
    SIGNATURES.map(([value, label]) => h('option', {value}, label)));
  signature.value = editing ? rule.signature : 'tarn';
  const secret = h('input', {id: 'rule-secret', type: 'text', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off', placeholder: editing && rule.secret ? 'unchanged (the secret cannot be read back)' : '',
    'aria-describedby': 'rule-secret-hint rule-secret-error'});
  const generate = h('button', {type: 'button', id: 'generate-secret', class: 'secondary small'},
    editing && rule.secret ? 'Rotate: generate a new secret' : 'Generate');
  const removeSecret = editing && rule.secret ? h('input', {type: 'checkbox', id: 'remove-secret'}) : null;
  const description = h('input', {id: 'rule-description', type: 'text', autocomplete: 'off',
    value: editing ? rule.description || '' : '', 'aria-describedby': 'rule-description-error'});
  const save = h('button', {type: 'submit', id: 'save-rule'}, editing ? 'Save changes' : 'Add webhook');
  const cancel = h('button', {type: 'button', id: 'cancel-rule', class: 'secondary', on: {click: () => onCancel()}},
    'Cancel');

  const form = h('form', {id: 'rule-editor', class: 'card rule-editor', 'data-test': 'rule-editor', novalidate: true,
    'aria-labelledby': 'rule-editor-title'},
  h('h2', {id: 'rule-editor-title'}, editing ? 'Edit webhook' : 'Add a webhook'),
  formError,
  h('div', {class: 'field'}, h('label', {htmlFor: 'rule-url'}, 'URL'), url,
    h('p', {id: 'rule-url-hint', class: 'hint'}, 'Where each event is POSTed (http or https). Only administrators may '
      + 'use a private, loopback or link-local address.'),
    fieldError('url')),
  events,
  h('div', {class: 'inline-form'},
    h('div', {class: 'field'}, h('label', {htmlFor: 'rule-prefix'}, 'Key prefix'), prefix, fieldError('prefix')),
    h('div', {class: 'field'}, h('label', {htmlFor: 'rule-suffix'}, 'Key suffix'), suffix, fieldError('suffix'))),
  h('fieldset', {id: 'rule-format'}, h('legend', {}, 'Body format'), formatRadios,
    h('p', {class: 'hint'}, 'Sample body:'), sample, fieldError('format')),
  h('div', {class: 'field'}, h('label', {htmlFor: 'rule-signature'}, 'Signature scheme'), signature,
    fieldError('signature')),
  h('div', {class: 'field'}, h('label', {htmlFor: 'rule-secret'}, 'Secret'),
    h('div', {class: 'actions'}, secret, generate),
    h('p', {id: 'rule-secret-hint', class: 'hint'}, editing && rule.secret
      ? 'This webhook has a secret. Leave the field empty to keep it, or generate a new one (rotate): copy it '
        + 'before saving, it cannot be shown again.'
      : 'Signs every delivery so the receiver can check it came from Tarn. Copy it before saving: it cannot be '
        + 'shown again.'),
    removeSecret && h('div', {class: 'check-row'}, removeSecret,
      h('label', {htmlFor: 'remove-secret'}, 'Remove the secret (deliveries are then unsigned)')),
    fieldError('secret')),
  h('div', {class: 'field'}, h('label', {htmlFor: 'rule-description'}, 'Description'), description,
    fieldError('description')),
  h('div', {class: 'dialog-actions'}, save, cancel));

  function showSample() {
    const format = form.querySelector('input[name=format]:checked');
    sample.textContent = JSON.stringify(SAMPLES[format ? format.value : 's3'], null, 2);
  }

  generate.addEventListener('click', () => {
    secret.value = generateSecret(signature.value);
    if (removeSecret) removeSecret.checked = false;
    secret.focus();
    secret.select();
  });

  function clearErrors() {
    showAlert(formError, '');
    for (const name of FIELDS) {
      showAlert(errors[name], '');
      fieldControl(name).removeAttribute('aria-invalid');
    }
  }

  function fieldControl(name) {
    return {url, events, prefix, suffix, format: form.querySelector('#rule-format'), secret, signature,
      description}[name];
  }

  /** The refusal in words, beside the field it names (else above the form). */
  function showError(e) {
    let message = e.message;
    if (e.field === 'url' && e.status === 403) {
      message = `${message.replace(/\.?$/, '.')} Regular users' webhooks may only reach public addresses, so `
        + 'that a webhook cannot be used to reach the server\'s own network (server-side request forgery). Ask an '
        + 'administrator to add this one.';
    }
    if (e.field && errors[e.field]) {
      showAlert(errors[e.field], message);
      fieldControl(e.field).setAttribute('aria-invalid', 'true');
      (fieldControl(e.field).querySelector ? fieldControl(e.field).querySelector('input') || fieldControl(e.field)
        : fieldControl(e.field)).focus();
    } else {
      showAlert(formError, message);
    }
  }

  /** The request body: everything when adding; when editing, only what changed. */
  function body() {
    const picked = [...form.querySelectorAll('input[name=events]:checked')].map((c) => c.value);
    const values = {url: url.value.trim(), events: picked, prefix: prefix.value, suffix: suffix.value,
      format: form.querySelector('input[name=format]:checked').value, signature: signature.value,
      description: description.value};
    if (!editing) {
      const out = {...values};
      if (secret.value) out.secret = secret.value;
      return out;
    }
    const out = {};
    for (const [name, value] of Object.entries(values)) {
      const was = rule[name] === null || rule[name] === undefined ? '' : rule[name];
      if (JSON.stringify(value) !== JSON.stringify(was)) out[name] = value;
    }
    if (secret.value) out.secret = secret.value;
    else if (removeSecret && removeSecret.checked) out.secret = '';
    return out;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    const request = body();
    if (!editing && !request.url) {
      showError({field: 'url', message: 'Enter the URL to send events to.'});
      return;
    }
    if (request.events && request.events.length === 0) {
      showError({field: 'events', message: 'Choose at least one event.'});
      return;
    }
    save.disabled = true;
    form.dataset.saving = 'true';
    try {
      const saved = editing
        ? await tarnApi('PATCH', `${base}/${encodeURIComponent(rule.id)}`, request)
        : await tarnApi('POST', base, request);
      onSaved(saved);
    } catch (err) {
      showError(err);
    } finally {
      save.disabled = false;
      form.dataset.saving = 'false';
    }
  });

  showSample();
  return form;
}
