// Object details → Events: the deliveries of one key over the bucket's webhook rules, newest first,
// from the delivery log (GET /buckets/<b>/deliveries?key=K, an exact match). Only the bucket's owner
// and admins may read a bucket's webhooks; anyone else is told so, and the rest of the panel stays.
import {h, replace} from './dom.js';
import {formatDate} from './format.js';
import {objectDeliveries} from './webhooks-api.js';

export function objectEventsSection(bucket, key) {
  const list = h('div', {id: 'object-events', 'data-loaded': 'false'}, h('p', {class: 'hint'}, 'Loading…'));
  const reload = h('button', {type: 'button', id: 'object-events-refresh', class: 'secondary small',
    on: {click: () => load()}}, 'Refresh');
  async function load() {
    list.dataset.loaded = 'false';
    try {
      const {deliveries} = await objectDeliveries(bucket, key);
      replace(list, deliveries.length
        ? h('ol', {class: 'events'}, deliveries.map((d) => h('li', {'data-test': 'object-event',
          'data-outcome': d.outcome, 'data-delivery': d.deliveryId},
        `${d.time ? formatDate(new Date(d.time)) : ''} · ${d.eventName} · attempt ${d.attempt} · ${d.outcome}`
          + (d.statusCode === null || d.statusCode === undefined ? '' : ` (HTTP ${d.statusCode})`))))
        : h('p', {class: 'hint', id: 'object-events-none'}, 'No webhook delivery of this object is in the log.'));
    } catch (e) {
      replace(list, h('p', {class: 'hint', id: 'object-events-refused'}, e.status === 403
        ? 'Only the bucket\'s owner or an admin may see its webhook deliveries.'
        : `The events could not be loaded. ${e.message}`));
    }
    list.dataset.loaded = 'true';
  }
  load();
  return h('section', {'aria-labelledby': 'object-events-title'},
    h('div', {class: 'details-head'}, h('h3', {id: 'object-events-title'}, 'Events'), reload), list);
}
