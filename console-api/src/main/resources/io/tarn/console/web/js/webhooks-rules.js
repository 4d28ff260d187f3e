// The Rules view of a bucket's Webhooks tab: each rule with its status (enabled or not; healthy, or
// failing since the first failure after its last 2xx), events, filters, format, signature scheme and
// figures (pending, delivered, failed, dead letters, p50/p99 from commit to 2xx), refreshed while the
// view is open. Add, edit, enable, disable, delete, and Send test with its outcome inline (status,
// latency, response headers and the first KiB of the body, or the connection error). Everything goes
// through the webhooks API, the one tarn webhooks uses.
import {tarnApi} from './api.js';
import {confirmDialog} from './confirm-dialog.js';
import {announce, h, replace, showAlert} from './dom.js';
import {formatDate} from './format.js';
import {ruleEditor} from './webhook-editor.js';

/** How often the figures are read again while the view is open. */
const REFRESH_MS = 5000;

export function render(container, {bucket}) {
  const base = `/buckets/${encodeURIComponent(bucket)}/webhooks`;
  const error = h('p', {id: 'rules-error', role: 'alert', class: 'error', hidden: true});
  const rows = h('tbody', {id: 'rule-rows'});
  const table = h('table', {id: 'rules', class: 'list rules'},
    h('caption', {class: 'visually-hidden'}, `Webhooks of ${bucket}`),
    h('thead', {}, h('tr', {}, ['Status', 'Webhook', 'Events', 'Filter', 'Format', 'Figures']
      .map((t) => h('th', {scope: 'col'}, t)), h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions')))),
    rows);
  const empty = h('p', {id: 'no-rules', class: 'empty', hidden: true},
    'This bucket has no webhooks yet. Add one to have Tarn POST an event to a URL whenever an object changes.');
  const editorSlot = h('div', {id: 'rule-editor-slot'});
  const add = h('button', {type: 'button', id: 'add-rule'}, 'Add webhook');
  const view = h('section', {id: 'rules-view', 'data-test': 'rules-view', 'data-loaded': 'false'},
    h('div', {class: 'toolbar'}, h('div', {class: 'actions'}, add,
      h('button', {type: 'button', id: 'refresh-rules', class: 'secondary', on: {click: () => load()}}, 'Refresh'))),
    error, editorSlot, h('div', {class: 'table-wrap'}, table), empty);
  container.replaceChildren(view);

  /** Per rule id: the cells the figures refresh updates in place, so focus and outcomes stay put. */
  const cells = new Map();
  let timer = null;

  async function load() {
    showAlert(error, '');
    view.dataset.loaded = 'false';
    try {
      const {webhooks} = await tarnApi('GET', base);
      draw(webhooks);
      await refresh();
    } catch (e) {
      showAlert(error, `The webhooks could not be listed. ${e.message}`);
    } finally {
      view.dataset.loaded = 'true';
    }
  }

  function draw(list) {
    cells.clear();
    rows.replaceChildren(...list.flatMap(row));
    table.hidden = list.length === 0;
    empty.hidden = list.length > 0;
  }

  function row(rule) {
    const health = h('span', {class: 'health', 'data-test': 'rule-health'});
    const figures = h('ul', {class: 'figures', 'data-test': 'rule-figures'});
    const outcome = h('td', {colspan: '7', class: 'test-outcome', 'data-test': 'test-outcome', 'aria-live': 'polite'});
    const outcomeRow = h('tr', {class: 'outcome-row', hidden: true}, outcome);
    cells.set(rule.id, {health, figures});
    const named = rule.description ? ` ${rule.description}` : ` to ${rule.url}`;
    const tr = h('tr', {'data-test': 'rule-row', 'data-rule': rule.id, 'data-enabled': String(rule.enabled)},
      h('td', {}, h('span', {class: rule.enabled ? 'badge' : 'badge muted', 'data-test': 'rule-enabled'},
        rule.enabled ? 'Enabled' : 'Disabled'), ' ', health),
      h('td', {class: 'name'}, h('span', {class: 'url', 'data-test': 'rule-url'}, rule.url),
        rule.description && h('p', {class: 'hint'}, rule.description)),
      h('td', {'data-test': 'rule-events'}, rule.events.map((e) => h('code', {class: 'event'}, e))),
      h('td', {'data-test': 'rule-filter'}, filter(rule)),
      h('td', {'data-test': 'rule-format'}, rule.format === 'compact' ? 'Compact' : 'S3 2.4',
        h('p', {class: 'hint'}, `Signature: ${rule.signature}${rule.secret ? '' : ' (no secret: unsigned)'}`)),
      h('td', {}, figures),
      h('td', {}, h('div', {class: 'actions'},
        h('button', {type: 'button', class: 'small', 'data-test': 'send-test', disabled: !rule.enabled,
          title: rule.enabled ? null : 'Enable the webhook to send a test',
          on: {click: () => sendTest(rule, outcomeRow, outcome)}}, 'Send test',
        h('span', {class: 'visually-hidden'}, named)),
        h('button', {type: 'button', class: 'secondary small', 'data-test': 'edit-rule', on: {click: () => edit(rule)}},
          'Edit', h('span', {class: 'visually-hidden'}, named)),
        h('button', {type: 'button', class: 'secondary small', 'data-test': 'toggle-rule',
          on: {click: () => toggle(rule)}}, rule.enabled ? 'Disable' : 'Enable',
        h('span', {class: 'visually-hidden'}, named)),
        h('button', {type: 'button', class: 'danger small', 'data-test': 'delete-rule', on: {click: () => remove(rule)}},
          'Delete', h('span', {class: 'visually-hidden'}, named)))));
    return [tr, outcomeRow];
  }

  /** Reads every rule's figures in one request; stops by itself once the view is gone. */
  async function refresh() {
    if (!view.isConnected) {
      clearInterval(timer);
      return;
    }
    let stats;
    try {
      ({stats} = await tarnApi('GET', `${base}?stats=true`));
    } catch {
      return; // the next round tries again; the list's own errors are shown by load()
    }
    for (const s of stats) {
      const cell = cells.get(s.ruleId);
      if (cell) drawStats(s, cell.health, cell.figures);
    }
  }

  function drawStats(s, health, figures) {
    if (s.failingSince) {
      health.className = 'health failing';
      replace(health, `Failing since ${when(s.failingSince)}`);
      health.title = `Last failure ${when(s.lastFailure)}${s.lastSuccess ? `; last success ${when(s.lastSuccess)}` : ''}`;
    } else if (s.lastSuccess) {
      health.className = 'health healthy';
      replace(health, 'Healthy');
      health.title = `Last success ${when(s.lastSuccess)}`;
    } else {
      health.className = 'health';
      replace(health, 'No deliveries yet');
    }
    health.dataset.state = s.failingSince ? 'failing' : s.lastSuccess ? 'healthy' : 'new';
    const ms = (v) => (v === null || v === undefined ? '–' : `${v} ms`);
    replace(figures,
      h('li', {'data-test': 'figure-pending'}, `Pending ${s.pending}`),
      h('li', {'data-test': 'figure-delivered'}, `Delivered ${s.delivered}`),
      h('li', {'data-test': 'figure-failed'}, `Failed attempts ${s.failedAttempts}`),
      h('li', {'data-test': 'figure-dead'}, `Dead letters ${s.deadLettered}`),
      h('li', {'data-test': 'figure-latency'}, `Delay p50 ${ms(s.latencyP50Millis)} · p99 ${ms(s.latencyP99Millis)}`));
  }

  async function sendTest(rule, outcomeRow, outcome) {
    outcomeRow.hidden = false;
    outcome.dataset.state = 'sending';
    replace(outcome, 'Sending s3:TestEvent…');
    try {
      const t = await tarnApi('POST', `${base}/${encodeURIComponent(rule.id)}/test?wait=true`);
      outcome.dataset.state = t.outcome;
      replace(outcome, testOutcome(t));
      announce(t.outcome === 'delivered' ? `Test delivered: HTTP ${t.statusCode}.` : `Test ${t.outcome}.`);
    } catch (e) {
      outcome.dataset.state = 'error';
      replace(outcome, h('p', {class: 'error'}, `The test was not sent. ${e.message}`));
    }
    refresh();
  }

  function edit(rule) {
    openEditor(rule);
  }

  function openEditor(rule) {
    const form = ruleEditor({
      bucket, rule,
      onSaved: (saved) => {
        editorSlot.replaceChildren();
        announce(rule ? `Webhook to ${saved.url} saved.` : `Webhook to ${saved.url} added.`);
        load();
      },
      onCancel: () => editorSlot.replaceChildren(),
    });
    editorSlot.replaceChildren(form);
    form.querySelector('#rule-url').focus();
  }

  async function toggle(rule) {
    showAlert(error, '');
    try {
      await tarnApi('POST', `${base}/${encodeURIComponent(rule.id)}/${rule.enabled ? 'disable' : 'enable'}`);
      announce(`Webhook to ${rule.url} ${rule.enabled ? 'disabled' : 'enabled'}.`);
    } catch (e) {
      showAlert(error, `The webhook was not ${rule.enabled ? 'disabled' : 'enabled'}. ${e.message}`);
    }
    load();
  }

  async function remove(rule) {
    const ok = await confirmDialog({
      title: `Delete the webhook to ${rule.url}?`,
      message: 'Its queued deliveries, its delivery log and its dead letters are deleted with it. Events are no '
        + 'longer sent to this URL. This cannot be undone.',
      confirmLabel: 'Delete webhook',
    });
    if (!ok) return;
    showAlert(error, '');
    try {
      await tarnApi('DELETE', `${base}/${encodeURIComponent(rule.id)}`);
      announce(`Webhook to ${rule.url} deleted.`);
    } catch (e) {
      showAlert(error, `The webhook was not deleted. ${e.message}`);
    }
    load();
  }

  add.addEventListener('click', () => openEditor(null));
  timer = setInterval(refresh, REFRESH_MS);
  load();
}

function filter(rule) {
  if (!rule.prefix && !rule.suffix) return h('span', {class: 'hint'}, 'Every key');
  return [rule.prefix && h('div', {}, 'Prefix ', h('code', {}, rule.prefix)),
    rule.suffix && h('div', {}, 'Suffix ', h('code', {}, rule.suffix))];
}

function when(iso) {
  return iso ? formatDate(new Date(iso)) : '';
}

/** A synchronous test's outcome: the status line, then the response's headers and body as received. */
function testOutcome(t) {
  const status = t.statusCode !== null && t.statusCode !== undefined;
  const line = t.outcome === 'pending'
    ? `No answer yet. ${t.error || ''}`
    : `${t.outcome === 'delivered' ? 'Delivered' : 'Failed'}: ${status ? `HTTP ${t.statusCode}` : t.error}`
      + `${t.latencyMillis !== null && t.latencyMillis !== undefined ? ` in ${t.latencyMillis} ms` : ''}`;
  return [
    h('p', {class: t.outcome === 'delivered' ? 'notice' : 'error', 'data-test': 'test-status',
      'data-status': status ? String(t.statusCode) : ''}, line),
    t.headers.length > 0 && h('details', {open: true}, h('summary', {}, 'Response headers'),
      h('dl', {class: 'pairs headers', 'data-test': 'test-headers'},
        t.headers.flatMap((x) => [h('dt', {}, x.name), h('dd', {}, x.value)]))),
    t.body && h('details', {open: true}, h('summary', {}, 'Response body (first KiB)'),
      h('pre', {class: 'sample', 'data-test': 'test-body'}, t.body)),
    h('p', {class: 'hint'}, `Delivery ${t.deliveryId}: it is in the delivery log like any other.`),
  ];
}
