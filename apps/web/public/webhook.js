// A worker's webhook (TradingView-style alerts): POST /api/workers/:id/webhook creates or rotates
// the secret URL, DELETE turns it off. The API stores only a hash, so the URL exists in this page
// only between its answer and the panel being closed: it lives in the read-only #webhook-url
// field and the example, never in a module variable, storage or the workers table.
import { api, workerPath } from './api.js';
import { action } from './alert.js';
import { $, when } from './dom.js';
import { refreshNow } from './refresh.js';

const PLACEHOLDER = '<webhook URL>';
const EXAMPLE_BODY = '{"ticker":"BTCUSDT","action":"buy","size":"0.001"}';

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

/** Runs a webhook call; if the worker is gone meanwhile, the panel closes (the alert says why). */
async function call(method) {
  const worker = current;
  try {
    return await api(workerPath(worker.id, '/webhook'), { method });
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
  $('#webhook-panel').hidden = false;
}

/** Hides the panel and forgets the URL (only if it shows `workerId`, when given). */
export function closeWebhook(workerId) {
  if (workerId !== undefined && current?.id !== workerId) return;
  current = null;
  forgetUrl();
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
    worker.webhook = { enabled: true, createdAt: answer.createdAt };
    render();
    showUrl(answer);
  }
  await refreshNow();
}

async function turnOff() {
  const worker = current;
  if (!worker) return;
  if (!confirm(`Turn off the webhook of "${worker.name}"? Its URL stops working at once; a new one can be created later.`)) return;
  await call('DELETE');
  if (current === worker) {
    forgetUrl();
    worker.webhook = { enabled: false, createdAt: null };
    render();
  }
  await refreshNow();
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
  $('#webhook-close').addEventListener('click', () => closeWebhook());
  $('#webhook-url').addEventListener('focus', (e) => e.target.select());
  forgetUrl();
}
