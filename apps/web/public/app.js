// Dashboard: talks only to /api with the bearer token kept in this browser's localStorage.
const $ = (sel) => document.querySelector(sel);
const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
if (fromHash) { localStorage.setItem('tickbox.token', fromHash); history.replaceState(null, '', location.pathname); }
let token = localStorage.getItem('tickbox.token');

async function api(path) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401) { localStorage.removeItem('tickbox.token'); showLogin(); throw new Error(body.message || 'unauthorized'); }
  if (!res.ok) throw new Error(body.message || `HTTP ${res.status}`);
  return body;
}

function cell(text, cls) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  if (cls) td.className = cls;
  return td;
}

function showLogin() { $('#login').hidden = false; $('#main').hidden = true; }

async function load() {
  $('#error').hidden = true;
  try {
    const [me, workers, trades] = await Promise.all([api('/api/me'), api('/api/workers'), api('/api/trades?limit=100')]);
    $('#who').textContent = me.name;
    const names = new Map(workers.map((w) => [w.id, w.name]));
    const wbody = $('#workers tbody');
    wbody.replaceChildren(...workers.map((w) => {
      const tr = document.createElement('tr');
      const logsButton = document.createElement('button');
      logsButton.type = 'button';
      logsButton.textContent = 'Logs';
      logsButton.addEventListener('click', () => watchLogs(w));
      const actions = document.createElement('td');
      actions.append(logsButton);
      tr.append(cell(w.name), cell(w.status, `status-${w.status}`), cell(JSON.stringify(w.schedule)), cell(w.enabled ? 'yes' : 'no'), cell(w.lastError), actions);
      return tr;
    }));
    const tbody = $('#trades tbody');
    tbody.replaceChildren(...trades.items.map((t) => {
      const tr = document.createElement('tr');
      tr.dataset.clientOid = t.clientOid;
      tr.append(
        cell(new Date(t.createdAt).toLocaleString()), cell(names.get(t.workerId) ?? t.workerId), cell(t.mode), cell(t.symbol),
        cell([t.side, t.tradeSide].filter(Boolean).join(' ')), cell(t.orderType), cell(t.size, 'num'), cell(t.price, 'num'), cell(t.fillPrice, 'num'), cell(t.fee, 'num'), cell(t.realizedPnl, 'num'),
        cell(t.status, `status-${t.status}`), cell(t.orderId), cell(t.errorMessage),
      );
      return tr;
    }));
    $('#empty').hidden = trades.items.length > 0;
    $('#main').hidden = false;
    $('#login').hidden = true;
  } catch (err) {
    $('#error').textContent = err.message;
    $('#error').hidden = false;
  }
}

// Live logs: the SSE endpoint read with fetch (EventSource cannot send the Authorization header).
let logStream;
async function watchLogs(worker) {
  logStream?.abort();
  logStream = new AbortController();
  $('#logs-worker').textContent = worker.name;
  $('#logs').textContent = '';
  $('#logs-panel').hidden = false;
  try {
    const res = await fetch(`/api/workers/${worker.id}/logs/stream`, { headers: { authorization: `Bearer ${token}` }, signal: logStream.signal });
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let i;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const data = buffer.slice(0, i).split('\n').find((l) => l.startsWith('data: '));
        buffer = buffer.slice(i + 2);
        if (!data) continue;
        const log = JSON.parse(data.slice(6));
        const line = `${new Date(log.at).toLocaleTimeString()} ${log.level.toUpperCase().padEnd(5)} ${log.message}\n`;
        $('#logs').append(document.createTextNode(line));
      }
    }
  } catch (err) {
    if (err.name !== 'AbortError') { $('#error').textContent = err.message; $('#error').hidden = false; }
  }
}

$('#login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  token = $('#token-input').value.trim();
  localStorage.setItem('tickbox.token', token);
  load();
});
$('#refresh').addEventListener('click', load);
if (token) { load(); setInterval(load, 5000); } else showLogin();
