// A bucket's Webhooks tab (#/webhooks/<bucket>/<view>): a frame of sub-views, each a module exporting
// render(container, ctx) with ctx {bucket, session}. Reached from the object browser. The live tail is
// for anyone who may read the bucket; the server decides every view's access itself.
import {h} from './dom.js';
import {browserHref, bucketsHref, webhooksHref} from './routes.js';
import * as liveEvents from './live-events.js';

/** The sub-views in tab order: [route segment, label, module]. */
const VIEWS = [
  ['live', 'Live events', liveEvents],
];

export function renderWebhooksTab(main, {bucket, view}, session) {
  const current = VIEWS.find(([id]) => id === view) || VIEWS[0];
  const tabs = h('nav', {class: 'tabs', 'aria-label': 'Webhooks views'},
    h('ul', {}, VIEWS.map(([id, label]) => h('li', {},
      h('a', {href: webhooksHref(bucket, id), id: `webhooks-view-${id}`,
        'aria-current': id === current[0] ? 'page' : null}, label)))));
  const body = h('div', {id: 'webhooks-view', 'data-view': current[0]});
  const page = h('section', {class: 'page', id: 'page-webhooks', 'data-test': 'webhooks-page'},
    h('nav', {class: 'breadcrumbs', 'aria-label': 'Breadcrumbs'}, h('ol', {},
      h('li', {}, h('a', {href: bucketsHref()}, 'Buckets')),
      h('li', {}, h('a', {href: browserHref(bucket)}, bucket)),
      h('li', {}, h('span', {'aria-current': 'page'}, 'Webhooks')))),
    h('h1', {tabindex: '-1'}, `Webhooks of ${bucket}`),
    tabs, body);
  main.replaceChildren(page);
  current[2].render(body, {bucket, session});
}
