import type { TradeLog } from '@tickbox/db';

// toFixed() without digits is the exact value in plain notation: toString() switches to
// exponent form below 1e-7 (a fee of -0.00000001 would read "-1e-8").
const dec = (v: { toFixed(): string } | null) => (v === null ? null : v.toFixed());

/** A TradeLog row on the wire: decimals as exact strings, times as ISO 8601. */
export function tradeView(t: TradeLog) {
  return {
    id: t.id, workerId: t.workerId, tickRunId: t.tickRunId, mode: t.mode, market: t.market, productType: t.productType,
    action: t.action, symbol: t.symbol, side: t.side, tradeSide: t.tradeSide, orderType: t.orderType,
    size: dec(t.size), price: dec(t.price), clientOid: t.clientOid, orderId: t.orderId,
    triggeredOrderId: t.triggeredOrderId, status: t.status,
    errorCode: t.errorCode, errorMessage: t.errorMessage, fillSize: dec(t.fillSize), fillPrice: dec(t.fillPrice),
    fee: dec(t.fee), realizedPnl: dec(t.realizedPnl), createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString(),
  };
}

