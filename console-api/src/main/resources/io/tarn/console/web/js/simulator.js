// The rule simulator (a sub-view of the Webhooks tab): a key, an event and a size in; for every rule of
// the bucket, whether it would match and why not, and for a match the exact headers and body the server
// would send, a curl command that replays them and how to verify the signature. The server builds all
// of it with the code real deliveries use (POST /buckets/<b>/webhooks/simulate); this page only shows it.
import {tarnApi} from './api.js';
import {announce, h, replace, showAlert} from './dom.js';
import {snippetsFor} from './simulator-snippets.js';

/** The events the server emits ([value, label]); the server refuses anything else. */
const EVENTS = [
  ['s3:ObjectCreated:Put', 'ObjectCreated:Put (PutObject)'],
  ['s3:ObjectCreated:Post', 'ObjectCreated:Post (POST Object, a browser form upload)'],
  ['s3:ObjectCreated:Copy', 'ObjectCreated:Copy (CopyObject)'],
  ['s3:ObjectCreated:CompleteMultipartUpload', 'ObjectCreated:CompleteMultipartUpload'],
  ['s3:ObjectRemoved:Delete', 'ObjectRemoved:Delete (DeleteObject)'],
];

export function render(container, {bucket}) {
  const key = h('input', {id: 'sim-key', type: 'text', required: true, autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'off'});
  const event = h('select', {id: 'sim-event'}, EVENTS.map(([v, t]) => h('option', {value: v}, t)));
  const size = h('input', {id: 'sim-size', type: 'number', min: '0', step: '1', value: '0'});
  const replaces = h('input', {id: 'sim-replaces', type: 'checkbox'});
  const error = h('p', {id: 'sim-error', role: 'alert', class: 'error', hidden: true});
  const results = h('div', {id: 'sim-results', 'aria-live': 'polite'});
  const form = h('form', {id: 'sim-form', class: 'inline-form'},
    h('div', {class: 'field'}, h('label', {htmlFor: 'sim-key'}, 'Object key'), key),
    h('div', {class: 'field'}, h('label', {htmlFor: 'sim-event'}, 'Event'), event),
    h('div', {class: 'field narrow-field'}, h('label', {htmlFor: 'sim-size'}, 'Size in bytes'), size),
    h('div', {class: 'field check-field'}, h('label', {}, replaces, ' Replaces an existing object')),
    h('button', {type: 'submit', id: 'sim-run'}, 'Simulate'));
  const view = h('section', {id: 'simulator', 'aria-labelledby': 'sim-title'},
    h('h2', {id: 'sim-title'}, 'Rule simulator'),
    h('p', {class: 'hint'}, 'Which rules would a change to this key trigger, and what exactly would they send? '
      + 'Nothing is written or sent.'),
    form, error, results);
  replace(container, view);

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    showAlert(error, '');
    if (!key.value) {
      showAlert(error, 'Enter an object key.');
      key.focus();
      return;
    }
    view.dataset.loaded = 'false';
    try {
      const answer = await tarnApi('POST', `/buckets/${encodeURIComponent(bucket)}/webhooks/simulate`,
        {key: key.value, event: event.value, size: Number(size.value || 0), replaces: replaces.checked});
      draw(answer);
      const n = answer.rules.filter((r) => r.matched).length;
      announce(`${n} of ${answer.rules.length} rules match.`);
    } catch (err) {
      replace(results);
      showAlert(error, `The simulation did not work. ${err.message}`);
    } finally {
      view.dataset.loaded = 'true';
    }
  });

  function draw(answer) {
    if (answer.rules.length === 0) {
      replace(results, h('p', {class: 'empty', id: 'sim-no-rules'}, `Bucket ${bucket} has no webhook rules.`));
      return;
    }
    replace(results,
      answer.rules.map(ruleCard),
      h('p', {class: 'hint', id: 'sim-placeholders'}, 'The simulation stands in for what only a real commit '
        + `decides: ${answer.placeholders.join(', ')}. A real delivery of this key differs there, and so do its `
        + 'signatures, which cover them.'));
  }
}

function ruleCard(rule) {
  const head = h('div', {class: 'sim-head'},
    h('span', {class: rule.matched ? 'badge ok' : 'badge', 'data-test': 'sim-verdict'},
      rule.matched ? 'Matches' : 'No match'),
    ' ', h('code', {}, rule.url));
  const card = h('article', {class: 'card sim-rule', 'data-test': 'sim-rule', 'data-rule-id': rule.ruleId,
    'data-matched': String(rule.matched)}, head,
  h('p', {class: 'hint'}, `Rule ${rule.ruleId} · ${rule.format} body · ${rule.signature} signature`
      + (rule.signed ? '' : ' (no secret: unsigned)') + (rule.enabled ? '' : ' · disabled')));
  if (!rule.matched) {
    card.append(h('ul', {class: 'sim-reasons'}, rule.reasons.map((r) =>
      h('li', {'data-check': r.check}, h('strong', {}, `${r.check}: `), r.message))));
    return card;
  }
  card.append(
    h('p', {}, 'Delivered as ', h('code', {'data-test': 'sim-event-name'}, rule.eventName)),
    h('h3', {}, 'Headers'),
    h('div', {class: 'table-wrap'}, h('table', {class: 'list sim-headers'},
      h('tbody', {}, Object.entries(rule.headers).map(([name, value]) =>
        h('tr', {'data-header': name}, h('th', {scope: 'row'}, name), h('td', {class: 'name'}, h('code', {}, value))))))),
    h('h3', {}, 'Body'),
    h('pre', {class: 'code', 'data-test': 'sim-body'}, rule.body),
    h('h3', {}, 'Replay with curl'),
    h('pre', {class: 'code', 'data-test': 'sim-curl'}, rule.curl),
    copyButton(rule.curl, 'Copy curl command'),
    rule.signed ? snippets(rule.signature) : null);
  return card;
}

function snippets(scheme) {
  const s = snippetsFor(scheme);
  return h('details', {class: 'sim-snippets'},
    h('summary', {}, `Verify ${s.header} in your receiver`),
    [['Python', s.python], ['Node', s.node], ['Java', s.java]].map(([lang, text]) => [
      h('h3', {}, lang), h('pre', {class: 'code', 'data-lang': lang.toLowerCase()}, text), copyButton(text, `Copy ${lang}`)]));
}

function copyButton(text, label) {
  const note = h('span', {class: 'hint', role: 'status'});
  const button = h('button', {type: 'button', class: 'secondary small', on: {click: async () => {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        note.textContent = ' Copied.';
        return;
      } catch {
        // Refused: select the text below instead.
      }
    }
    const pre = button.parentElement.previousElementSibling;
    if (pre) window.getSelection().selectAllChildren(pre);
    note.textContent = ' Selected: press Ctrl+C (⌘C on a Mac) to copy.';
  }}}, label);
  return h('div', {class: 'actions'}, button, note);
}
