// The attempt inspector: one delivery in full. The body as sent (the same bytes on every attempt),
// then each attempt, newest first: request headers as sent (signatures included: HMACs, never the
// secret), the response status, headers and the first 4 KiB of its body, latency, error, attempt
// number and when the next retry is due. All of it is shown as text (a receiver's body stays inert).
import {h} from './dom.js';
import {formatDate} from './format.js';

const when = (iso) => (iso ? `${formatDate(new Date(iso))} (${iso})` : '—');

function headers(map, test) {
  const entries = Object.entries(map || {});
  if (!entries.length) return h('p', {class: 'hint', 'data-test': test}, 'None.');
  return h('dl', {class: 'pairs', 'data-test': test},
    entries.map(([name, value]) => [h('dt', {}, name), h('dd', {'data-name': name.toLowerCase()}, value)]));
}

/**
 * An attempt's number as the log and the inspector show it: "2", or "2 (redelivery 1)" for the second
 * attempt after a user's first redelivery (which starts the attempts again).
 */
export function attemptLabel(row) {
  return row.redelivery ? `${row.attempt} (redelivery ${row.redelivery})` : String(row.attempt);
}

function attemptSection(a) {
  const row = a.attempt;
  const facts = [
    ['Attempt', attemptLabel(row), 'attempt'],
    ['Time', when(row.time), 'time'],
    ['Outcome', row.outcome, 'outcome'],
    ['Response status', row.statusCode === null || row.statusCode === undefined ? 'no response' : String(row.statusCode),
      'status'],
    ['Latency', row.latencyMillis === null || row.latencyMillis === undefined ? '—' : `${row.latencyMillis} ms`, 'latency'],
    ['Error', row.error || '—', 'error'],
    ['Next retry', a.nextRetry ? when(a.nextRetry) : '—', 'next-retry'],
  ];
  return h('section', {class: 'inspector-attempt', 'data-test': 'inspector-attempt', 'data-attempt': String(row.attempt),
    'data-redelivery': String(row.redelivery || 0), 'data-outcome': row.outcome},
  h('h4', {}, `Attempt ${attemptLabel(row)}: ${row.outcome}`),
  h('dl', {class: 'pairs'}, facts.map(([label, value, test]) => [h('dt', {}, label),
    h('dd', {'data-test': `attempt-${test}`}, value)])),
  a.detailed ? [
    h('h5', {}, 'Request headers as sent'), headers(a.requestHeaders, 'request-headers'),
    h('h5', {}, 'Response headers'), headers(a.responseHeaders, 'response-headers'),
    h('h5', {}, 'Response body (first 4 KiB)'),
    h('pre', {class: 'inspector-body', 'data-test': 'response-body'}, a.responseBody || ''),
  ] : h('p', {class: 'hint'}, 'Logged before headers and bodies were kept: only the row above is known.'));
}

/** The inspector's content for a delivery as GET /buckets/<b>/deliveries/<id> answers it. */
export function inspectorContent(d, actions) {
  const body = d.body !== null && d.body !== undefined ? d.body
    : d.bodyBase64 ? `(binary, base64) ${d.bodyBase64}` : '(no longer kept: trimmed with the delivery log)';
  return [
    h('dl', {class: 'pairs'},
      h('dt', {}, 'Delivery'), h('dd', {'data-test': 'inspector-id'}, d.deliveryId),
      h('dt', {}, 'Webhook'), h('dd', {}, d.ruleId),
      h('dt', {}, 'State'), h('dd', {'data-test': 'inspector-state'}, d.state),
      h('dt', {}, 'Next attempt'), h('dd', {'data-test': 'inspector-next-due'}, d.nextDue ? when(d.nextDue) : '—')),
    actions,
    h('h4', {}, `Request body as sent${d.bodyBytes === null || d.bodyBytes === undefined ? '' : ` (${d.bodyBytes} bytes)`}`),
    h('pre', {class: 'inspector-body', id: 'inspector-request-body', 'data-test': 'request-body'}, body),
    d.attempts.length ? d.attempts.map(attemptSection)
      : h('p', {class: 'hint'}, 'No attempt is in the log yet.'),
  ];
}
