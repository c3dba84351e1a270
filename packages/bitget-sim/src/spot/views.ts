import { d, pad16, str } from '../decimal.ts';
import type { AccountState, SpotFill, SpotOrder } from '../types.ts';

const ts = (n: number) => String(n);
// Spot lists spell the cancelled status with two l's (futures uses "canceled").
const status = (o: SpotOrder) => (o.status === 'canceled' ? 'cancelled' : o.status);

function priceAvg(o: SpotOrder): string {
  const base = d(o.baseVolume);
  return base.gt(0) ? str(d(o.quoteVolume).div(base).toDecimalPlaces(16)) : '0';
}

/** feeDetail is a JSON-encoded string on history/orderInfo (CONTRACT.md §4.2); amounts stay textual. */
function feeDetail(o: SpotOrder): string {
  const fee = d(o.fee).isZero() ? '0' : str(o.fee);
  return `{"newFees":{"c":0,"d":0,"deduction":false,"r":${fee},"t":${fee},"totalDeductionFee":0},"${o.feeCoin}":{"deduction":false,"feeCoinCode":"${o.feeCoin}","totalDeductionFee":0,"totalFee":${fee}}}`;
}

/** unfilled-orders quirk: priceAvg carries the limit price, basePrice is "0". */
export function unfilledView(acct: AccountState, o: SpotOrder): Record<string, unknown> {
  return {
    userId: acct.uid, symbol: o.symbol, orderId: o.orderId, clientOid: o.clientOid, priceAvg: o.price, size: o.size, orderType: o.orderType,
    side: o.side, status: status(o), basePrice: '0', baseVolume: o.baseVolume, quoteVolume: o.quoteVolume, enterPointSource: 'API',
    orderSource: o.orderType === 'market' ? 'market' : 'normal', presetTakeProfitPrice: '', executeTakeProfitPrice: '', presetStopLossPrice: '',
    executeStopLossPrice: '', cTime: ts(o.cTime), uTime: ts(o.uTime), tpslType: 'normal', triggerPrice: null,
  };
}

/** history-orders / orderInfo: decimals padded to 16 places like the live API. */
export function historyView(acct: AccountState, o: SpotOrder): Record<string, unknown> {
  return {
    userId: acct.uid, symbol: o.symbol, orderId: o.orderId, clientOid: o.clientOid, price: pad16(o.price), size: pad16(o.size), orderType: o.orderType,
    side: o.side, status: status(o), priceAvg: pad16(priceAvg(o)), baseVolume: pad16(o.baseVolume), quoteVolume: pad16(o.quoteVolume),
    enterPointSource: 'API', feeDetail: feeDetail(o), orderSource: o.orderType === 'market' ? 'market' : 'normal', cancelReason: o.cancelReason,
    cTime: ts(o.cTime), uTime: ts(o.uTime), tpslType: 'normal', triggerPrice: null,
  };
}

export function spotFillView(acct: AccountState, f: SpotFill): Record<string, unknown> {
  return {
    userId: acct.uid, symbol: f.symbol, orderId: f.orderId, tradeId: f.tradeId, orderType: f.orderType, side: f.side, priceAvg: f.price, size: f.size,
    amount: f.amount, feeDetail: { deduction: 'no', feeCoin: f.feeCoin, totalDeductionFee: '0', totalFee: f.fee }, tradeScope: f.tradeScope,
    cTime: ts(f.cTime), uTime: ts(f.cTime),
  };
}
