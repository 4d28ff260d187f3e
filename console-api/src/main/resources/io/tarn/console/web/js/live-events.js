// The live tail of a bucket: its mutation events as they commit, each with the webhook rules it
// matched, then its deliveries' outcomes as they arrive, over server-sent events
// (GET /_tarn/api/v1/buckets/<bucket>/events/live; EventSource sends the session cookie, same origin).
// The list keeps the newest MAX_SHOWN events; while paused, arrivals wait (bounded the same way) and
// show on resume. The server drops events for a page too slow to take them and says how many.
import {h} from './dom.js';

export const MAX_SHOWN = 500;

export function render(container, {bucket}) {
  const state = {paused: false, waiting: [], shown: 0, bySequencer: new Map(), source: null};
  const status = h('span', {id: 'live-status', class: 'badge', 'aria-live': 'polite'}, 'Connecting…');
  const pause = h('button', {type: 'button', id: 'live-pause', class: 'secondary', on: {click: togglePause}}, 'Pause');
  const clear = h('button', {type: 'button', id: 'live-clear', class: 'secondary', on: {click: clearList}}, 'Clear');
  const waitingNote = h('span', {id: 'live-waiting', class: 'hint'});
  const list = h('ol', {id: 'live-events', class: 'live-list', reversed: true});
  const empty = h('p', {id: 'live-empty', class: 'empty'},
    'Waiting for events: uploads, copies and deletes in this bucket appear here as they commit.');
  container.replaceChildren(h('section', {id: 'live-events-view', class: 'card'},
    h('div', {class: 'toolbar live-toolbar'}, status, h('div', {class: 'actions'}, pause, clear), waitingNote),
    h('p', {class: 'hint'}, `Every change to ${bucket} as it is committed, with the webhook rules it matched and`
      + ' what their receivers answered. Only the newest ' + MAX_SHOWN + ' are kept on this page.'),
    empty, list));

  const url = `/_tarn/api/v1/buckets/${encodeURIComponent(bucket)}/events/live`;
  const source = new EventSource(url);
  state.source = source;
  source.addEventListener('ready', () => setStatus('Live', 'live'));
  source.addEventListener('event', (e) => arrive({kind: 'event', data: JSON.parse(e.data)}));
  source.addEventListener('delivery', (e) => delivery(JSON.parse(e.data)));
  source.addEventListener('skipped', (e) => arrive({kind: 'skipped', data: JSON.parse(e.data)}));
  source.addEventListener('end', () => {
    source.close();
    setStatus('Ended: your access to this bucket ended', 'ended');
  });
  source.onerror = () => {
    if (!container.isConnected) return stop();
    // EventSource reconnects by itself after a dropped connection; a refusal (403, 404) closes it.
    if (source.readyState === EventSource.CLOSED) setStatus('Disconnected: reload the page to try again', 'ended');
    else setStatus('Reconnecting…', 'connecting');
  };
  // Leaving the page ends the tail, so the server frees its place at once.
  window.addEventListener('hashchange', stop, {once: true});

  function stop() {
    source.close();
  }

  function setStatus(text, kind) {
    status.textContent = text;
    status.dataset.state = kind;
  }

  function togglePause() {
    state.paused = !state.paused;
    pause.textContent = state.paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(state.paused));
    if (!state.paused) {
      const waiting = state.waiting;
      state.waiting = [];
      waiting.forEach(show);
    }
    noteWaiting();
  }

  function clearList() {
    list.replaceChildren();
    state.bySequencer.clear();
    state.waiting = [];
    state.shown = 0;
    empty.hidden = false;
    noteWaiting();
  }

  function noteWaiting() {
    waitingNote.textContent = state.paused ? `Paused: ${state.waiting.length} new events waiting.` : '';
  }

  function arrive(item) {
    if (!container.isConnected) return stop();
    if (state.paused) {
      state.waiting.push(item);
      if (state.waiting.length > MAX_SHOWN) state.waiting.shift();
      noteWaiting();
      return;
    }
    show(item);
  }

  function show(item) {
    empty.hidden = true;
    const row = item.kind === 'skipped'
      ? h('li', {class: 'live-skipped notice-box', 'data-kind': 'skipped'},
        `${item.data.skipped} events were skipped: this page did not keep up with the bucket.`)
      : eventRow(item.data);
    list.prepend(row);
    while (list.children.length > MAX_SHOWN) {
      const last = list.lastElementChild;
      if (last.dataset.sequencer) state.bySequencer.delete(last.dataset.sequencer);
      last.remove();
    }
  }

  function eventRow(ev) {
    const outcomes = new Map();
    const rules = h('ul', {class: 'live-rules'}, ev.rules.length === 0
      ? h('li', {class: 'hint'}, 'No webhook rule matched.')
      : ev.rules.map((r) => {
        const outcome = h('span', {class: 'live-outcome', 'data-outcome': 'pending'}, 'pending');
        outcomes.set(r.id, outcome);
        return h('li', {'data-rule': r.id}, h('code', {title: r.id}, `rule ${r.id.slice(0, 8)}`),
          ` as ${r.event}: `, outcome);
      }));
    const row = h('li', {class: 'live-event', 'data-kind': 'event', 'data-sequencer': ev.sequencer},
      h('div', {class: 'live-head'},
        h('time', {dateTime: ev.time}, new Date(ev.time).toLocaleTimeString()), ' ',
        h('span', {class: 'live-name'}, ev.event), ' ',
        h('span', {class: 'live-key'}, ev.key),
        ev.event.includes('Created') ? h('span', {class: 'hint'}, ` (${ev.size} bytes)`) : null),
      rules);
    state.bySequencer.set(ev.sequencer, {row, outcomes});
    return row;
  }

  // Outcomes update the event's row wherever it is (also while paused: it is already on the page).
  function delivery(d) {
    const shown = d.sequencer && state.bySequencer.get(d.sequencer);
    if (!shown) return;
    const outcome = shown.outcomes.get(d.rule);
    if (!outcome) return;
    const status = d.status === undefined ? '' : ` ${d.status}`;
    const error = d.error ? ` (${d.error})` : '';
    outcome.textContent = `${d.outcome}${status} in ${d.latencyMillis} ms, attempt ${d.attempt}${error}`;
    outcome.dataset.outcome = d.outcome;
  }
}
