// Failure alerts (GET/PUT/DELETE /api/me/alerts, POST /api/me/alerts/test): where the scheduler
// POSTs when a worker's setup fails, a tick fails after a good one, or a worker recovers. The URL
// is a credential: typed into a password input that is cleared once stored; only its host comes back.
import { api } from './api.js';
import { action } from './alert.js';
import { $, when } from './dom.js';

function render(view) {
  $('#alerts-status').textContent = view.enabled
    ? `On: alerts go to ${view.host} (set ${when(view.updatedAt)}) when a worker's setup fails, a tick fails after a good one, and a worker recovers.`
    : 'Off. Set a URL to be told when a worker stops, starts failing or recovers.';
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
