// A bucket's Webhooks tab (#/webhooks/<bucket>/<view>): a frame with one sub-view at a time. Each
// sub-view is a module exporting render(container, ctx) with ctx {bucket, session}; registering one is
// one line in VIEWS. The webhooks API decides who may do what (the bucket's owner or an admin).
import {currentSession} from './api.js';
import {h} from './dom.js';
import {browserHref, bucketsHref, webhooksHref} from './routes.js';
import * as simulator from './simulator.js';

/** [id, label, module]: the sub-views, in tab order. */
const VIEWS = [
  ['simulator', 'Simulator', simulator],
];

export function renderWebhooksTab(main, {bucket, view}) {
  const current = VIEWS.find(([id]) => id === view) || VIEWS[0];
  const container = h('div', {id: 'webhooks-view', 'data-view': current[0]});
  const page = h('section', {class: 'page', id: 'page-webhooks', 'data-test': 'webhooks-page'},
    h('nav', {id: 'breadcrumbs', class: 'breadcrumbs', 'aria-label': 'Breadcrumbs'}, h('ol', {},
      h('li', {}, h('a', {href: bucketsHref()}, 'Buckets')),
      h('li', {}, h('a', {href: browserHref(bucket)}, bucket)),
      h('li', {}, h('span', {'aria-current': 'page'}, 'Webhooks')))),
    h('h1', {tabindex: '-1'}, `Webhooks of ${bucket}`),
    h('nav', {class: 'tabs', 'aria-label': 'Webhook views'}, h('ul', {}, VIEWS.map(([id, label]) =>
      h('li', {}, h('a', {href: webhooksHref(bucket, id), id: `webhooks-tab-${id}`,
        'aria-current': id === current[0] ? 'page' : null}, label))))),
    container);
  main.replaceChildren(page);
  current[2].render(container, {bucket, session: currentSession()});
}
