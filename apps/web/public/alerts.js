// Failure alerts (GET/PUT/DELETE /api/me/alerts, POST /api/me/alerts/test): where the scheduler
// POSTs when a worker's setup fails, a tick fails after a good one, a worker recovers, or the
// exchange rejects an order; and how the last delivery went. The URL
// is a credential: typed into a password input that is cleared once stored; only its host comes back.
import { api } from './api.js';
import { action } from './alert.js';
import { $, when } from './dom.js';

function render(view) {
  const delivery = !view.enabled ? ''
    : view.lastError ? ` The last delivery failed (${when(view.lastErrorAt)}): ${view.lastError}.`
      : view.lastSentAt ? ` Last delivered ${when(view.lastSentAt)}.` : ' Nothing delivered yet: Send a test to check the URL.';
  $('#alerts-status').textContent = view.enabled
    ? `On: alerts go to ${view.host} (set ${when(view.updatedAt)}).${delivery}`
    : 'Off. Set a URL to be told when a worker stops, starts failing, recovers or has an order rejected.';
  $('#alerts-status').classList.toggle('error-text', Boolean(view.enabled && view.lastError));
  $('#alerts-test').hidden = !view.enabled;
  $('#alerts-off').hidden = !view.enabled;
}

export async function loadAlerts() {
  render(await api('/api/me/alerts'));
}

async function save(event) {
  event.preventDefault();
  const input = $('#alerts-url');
  const url = input.value.trim();
  if (!url) return;
  try {
    render(await api('/api/me/alerts', { method: 'PUT', body: { url } }));
  } finally {
    input.value = '';
  }
}

async function sendTest() {
  const r = await api('/api/me/alerts/test', { method: 'POST' });
  $('#alerts-status').textContent = `A test alert is on its way to ${r.host}.`;
}

async function turnOff() {
  await api('/api/me/alerts', { method: 'DELETE' });
  await loadAlerts();
}

export function initAlerts() {
  $('#alerts-form').addEventListener('submit', action(save));
  $('#alerts-test').addEventListener('click', action(sendTest));
  $('#alerts-off').addEventListener('click', action(turnOff));
}
