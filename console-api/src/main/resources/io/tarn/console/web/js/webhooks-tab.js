// A bucket's Webhooks tab (#/webhooks/<bucket>/<view>), reached from the object browser: the sub-views
// Rules, Delivery log, Live events and Simulator. Each view is a module exporting render(container, ctx)
// with ctx {bucket, session, access}; a view whose module is not merged yet shows "coming". Only the
// bucket's owner and administrators may manage its webhooks (the webhooks API refuses anyone else too):
// others are told why and see no view.
import {bucketView} from './access.js';
import {currentSession} from './api.js';
import {h, replace} from './dom.js';
import {browserHref, bucketsHref, webhooksHref} from './routes.js';
import {render as deliveryLog} from './delivery-log.js';
import {render as rules} from './webhooks-rules.js';
import {render as simulator} from './simulator.js';

// One entry per view: its id in the route, its label, and its module's render (null until it is merged).
const VIEWS = [
  ['rules', 'Rules', rules],
  ['log', 'Delivery log', deliveryLog],
  ['live', 'Live events', null],
  ['simulator', 'Simulator', simulator],
];

export function renderWebhooksTab(main, {bucket, view}) {
  const current = VIEWS.find(([id]) => id === view) || VIEWS[0];
  const refusal = h('p', {id: 'webhooks-refused', role: 'alert', class: 'error', hidden: true});
  const body = h('div', {id: 'webhooks-view', 'data-view': current[0]});
  const tabs = h('nav', {class: 'tabs', 'aria-label': `Webhooks of ${bucket}`}, h('ul', {},
    VIEWS.map(([id, label]) => h('li', {}, h('a', {
      href: webhooksHref(bucket, id), 'data-test': `webhooks-tab-${id}`,
      'aria-current': id === current[0] ? 'page' : null,
    }, label)))));
  const page = h('section', {class: 'page', id: 'page-webhooks', 'data-test': 'webhooks-page', 'data-loaded': 'false'},
    h('nav', {id: 'breadcrumbs', class: 'breadcrumbs', 'aria-label': 'Breadcrumbs'}, h('ol', {},
      h('li', {}, h('a', {href: bucketsHref()}, 'Buckets')),
      h('li', {}, h('a', {href: browserHref(bucket), id: 'back-to-objects'}, bucket)),
      h('li', {}, h('span', {'aria-current': 'page'}, 'Webhooks')))),
    h('h1', {tabindex: '-1'}, `Webhooks of ${bucket}`),
    refusal, tabs, body);
  main.replaceChildren(page);

  function refuse(message) {
    replace(refusal, message);
    refusal.hidden = false;
    tabs.hidden = true;
    page.dataset.loaded = 'true';
  }

  (async () => {
    let access;
    try {
      access = await bucketView(bucket, {fresh: true});
    } catch (e) {
      refuse(`The bucket could not be read. ${e.message}`);
      return;
    }
    if (!page.isConnected) return;
    if (!access) {
      refuse(`You have no access to bucket ${bucket}, or it does not exist.`);
      return;
    }
    if (access.access !== 'owner' && access.access !== 'admin') {
      refuse(`Only the owner of bucket ${bucket} (${access.owner}) or an administrator may manage its webhooks: `
        + 'a webhook sends the bucket\'s keys and metadata elsewhere.');
      return;
    }
    const [, label, render] = current;
    if (render) {
      render(body, {bucket, session: currentSession(), access: access.access});
    } else {
      replace(body, h('p', {class: 'empty', 'data-test': 'webhooks-coming'}, `${label}: coming soon.`));
    }
    page.dataset.loaded = 'true';
  })();
}
