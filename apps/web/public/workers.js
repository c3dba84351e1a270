// The workers table and its per-worker actions: edit, enable/disable, run now, logs, state,
// webhook, alerts on/off, delete.
import { api, workerPath } from './api.js';
import { action } from './alert.js';
import { $, button, cell, el, scheduleText } from './dom.js';
import { closeEditor, openEditor } from './editor.js';
import { stopLogs, watchLogs } from './logs.js';
import { refreshNow } from './refresh.js';
import { runNow, runningWorkers } from './run.js';
import { closeState, showState } from './state.js';
import { closeWebhook, showWebhook, webhookText } from './webhook.js';

let lastRendered = '';

async function setEnabled(worker, enabled) {
  await api(workerPath(worker.id, enabled ? '/enable' : '/disable'), { method: 'POST' });
  $('#workers-note').textContent = `${worker.name} ${enabled ? 'enabled' : 'disabled'}.`;
  await refreshNow();
}

/** One worker's alerts off or on (the user's alert URL stays for the others). */
async function setAlerts(worker, alerts) {
  await api(workerPath(worker.id), { method: 'PATCH', body: { alerts } });
  $('#workers-note').textContent = alerts ? `${worker.name} sends alerts again.` : `${worker.name} sends no alerts now.`;
  await refreshNow();
}

async function remove(worker) {
  if (!confirm(`Delete the worker "${worker.name}"? It stops and its schedule is removed; its journal entries, runs and logs are kept.`)) return;
  await api(workerPath(worker.id), { method: 'DELETE' });
  stopLogs(worker.id);
  closeState(worker.id);
  closeWebhook(worker.id);
  closeEditor(worker.id);
  $('#workers-note').textContent = `${worker.name} deleted.`;
  await refreshNow();
}

function actions(w) {
  const running = runningWorkers().has(w.id);
  return el('td', {}, el('div', { className: 'row-actions' },
    button('Edit', action(() => openEditor(w))),
    w.enabled
      ? button('Disable', action(() => setEnabled(w, false)))
      : button('Enable', action(() => setEnabled(w, true))),
    button(running ? 'Running…' : 'Run now', action(() => runNow(w)), { disabled: running }),
    button('Logs', () => { void watchLogs(w); }),
    button('State', action(() => showState(w))),
    button('Webhook', action(() => showWebhook(w))),
    w.alerts
      ? button('Mute alerts', action(() => setAlerts(w, false)), { title: 'No failure, recovery or rejected-order alerts from this worker' })
      : button('Unmute alerts', action(() => setAlerts(w, true))),
    button('Delete', action(() => remove(w)), { className: 'danger' }),
  ));
}

/** Renders the workers table; `keys` names each worker's key. */
export function renderWorkers(workers, keys) {
  const keyNames = new Map(keys.map((k) => [k.id, `${k.name} (${k.mode})`]));
  const rendered = JSON.stringify([workers, [...keyNames], [...runningWorkers()]]);
  if (rendered === lastRendered) return;
  lastRendered = rendered;
  $('#workers tbody').replaceChildren(...workers.map((w) => el('tr', { dataset: { workerId: w.id } },
    cell(w.name, 'name'),
    cell(w.status, `status-${w.status}`),
    cell(scheduleText(w.schedule)),
    cell(w.keyId ? (keyNames.get(w.keyId) ?? w.keyId) : 'none'),
    cell(w.productType),
    cell(w.enabled ? 'yes' : 'no', 'enabled'),
    cell(webhookText(w.webhook), w.webhook?.enabled ? 'webhook webhook-on' : 'webhook'),
    cell(w.lastError, 'error-text'),
    actions(w),
  )));
  $('#workers-empty').hidden = workers.length > 0;
}

/** The panic button: every enabled worker stops ticking (running ticks finish; open orders stay). */
async function disableAll() {
  if (!confirm('Disable every worker now? Running ticks finish; open orders stay on the exchange.')) return;
  await api('/api/workers/disable-all', { method: 'POST' });
  await refreshNow();
}

export function initWorkers() {
  $('#disable-all').addEventListener('click', action(disableAll));
}
