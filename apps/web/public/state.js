// Worker state (ctx.state): GET /api/workers/:id/state shown as JSON, reset with
// DELETE /api/workers/:id/state after a confirmation.
import { api, workerPath } from './api.js';
import { action } from './alert.js';
import { $, when } from './dom.js';

let current = null;

export async function showState(worker) {
  const answer = await api(workerPath(worker.id, '/state'));
  current = worker;
  $('#state-worker').textContent = worker.name;
  $('#state-json').textContent = JSON.stringify(answer.state ?? {}, null, 2);
  $('#state-updated').textContent = answer.updatedAt
    ? `Saved at ${when(answer.updatedAt)} (by the worker's last tick).`
    : 'Empty: this worker has not saved any state yet (or it was reset).';
  $('#state-panel').hidden = false;
}

export function closeState(workerId) {
  if (workerId !== undefined && current?.id !== workerId) return;
  current = null;
  $('#state-panel').hidden = true;
}

async function resetState() {
  const worker = current;
  if (!worker) return;
  if (!confirm(`Reset the state of "${worker.name}"? Everything it stored with ctx.state is deleted; the next tick starts from empty state.`)) return;
  await api(workerPath(worker.id, '/state'), { method: 'DELETE' });
  await showState(worker);
}

export function initState() {
  $('#state-reset').addEventListener('click', action(resetState));
  $('#state-close').addEventListener('click', () => closeState());
}
