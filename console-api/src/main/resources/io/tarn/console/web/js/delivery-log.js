// The "Delivery log" view of a bucket's Webhooks tab: every attempt of one rule, newest first, paged,
// filtered by status (delivered, failed, dead, pending), key prefix and time; each row opens the
// attempt inspector. Redeliver one delivery (whatever its outcome, like GitHub's redeliver), the
// selected ones, or all dead letters of the rule, whose count is asked for (a dry run) and shown
// before anything is queued. Everything goes through the webhooks API, as `tarn webhooks` does.
import {confirmDialog} from './confirm-dialog.js';
import {announce, h, replace, showAlert} from './dom.js';
import {formatDate, plural} from './format.js';
import {attemptLabel, inspectorContent} from './attempt-inspector.js';
import {countDeadLetters, getDelivery, listDeliveries, listRules, redeliverAllDead, redeliverMany,
  redeliverOne} from './webhooks-api.js';

const PAGE = 50;
const REFRESH_MS = 3000;
const STATUSES = [['', 'Any status'], ['delivered', 'Delivered'], ['failed', 'Failed (will retry)'],
  ['dead', 'Dead letter'], ['pending', 'Pending now']];

/** The view into container; ctx {bucket, session}. */
export async function render(container, {bucket}) {
  const error = h('p', {id: 'log-error', role: 'alert', class: 'error', hidden: true});
  const result = h('p', {id: 'log-result', class: 'hint', 'aria-live': 'polite'});
  replace(container, h('h2', {}, 'Delivery log'), error, h('p', {class: 'hint'}, 'Loading…'));
  let rules;
  try {
    rules = (await listRules(bucket)).webhooks;
  } catch (e) {
    replace(container, h('h2', {}, 'Delivery log'), error);
    showAlert(error, `The delivery log could not be loaded. ${e.message}`);
    return;
  }
  if (!rules.length) {
    replace(container, h('h2', {}, 'Delivery log'),
      h('p', {id: 'log-empty', class: 'empty'}, 'This bucket has no webhook rules, so nothing is delivered.'));
    return;
  }
  const state = {rule: rules[0].id, filter: {}, cursors: [null], page: null, selected: new Set(), seq: 0};

  const ruleSelect = h('select', {id: 'log-rule'}, rules.map((r) => h('option', {value: r.id}, `${r.url} (${r.id})`)));
  const status = h('select', {id: 'log-status'}, STATUSES.map(([v, t]) => h('option', {value: v}, t)));
  const prefix = h('input', {id: 'log-prefix', type: 'text', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'e.g. photos/'});
  const from = h('input', {id: 'log-from', type: 'datetime-local', step: '1'});
  const to = h('input', {id: 'log-to', type: 'datetime-local', step: '1'});
  const field = (id, label, input) => h('div', {class: 'field'}, h('label', {htmlFor: id}, label), input);
  const filters = h('form', {id: 'log-filters', class: 'inline-form toolbar'},
    field('log-rule', 'Webhook', ruleSelect), field('log-status', 'Status', status),
    field('log-prefix', 'Key prefix', prefix), field('log-from', 'From', from), field('log-to', 'Before', to),
    h('div', {class: 'actions'}, h('button', {type: 'submit', id: 'log-apply'}, 'Apply')));
  const auto = h('input', {type: 'checkbox', id: 'log-auto', checked: true});
  const refresh = h('button', {type: 'button', id: 'log-refresh', class: 'secondary', on: {click: () => load()}},
    'Refresh');
  const redeliverSelected = h('button', {type: 'button', id: 'redeliver-selected', disabled: true,
    on: {click: () => redeliverChosen()}}, 'Redeliver selected');
  const redeliverDead = h('button', {type: 'button', id: 'redeliver-dead', class: 'secondary',
    on: {click: () => redeliverAll()}}, 'Redeliver all dead letters of this webhook…');
  const rows = h('tbody', {id: 'log-rows'});
  const table = h('table', {id: 'delivery-log', class: 'list'},
    h('caption', {class: 'visually-hidden'}, 'Delivery attempts, newest first'),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col', class: 'check'}, h('span', {class: 'visually-hidden'}, 'Select')),
      ['Time', 'Attempt', 'Event', 'Key', 'Outcome', 'Status', 'Latency', 'Error'].map((t) => h('th', {scope: 'col'}, t)),
      h('th', {scope: 'col'}, h('span', {class: 'visually-hidden'}, 'Actions')))),
    rows);
  const empty = h('p', {id: 'log-none', class: 'empty', hidden: true}, 'No delivery matches.');
  const prev = h('button', {type: 'button', id: 'log-prev', class: 'secondary', disabled: true}, 'Newer');
  const next = h('button', {type: 'button', id: 'log-next', class: 'secondary', disabled: true}, 'Older');
  const pageNumber = h('span', {id: 'log-page', 'aria-live': 'polite'}, 'Page 1');
  const inspector = h('aside', {id: 'attempt-inspector', class: 'details card', 'aria-labelledby': 'inspector-title',
    hidden: true});

  replace(container, h('h2', {}, 'Delivery log'), filters,
    h('div', {class: 'toolbar'}, h('div', {class: 'actions'}, refresh,
      h('label', {htmlFor: 'log-auto', class: 'inline'}, auto, ' Refresh every few seconds'),
      redeliverSelected, redeliverDead)),
    error, result,
    h('div', {class: 'layout'},
      h('div', {class: 'table-wrap'}, table, empty, h('nav', {class: 'pager', 'aria-label': 'Pages'}, prev, pageNumber, next)),
      inspector));

  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    state.rule = ruleSelect.value;
    state.filter = {status: status.value, prefix: prefix.value, from: iso(from.value), to: iso(to.value)};
    state.cursors = [null];
    state.selected.clear();
    load();
  });
  prev.addEventListener('click', () => { state.cursors.pop(); load(); });
  next.addEventListener('click', () => { state.cursors.push(state.page.next); load(); });

  const timer = setInterval(() => {
    if (!container.isConnected) {
      clearInterval(timer);
      return;
    }
    // Only the first page moves (new attempts come first); a later page stays where the user is.
    if (auto.checked && state.cursors.length === 1 && !document.hidden) load(true);
  }, REFRESH_MS);

  async function load(quiet = false) {
    const seq = ++state.seq;
    container.dataset.loading = 'true';
    if (!quiet) showAlert(error, '');
    try {
      const page = await listDeliveries(bucket, state.rule,
        {...state.filter, after: state.cursors[state.cursors.length - 1], limit: PAGE});
      if (seq !== state.seq) return;
      state.page = page;
      draw();
    } catch (e) {
      if (seq !== state.seq) return;
      showAlert(error, `The delivery log could not be loaded. ${e.message}`);
    } finally {
      if (seq === state.seq) container.dataset.loading = 'false';
    }
  }

  function draw() {
    const items = state.page.deliveries;
    rows.replaceChildren(...items.map(row));
    table.hidden = !items.length;
    empty.hidden = items.length > 0;
    prev.disabled = state.cursors.length === 1;
    next.disabled = !state.page.next;
    pageNumber.textContent = `Page ${state.cursors.length}`;
    selectionChanged();
  }

  function row(d) {
    const check = h('input', {type: 'checkbox', 'data-test': 'log-select', 'aria-label': `Select delivery ${d.deliveryId}`,
      checked: state.selected.has(d.deliveryId)});
    check.addEventListener('change', () => {
      if (check.checked) state.selected.add(d.deliveryId);
      else state.selected.delete(d.deliveryId);
      selectionChanged();
    });
    const inspect = h('button', {type: 'button', class: 'secondary small', 'data-test': 'inspect',
      on: {click: () => openInspector(d.deliveryId)}}, 'Inspect');
    return h('tr', {'data-test': 'log-row', 'data-delivery': d.deliveryId, 'data-outcome': d.outcome,
      'data-key': d.key || '', 'data-attempt': String(d.attempt), 'data-redelivery': String(d.redelivery || 0)},
    h('td', {class: 'check'}, check),
    h('td', {}, d.time ? formatDate(new Date(d.time)) : ''),
    h('td', {}, attemptLabel(d)),
    h('td', {}, d.eventName),
    h('td', {class: 'name'}, d.key || '—'),
    h('td', {'data-test': 'log-outcome'}, d.outcome),
    h('td', {'data-test': 'log-status'}, d.statusCode === null || d.statusCode === undefined ? '—' : String(d.statusCode)),
    h('td', {}, d.latencyMillis === null || d.latencyMillis === undefined ? '—' : `${d.latencyMillis} ms`),
    h('td', {class: 'name'}, d.error || ''),
    h('td', {class: 'actions'}, inspect));
  }

  function selectionChanged() {
    redeliverSelected.disabled = state.selected.size === 0;
    redeliverSelected.textContent = state.selected.size
      ? `Redeliver ${plural(state.selected.size, 'selected delivery', 'selected deliveries')}` : 'Redeliver selected';
  }

  async function openInspector(id) {
    const title = h('h3', {id: 'inspector-title', tabindex: '-1'}, 'Attempt inspector');
    const close = h('button', {type: 'button', id: 'close-inspector', class: 'secondary small',
      on: {click: () => { inspector.hidden = true; }}}, 'Close');
    // Not redrawn by the log's refresh (it would move what is being read): reloaded on request.
    const reload = h('button', {type: 'button', id: 'reload-inspector', class: 'secondary small',
      on: {click: () => openInspector(id)}}, 'Reload');
    const head = () => h('div', {class: 'details-head'}, title, h('span', {}, reload, ' ', close));
    replace(inspector, head(), h('p', {class: 'hint'}, 'Loading…'));
    inspector.hidden = false;
    inspector.dataset.delivery = id;
    inspector.dataset.loaded = 'false';
    title.focus();
    let d;
    try {
      d = await getDelivery(bucket, id);
    } catch (e) {
      if (inspector.dataset.delivery !== id) return;
      replace(inspector, head(),
        h('p', {role: 'alert', class: 'error'}, `The delivery could not be loaded. ${e.message}`));
      return;
    }
    if (inspector.dataset.delivery !== id) return;
    const again = h('button', {type: 'button', id: 'inspector-redeliver', disabled: d.state === 'pending',
      on: {click: () => redeliverThis(id)}}, d.state === 'pending' ? 'Queued: its next attempt is coming' : 'Redeliver');
    replace(inspector, head(), inspectorContent(d, h('p', {}, again)));
    inspector.dataset.loaded = 'true';
  }

  async function redeliverThis(id) {
    try {
      await redeliverOne(bucket, id);
      done(`Delivery ${id} is queued again.`);
      openInspector(id);
    } catch (e) {
      showAlert(error, `The delivery could not be queued again. ${e.message}`);
    }
  }

  async function redeliverChosen() {
    const ids = [...state.selected];
    try {
      const answer = await redeliverMany(bucket, ids);
      const failed = answer.results.filter((r) => !r.redelivered);
      state.selected.clear();
      done(`${plural(answer.redelivered, 'delivery', 'deliveries')} queued again.`
        + (failed.length ? ` Not queued: ${failed.map((r) => `${r.deliveryId} (${r.error})`).join('; ')}` : ''));
    } catch (e) {
      showAlert(error, `The deliveries could not be queued again. ${e.message}`);
    }
  }

  async function redeliverAll() {
    let count;
    try {
      count = (await countDeadLetters(bucket, state.rule)).deadLetters;
    } catch (e) {
      showAlert(error, `The dead letters could not be counted. ${e.message}`);
      return;
    }
    if (count === 0) {
      done('This webhook has no dead letters.');
      return;
    }
    const ok = await confirmDialog({title: 'Redeliver dead letters',
      message: `${plural(count, 'dead letter')} of this webhook will be queued again, due now, with a fresh attempt count.`,
      confirmLabel: `Redeliver ${plural(count, 'dead letter')}`});
    if (!ok) return;
    try {
      const answer = await redeliverAllDead(bucket, state.rule);
      done(`${plural(answer.redelivered, 'dead letter')} queued again.`);
    } catch (e) {
      showAlert(error, `The dead letters could not be queued again. ${e.message}`);
    }
  }

  function done(message) {
    result.textContent = message;
    announce(message);
    load(true);
  }

  load();
}

/** A datetime-local value (the browser's time zone) as ISO-8601 UTC, or undefined. */
function iso(value) {
  if (!value) return undefined;
  const t = new Date(value);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
