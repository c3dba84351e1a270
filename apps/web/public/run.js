// "Run now": POST /api/workers/:id/run runs one tick in the scheduler (never in the api) and
// answers {status, durationMs, logs, error?}; the answer is shown in the run panel.
import { api, workerPath } from './api.js';
import { $, el } from './dom.js';
import { refreshNow } from './refresh.js';

let latest = 0;
const running = new Set();

/** Ids of workers with a run-now in flight (their Run button is disabled). */
export const runningWorkers = () => running;

function duration(ms) {
  if (typeof ms !== 'number') return String(ms);
  return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

export function closeRun() {
  latest++;
  $('#run-panel').hidden = true;
}

export async function runNow(worker) {
  const mine = ++latest;
  running.add(worker.id);
  $('#run-worker').textContent = worker.name;
  $('#run-status').textContent = 'Running one tick in the scheduler…';
  $('#run-status').className = '';
  $('#run-logs').replaceChildren();
  $('#run-logs').hidden = true;
  $('#run-error').hidden = true;
  $('#run-panel').hidden = false;
  // Re-render now so the row's Run button shows "Running…".
  void refreshNow();
  let result;
  try {
    result = await api(workerPath(worker.id, '/run'), { method: 'POST' });
  } catch (err) {
    if (mine === latest) $('#run-status').textContent = `Run failed: ${err.message}`;
    throw err;
  } finally {
    running.delete(worker.id);
    // The tick may have changed the worker's status (refreshNow never rejects).
    void refreshNow();
  }
  if (mine === latest) {
    $('#run-status').replaceChildren(
      el('strong', { className: `status-${result.status}`, textContent: result.status }),
      ` in ${duration(result.durationMs)}`,
      result.tickRunId ? el('small', { className: 'hint', textContent: ` (run ${result.tickRunId})` }) : '',
    );
    const logs = Array.isArray(result.logs) ? result.logs : [];
    $('#run-logs').replaceChildren(...logs.map((l) => `${new Date(l.at).toLocaleTimeString()} ${String(l.level).toUpperCase().padEnd(5)} ${l.message}\n`));
    $('#run-logs').hidden = logs.length === 0;
    if (result.error) {
      const e = result.error;
      let text = typeof e === 'object' ? `${e.name ? `${e.name}: ` : ''}${e.message ?? JSON.stringify(e)}${e.code ? ` (code ${e.code})` : ''}` : String(e);
      // Where it was thrown: the user's own frames (the stack's header repeats the error, maybe over several lines).
      const frames = typeof e === 'object' && typeof e.stack === 'string' ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)) : [];
      if (frames.length > 0) text += `\n${frames.join('\n')}`;
      $('#run-error').textContent = text;
      $('#run-error').hidden = false;
    }
  }
}

export function initRun() {
  $('#run-close').addEventListener('click', closeRun);
}
