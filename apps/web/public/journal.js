// The trade journal (GET /api/trades): one row per order, filtered by worker, symbol and status,
// the newest first, with totals per worker and symbol (GET /api/trades/summary) and the whole
// filtered history as CSV (GET /api/trades.csv). Sizes, prices, fees and P&L are the API's
// decimal strings, shown as they are (never through Number()).
import { action } from './alert.js';
import { api, download } from './api.js';
import { $, cell, el, when } from './dom.js';
import { refreshNow } from './refresh.js';

const PAGE = 100;
/** The API's largest page: past it, the CSV has everything. */
const MAX_SHOWN = 500;
/** Orders that wait for a price: shown next to their order type; their row follows the order they place. */
const KIND = { plan: 'trigger', tpsl: 'TP/SL' };

let shown = PAGE;
let lastRendered = '';

/** The filters as query parameters (only those set). */
function filters() {
  const query = new URLSearchParams();
  const workerId = $('#filter-worker').value;
  const symbol = $('#filter-symbol').value.trim().toUpperCase();
  const status = $('#filter-status').value;
  if (workerId) query.set('workerId', workerId);
  if (symbol) query.set('symbol', symbol);
  if (status) query.set('status', status);
  return query;
}

/** Loads what the journal shows for the current filters: the newest `shown` rows and the totals. */
export async function loadJournal() {
  const query = filters();
  const totals = new URLSearchParams();
  // The totals are per worker and symbol over every status; the symbol filter narrows their rows here.
  if (query.has('workerId')) totals.set('workerId', query.get('workerId'));
  const filtered = [...query.keys()].length > 0;
  query.set('limit', String(shown));
  const [page, summary] = await Promise.all([api(`/api/trades?${query}`), api(`/api/trades/summary?${totals}`)]);
  return { page, summary, symbol: query.get('symbol') ?? '', filtered };
}

export function renderJournal(journal, workers) {
  // The worker filtered on was deleted: this answer is for it, so load again for all workers.
  if (fillWorkerFilter(workers)) {
    void refreshNow();
    return;
  }
  const names = new Map(workers.map((w) => [w.id, w.name]));
  const { page, summary, symbol, filtered } = journal;
  const rendered = JSON.stringify([page.items, page.nextCursor, summary, symbol, filtered, [...names]]);
  if (rendered === lastRendered) return;
  lastRendered = rendered;
  const workerName = (id) => (id === null ? '' : (names.get(id) ?? `deleted worker ${id.slice(0, 8)}`));

  const totals = summary.filter((r) => !symbol || r.symbol === symbol)
    .map((r) => ({ ...r, worker: workerName(r.workerId) }))
    .sort((x, y) => x.worker.localeCompare(y.worker) || x.symbol.localeCompare(y.symbol));
  $('#summary tbody').replaceChildren(...totals.map((r) => el('tr', {},
    cell(r.worker), cell(r.symbol), cell(String(r.orders), 'num'), cell(String(r.filled), 'num'),
    cell(String(r.rejected), 'num'), cell(r.volume, 'num'), cell(r.fees, 'num'), cell(r.realizedPnl, 'num'),
  )));
  $('#trades tbody').replaceChildren(...page.items.map((t) => el('tr', { dataset: { clientOid: t.clientOid } },
    cell(when(t.createdAt)), cell(workerName(t.workerId)), cell(t.mode), cell(t.symbol),
    cell([t.side, t.tradeSide].filter(Boolean).join(' ')), cell([t.orderType, KIND[t.action]].filter(Boolean).join(' · ')),
    cell(t.size, 'num'), cell(t.price, 'num'), cell(t.fillSize, 'num'), cell(t.fillPrice, 'num'), cell(t.fee, 'num'), cell(t.realizedPnl, 'num'),
    cell(t.status, `status-${t.status}`), cell(t.triggeredOrderId ? `${t.orderId} → ${t.triggeredOrderId}` : t.orderId), cell(t.errorMessage),
  )));
  $('#empty').textContent = filtered ? 'No orders match these filters.' : 'No orders yet.';
  $('#empty').hidden = page.items.length > 0;
  const more = page.nextCursor !== null;
  $('#trades-more').hidden = !more || shown >= MAX_SHOWN;
  $('#trades-count').textContent = page.items.length === 0 ? ''
    : more && shown >= MAX_SHOWN ? `the newest ${page.items.length} orders; Download CSV has all of them`
      : `${more ? 'the newest ' : ''}${page.items.length} order${page.items.length === 1 ? '' : 's'}`;
}

/**
 * The worker filter lists the user's workers, keeping the choice; true when the chosen worker
 * was deleted since (the filter is then reset to all workers).
 */
function fillWorkerFilter(workers) {
  const select = $('#filter-worker');
  const key = JSON.stringify(workers.map((w) => [w.id, w.name]));
  if (select.dataset.workers === key) return false;
  select.dataset.workers = key;
  const value = select.value;
  select.replaceChildren(el('option', { value: '', textContent: 'all workers' }),
    ...workers.map((w) => el('option', { value: w.id, textContent: w.name })));
  const kept = value === '' || workers.some((w) => w.id === value);
  select.value = kept ? value : '';
  return !kept;
}

export function initJournal() {
  let typing;
  const changed = () => {
    clearTimeout(typing);
    shown = PAGE;
    return refreshNow();
  };
  $('#journal-filter').addEventListener('submit', (e) => { e.preventDefault(); void changed(); });
  $('#filter-worker').addEventListener('change', action(changed));
  $('#filter-status').addEventListener('change', action(changed));
  $('#filter-symbol').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => { void changed(); }, 300);
  });
  $('#trades-more').addEventListener('click', action(() => {
    shown = Math.min(MAX_SHOWN, shown + PAGE);
    return refreshNow();
  }));
  $('#trades-csv').addEventListener('click', action(() => download(`/api/trades.csv?${filters()}`, 'tickbox-trades.csv')));
}
