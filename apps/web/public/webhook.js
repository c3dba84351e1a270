// A worker's webhook (TradingView-style alerts): POST /api/workers/:id/webhook creates or rotates
// the secret URL, DELETE turns it off, PUT …/webhook/allowlist sets which sender IPs it accepts
// (kept on rotate, forgotten on turn off). The API stores only a hash, so the URL exists in this page
// only between its answer and the panel being closed: it lives in the read-only #webhook-url
// field and the example, never in a module variable, storage or the workers table.
import { api, workerPath } from './api.js';
import { action } from './alert.js';
import { $, when } from './dom.js';
import { refreshNow } from './refresh.js';

const PLACEHOLDER = '<webhook URL>';
const EXAMPLE_BODY = '{"ticker":"BTCUSDT","action":"buy","size":"0.001"}';
/** The addresses TradingView sends webhook alerts from (its published list). */
const TRADINGVIEW_IPS = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'];

/** {id, name, webhook, enabled, status} of the worker the panel shows; never the URL. */
let current = null;

/** The table's text for a worker's webhook status. */
export function webhookText(webhook) {
  return webhook?.enabled ? `webhook on since ${when(webhook.createdAt)}` : 'no webhook';
}

// The URL is base64url and a host: it never contains a quote, so single quotes are enough.
function example(url) {
  return `curl -X POST -H 'content-type: application/json' \\\n  -d '${EXAMPLE_BODY}' \\\n  '${url || PLACEHOLDER}'`;
}

/** Removes the URL from the page (field, example, copy status). */
function forgetUrl() {
  const field = $('#webhook-url');
  field.value = '';
  field.removeAttribute('value');
  $('#webhook-secret').hidden = true;
  $('#webhook-copy-status').textContent = '';
  $('#webhook-rotated').textContent = '';
  $('#webhook-example').textContent = example('');
}

function showUrl(answer) {
  $('#webhook-url').value = answer.absoluteUrl;
  $('#webhook-example').textContent = example(answer.absoluteUrl);
  $('#webhook-rotated').textContent = answer.rotated ? 'The previous URL has stopped working: update your alerts.' : '';
  $('#webhook-copy-status').textContent = '';
  $('#webhook-secret').hidden = false;
  $('#webhook-url').focus();
  $('#webhook-url').select();
}

function render() {
  const w = current;
  const on = w.webhook.enabled;
  $('#webhook-worker').textContent = w.name;
  $('#webhook-status').textContent = on
    ? `On since ${when(w.webhook.createdAt)}. Each alert POSTed to its URL runs one tick with ctx.trigger = {type: "webhook", payload, receivedAt}.`
    : 'No webhook: this worker runs on its schedule (and Run now) only.';
  $('#webhook-create').hidden = on;
  $('#webhook-rotate').hidden = !on;
  $('#webhook-off').hidden = !on;
  const refused = !w.enabled ? 'is disabled' : w.status === 'error' ? 'failed its setup' : '';
  $('#webhook-refused').textContent = refused ? `This worker ${refused}: its webhook answers 409 and runs nothing until you enable it again.` : '';
  $('#webhook-refused').hidden = !refused;
}

/** The saved allowlist, in the status line and the field (replacing unsaved edits). */
function showAllowlist() {
  const ips = current.webhook.allowedIps ?? [];
  $('#webhook-senders').textContent = ips.length > 0
    ? `Accepts alerts only from: ${ips.join(', ')}.`
    : 'Accepts alerts from any sender.';
  $('#webhook-allowed-ips').value = ips.join('\n');
}

/** Runs a webhook call; if the worker is gone meanwhile, the panel closes (the alert says why). */
async function call(method, rest = '/webhook', body = undefined) {
  const worker = current;
  try {
    return await api(workerPath(worker.id, rest), { method, body });
  } catch (err) {
    if (err?.status === 404 && current?.id === worker.id) {
      closeWebhook();
      void refreshNow();
    }
    throw err;
  }
}

export async function showWebhook(worker) {
  const fresh = await api(workerPath(worker.id));
  closeWebhook();
  current = { id: fresh.id, name: fresh.name, webhook: fresh.webhook, enabled: fresh.enabled, status: fresh.status };
  render();
  showAllowlist();
  $('#webhook-panel').hidden = false;
}

/** Hides the panel and forgets the URL (only if it shows `workerId`, when given). */
export function closeWebhook(workerId) {
  if (workerId !== undefined && current?.id !== workerId) return;
  current = null;
  forgetUrl();
  $('#webhook-allowed-ips').value = '';
  $('#webhook-allowlist-status').textContent = '';
  $('#webhook-panel').hidden = true;
}

async function create(rotate) {
  const worker = current;
  if (!worker) return;
  if (rotate && !confirm(`Rotate the webhook URL of "${worker.name}"? The current URL stops working at once; alerts that still use it are refused until you give them the new URL.`)) return;
  forgetUrl();
  const answer = await call('POST');
  // Closed (or switched to another worker) meanwhile: the URL is not shown; Rotate makes a new one.
  if (current === worker) {
    worker.webhook = { enabled: true, createdAt: answer.createdAt, allowedIps: answer.allowedIps };
    render();
    showUrl(answer);
  }
  await refreshNow();
}

async function turnOff() {
  const worker = current;
  if (!worker) return;
  if (!confirm(`Turn off the webhook of "${worker.name}"? Its URL stops working at once; a new one can be created later (the accepted senders are kept).`)) return;
  await call('DELETE');
  if (current === worker) {
    forgetUrl();
    worker.webhook = { enabled: false, createdAt: null, allowedIps: worker.webhook.allowedIps };
    render();
    showAllowlist();
  }
  await refreshNow();
}

/** Saves the field's addresses (comma- or newline-separated); the API's 400 names a bad entry. */
async function saveAllowlist() {
  const worker = current;
  if (!worker) return;
  $('#webhook-allowlist-status').textContent = '';
  const ips = $('#webhook-allowed-ips').value.split(/[\s,]+/).filter(Boolean);
  const answer = await call('PUT', '/webhook/allowlist', { ips });
  if (current === worker) {
    worker.webhook = answer;
    render();
    showAllowlist();
    $('#webhook-allowlist-status').textContent = 'Saved.';
  }
}

function fillTradingView() {
  $('#webhook-allowed-ips').value = TRADINGVIEW_IPS.join('\n');
  $('#webhook-allowlist-status').textContent = 'Not saved yet: press Save senders.';
}

async function copyUrl() {
  const field = $('#webhook-url');
  try {
    if (!navigator.clipboard) throw new Error('no clipboard');
    await navigator.clipboard.writeText(field.value);
    $('#webhook-copy-status').textContent = 'Copied.';
  } catch {
    // Clipboard API missing or refused (no permission, page not focused): let the user copy it.
    field.focus();
    field.select();
    $('#webhook-copy-status').textContent = 'Selected: press Ctrl+C (⌘C on a Mac) to copy.';
  }
}

export function initWebhook() {
  $('#webhook-create').addEventListener('click', action(() => create(false)));
  $('#webhook-rotate').addEventListener('click', action(() => create(true)));
  $('#webhook-off').addEventListener('click', action(turnOff));
  $('#webhook-copy').addEventListener('click', action(copyUrl));
  $('#webhook-allowlist-save').addEventListener('click', action(saveAllowlist));
  $('#webhook-allowlist-tradingview').addEventListener('click', fillTradingView);
  $('#webhook-close').addEventListener('click', () => closeWebhook());
  $('#webhook-url').addEventListener('focus', (e) => e.target.select());
  forgetUrl();
}
