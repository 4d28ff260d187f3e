// A bucket's Webhooks tab (#/webhooks/<bucket>/<view>), reached from the object browser: the sub-views
// Rules, Delivery log, Live events and Simulator. Each view is a module exporting render(container, ctx)
// with ctx {bucket, session, access}. Only the bucket's owner and administrators may manage its webhooks
// (the webhooks API refuses anyone else too); the live tail is for anyone who may read the bucket, so a
// grantee sees that view alone. Others are told why and see no view. The server decides again for each.
import {bucketView} from './access.js';
import {currentSession} from './api.js';
import {h, replace} from './dom.js';
import {browserHref, bucketsHref, webhooksHref} from './routes.js';
import {render as deliveryLog} from './delivery-log.js';
import {render as liveEvents} from './live-events.js';
import {render as rules} from './webhooks-rules.js';
import {render as simulator} from './simulator.js';

// One entry per view: its id in the route, its label, its module's render, and whether a user who may
// only read the bucket (a grant) may open it.
const VIEWS = [
  ['rules', 'Rules', rules, false],
  ['log', 'Delivery log', deliveryLog, false],
  ['live', 'Live events', liveEvents, true],
  ['simulator', 'Simulator', simulator, false],
];

export function renderWebhooksTab(main, {bucket, view}) {
  const current = VIEWS.find(([id]) => id === view) || VIEWS[0];
  const refusal = h('p', {id: 'webhooks-refused', role: 'alert', class: 'error', hidden: true});
  const body = h('div', {id: 'webhooks-view', 'data-view': current[0]});
  const tabs = h('nav', {class: 'tabs', 'aria-label': `Webhooks of ${bucket}`}, h('ul', {},
    VIEWS.map(([id, label, , forReaders]) => h('li', {'data-readers': String(forReaders)}, h('a', {
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
    const manages = access.access === 'owner' || access.access === 'admin';
    if (!manages && !current[3]) {
      refuse(`Only the owner of bucket ${bucket} (${access.owner}) or an administrator may manage its webhooks: `
        + 'a webhook sends the bucket\'s keys and metadata elsewhere. You may follow its live events.');
      return;
    }
    if (!manages) {
      for (const item of tabs.querySelectorAll('li[data-readers=false]')) item.hidden = true;
    }
    current[2](body, {bucket, session: currentSession(), access: access.access});
    page.dataset.loaded = 'true';
  })();
}
