// The trade journal (GET /api/trades): one row per order. Sizes, prices, fees and P&L are the
// API's decimal strings, shown as they are (never through Number()).
import { $, cell, el, when } from './dom.js';

let lastRendered = '';

export function renderJournal(page, workers) {
  const names = new Map(workers.map((w) => [w.id, w.name]));
  const rendered = JSON.stringify([page.items, [...names]]);
  if (rendered === lastRendered) return;
  lastRendered = rendered;
  $('#trades tbody').replaceChildren(...page.items.map((t) => el('tr', { dataset: { clientOid: t.clientOid } },
    cell(when(t.createdAt)), cell(names.get(t.workerId) ?? t.workerId), cell(t.mode), cell(t.symbol),
    cell([t.side, t.tradeSide].filter(Boolean).join(' ')), cell(t.orderType),
    cell(t.size, 'num'), cell(t.price, 'num'), cell(t.fillPrice, 'num'), cell(t.fee, 'num'), cell(t.realizedPnl, 'num'),
    cell(t.status, `status-${t.status}`), cell(t.orderId), cell(t.errorMessage),
  )));
  $('#empty').hidden = page.items.length > 0;
}
