// Live logs: the SSE endpoint read with fetch (EventSource cannot send the Authorization
// header). Lines are appended as text nodes, never as markup.
import { stream, workerPath } from './api.js';
import { showError } from './alert.js';
import { $ } from './dom.js';

const MAX_LINES = 2000;
let controller = null;
let watching = null;

function append(log) {
  const pre = $('#logs');
  const line = `${new Date(log.at).toLocaleTimeString()} ${String(log.level).toUpperCase().padEnd(5)} ${log.message}\n`;
  pre.append(document.createTextNode(line));
  while (pre.childNodes.length > MAX_LINES) pre.firstChild.remove();
  pre.scrollTop = pre.scrollHeight;
}

/** Stops the stream and hides the panel (only if it shows `workerId`, when given). */
export function stopLogs(workerId) {
  if (workerId !== undefined && watching !== workerId) return;
  controller?.abort();
  controller = null;
  watching = null;
  $('#logs-panel').hidden = true;
}

/** Shows the live logs of `worker`; resolves when the stream ends. Never rejects. */
export async function watchLogs(worker) {
  controller?.abort();
  const mine = new AbortController();
  controller = mine;
  watching = worker.id;
  $('#logs-worker').textContent = worker.name;
  $('#logs').replaceChildren();
  $('#logs-panel').hidden = false;
  try {
    const res = await stream(workerPath(worker.id, '/logs/stream'), mine.signal);
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let i;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        const data = event.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
        if (!data) continue;
        let log;
        try { log = JSON.parse(data); } catch { continue; }
        append(log);
      }
    }
  } catch (err) {
    if (err?.name !== 'AbortError') showError(err);
  }
}

export function initLogs() {
  $('#logs-close').addEventListener('click', () => stopLogs());
}
