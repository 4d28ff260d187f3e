// The Webhooks tab of a bucket (#/webhooks/<bucket>/<view>): a frame with sub-views, each a module
// exporting render(container, ctx) with ctx {bucket, session}. A minimal frame from the wh-log
// branch; the wh-tab branch brings the full one (Rules, Live events, Simulator), which registers
// the delivery log with the same one-line import.
import {currentSession} from './api.js';
import {h, replace} from './dom.js';
import {browserHref, webhooksHref} from './routes.js';
import {render as renderDeliveryLog} from './delivery-log.js';

/** [view id, label, render]: the sub-views, in tab order. */
const VIEWS = [
  ['log', 'Delivery log', renderDeliveryLog],
];

export function renderWebhooksTab(main, route) {
  const view = VIEWS.find(([id]) => id === route.view) || VIEWS[0];
  const body = h('div', {id: `webhooks-view-${view[0]}`, class: 'webhooks-view'});
  const tabs = h('nav', {class: 'tabs', 'aria-label': 'Webhooks'}, VIEWS.map(([id, label]) =>
    h('a', {href: webhooksHref(route.bucket, id), id: `webhooks-tab-${id}`,
      'aria-current': id === view[0] ? 'page' : null}, label)));
  const page = h('section', {class: 'page', id: 'page-webhooks', 'data-test': 'webhooks-page'},
    h('p', {class: 'breadcrumbs'}, h('a', {href: browserHref(route.bucket), id: 'back-to-objects'},
      `Objects of ${route.bucket}`)),
    h('h1', {tabindex: '-1'}, `Webhooks of ${route.bucket}`),
    tabs, body);
  replace(main, page);
  view[2](body, {bucket: route.bucket, session: currentSession()});
}
