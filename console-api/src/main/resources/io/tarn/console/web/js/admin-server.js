// Admin: the server (#/admin/server): the figures GET /_tarn/admin/v1/info reports, the same ones
// `tarn admin info` prints: version, uptime, the data directory and its disk, users, buckets, objects,
// bytes, the webhook backlog overall, per rule and the slowest receivers, and the recent errors.
import {admin} from './api.js';
import {adminNav} from './admin-nav.js';
import {h, replace, showAlert} from './dom.js';
import {formatBytes, formatDate, formatDuration} from './format.js';
import {webhooksHref} from './routes.js';

export function renderAdminServer(main) {
  const error = h('p', {id: 'admin-error', role: 'alert', class: 'error', hidden: true});
  const figures = h('dl', {id: 'server-figures', class: 'pairs'});
  const webhooks = h('div', {id: 'server-webhooks'});
  const errors = h('div', {id: 'server-errors'});
  const page = h('section', {class: 'page', id: 'page-admin-server', 'data-test': 'admin-server-page'},
    adminNav('server'),
    h('h1', {tabindex: '-1'}, 'Server'),
    h('div', {class: 'actions'}, h('button', {type: 'button', id: 'server-refresh', class: 'secondary',
      on: {click: () => load()}}, 'Refresh')),
    error, figures,
    h('section', {'aria-labelledby': 'server-webhooks-title', class: 'account-section'},
      h('h2', {id: 'server-webhooks-title'}, 'Webhooks'), webhooks),
    h('section', {'aria-labelledby': 'server-errors-title', class: 'account-section'},
      h('h2', {id: 'server-errors-title'}, 'Recent errors'),
      h('p', {class: 'hint'}, 'The last errors the server logged (kept in memory, lost at a restart); the log has '
        + 'the details, under the same request id.'), errors));
  main.replaceChildren(page);

  /** One figure: the text shown, and the raw value in data-value for those who compare. */
  const pair = (label, id, value, text) => [h('dt', {}, label),
    h('dd', {'data-test': id, 'data-value': value === null || value === undefined ? '' : String(value)}, text)];

  async function load() {
    showAlert(error, '');
    page.dataset.loaded = 'false';
    try {
      const i = await admin('GET', '/info');
      const used = i.diskTotalBytes - i.diskFreeBytes;
      replace(figures,
        pair('Version', 'version', i.version, i.version),
        pair('Uptime', 'uptimeSeconds', i.uptimeSeconds, formatDuration(i.uptimeSeconds)),
        pair('Data directory', 'dataDir', i.dataDir, h('code', {}, i.dataDir)),
        pair('Disk free', 'diskFreeBytes', i.diskFreeBytes,
          `${formatBytes(i.diskFreeBytes)} free of ${formatBytes(i.diskTotalBytes)} (${percent(used, i.diskTotalBytes)} used)`),
        pair('Disk size', 'diskTotalBytes', i.diskTotalBytes, formatBytes(i.diskTotalBytes)),
        pair('Users', 'users', i.users, i.users.toLocaleString()),
        pair('Buckets', 'buckets', i.buckets, i.buckets.toLocaleString()),
        pair('Objects', 'objects', i.objects, i.objects.toLocaleString()),
        pair('Stored', 'bytes', i.bytes, `${formatBytes(i.bytes)} (${i.bytes.toLocaleString()} bytes)`),
        i.notificationBacklog === undefined ? null
          : pair('Webhook backlog', 'notificationBacklog', i.notificationBacklog,
            `${i.notificationBacklog.toLocaleString()} waiting`));
      drawWebhooks(i.webhooks);
      drawErrors(i.recentErrors || []);
    } catch (e) {
      showAlert(error, `The server's figures could not be loaded. ${e.message}`);
    } finally {
      page.dataset.loaded = 'true';
    }
  }

  function drawWebhooks(w) {
    if (!w) {
      replace(webhooks, h('p', {class: 'empty'}, 'This server sends no webhooks.'));
      return;
    }
    replace(webhooks,
      h('p', {id: 'webhook-summary'}, `${w.rules.toLocaleString()} rules; ${w.backlog.toLocaleString()} deliveries waiting.`),
      h('h3', {}, 'Backlog by rule'),
      w.backlogByRule.length ? ruleTable('backlog-rules', w.backlogByRule)
        : h('p', {class: 'empty', id: 'no-backlog'}, 'No rule has deliveries waiting.'),
      h('h3', {}, 'Slowest receivers (time from commit to a 2xx, recent deliveries)'),
      w.slowestReceivers.length ? ruleTable('slowest-receivers', w.slowestReceivers)
        : h('p', {class: 'empty', id: 'no-slowest'}, 'No deliveries yet.'));
  }

  function drawErrors(list) {
    if (!list.length) {
      replace(errors, h('p', {class: 'empty', id: 'no-errors'}, 'None since the server started.'));
      return;
    }
    replace(errors, h('div', {class: 'table-wrap'}, h('table', {id: 'recent-errors', class: 'list'},
      h('thead', {}, h('tr', {}, ['Time', 'Source', 'Message'].map((t) => h('th', {scope: 'col'}, t)))),
      h('tbody', {}, list.map((e) => h('tr', {'data-test': 'error-row'},
        h('td', {class: 'size'}, formatDate(new Date(e.time))), h('td', {}, e.source),
        h('td', {class: 'name'}, e.message)))))));
  }

  load();
}

function ruleTable(id, lines) {
  const ms = (v) => (v === null || v === undefined ? '–' : `${v.toLocaleString()} ms`);
  return h('div', {class: 'table-wrap'}, h('table', {id, class: 'list'},
    h('thead', {}, h('tr', {}, ['Bucket', 'Receiver', 'Waiting', 'Dead letters', 'p50', 'p99']
      .map((t) => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, lines.map((l) => h('tr', {'data-test': 'rule-line', 'data-rule-id': l.ruleId,
      'data-pending': String(l.pending), 'data-p99': l.latencyP99Millis === null ? '' : String(l.latencyP99Millis)},
    h('td', {class: 'name'}, h('a', {href: webhooksHref(l.bucket)}, l.bucket)),
    h('td', {class: 'name'}, h('code', {}, l.url), l.enabled ? null : h('span', {class: 'hint'}, ' (disabled)')),
    h('td', {class: 'size'}, l.pending.toLocaleString()),
    h('td', {class: 'size'}, l.deadLettered.toLocaleString()),
    h('td', {class: 'size'}, ms(l.latencyP50Millis)),
    h('td', {class: 'size'}, ms(l.latencyP99Millis)))))));
}

function percent(part, whole) {
  return whole > 0 ? `${Math.round((100 * part) / whole)} %` : '–';
}
