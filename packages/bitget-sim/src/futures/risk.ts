import { d, str } from '../decimal.ts';
import type { Exchange } from '../exchange.ts';
import type { AccountState, FuturesOrder, Position } from '../types.ts';
import { addBalance, applyFill, instOf, liquidationPrice, marginNotional, posModeOf } from './ledger.ts';
import { finish, isOpen } from './matching.ts';

const HOUR = 3_600_000;

/**
 * Funding settles at every multiple of the contract's interval (00:00/08:00/16:00 UTC for 8 h):
 * payment = position notional at mark × rate; longs pay a positive rate, shorts receive it.
 */
export function settleFunding(ex: Exchange, acct: AccountState, t: number): void {
  for (const p of acct.futures.positions) {
    const inst = instOf(p);
    if (t % (inst.fundInterval * HOUR) !== 0) continue;
    const rate = d(ex.market.fundingRate(inst, t - 1));
    const mark = ex.market.quote(inst, t).mark;
    const payment = marginNotional(inst, mark, d(p.total)).mul(rate).toDecimalPlaces(12);
    const delta = p.holdSide === 'long' ? payment.neg() : payment;
    addBalance(acct, p.productType, p.marginCoin, delta);
    p.fundingFee = str(d(p.fundingFee).add(delta));
    p.uTime = t;
  }
}

export function fundingTimes(from: number, to: number): number[] {
  const step = 8 * HOUR;
  const out: number[] = [];
  for (let k = Math.floor(from / step) + 1; k * step <= to; k++) out.push(k * step);
  return out;
}

/**
 * Documented approximation of liquidation: when mark crosses the liquidation price the whole
 * position is closed at that price without trading fee; an isolated position forfeits exactly
 * its margin, a crossed one additionally loses the maintenance margin (keepMarginRate × notional).
 */
export function liquidate(ex: Exchange, acct: AccountState, t: number): void {
  for (const p of [...acct.futures.positions]) {
    const inst = instOf(p);
    const liq = liquidationPrice(ex, acct, p, t);
    if (liq.lte(0)) continue;
    const mark = ex.market.quote(inst, t).mark;
    if (p.holdSide === 'long' ? mark.gt(liq) : mark.lt(liq)) continue;
    for (const o of acct.futures.orders) if (isOpen(o) && o.symbol === p.symbol && o.productType === p.productType) finish(ex, acct, o, 'canceled', 'liquidation', t);
    forceClose(ex, acct, p, liq, t);
  }
}

function forceClose(ex: Exchange, acct: AccountState, p: Position, price: ReturnType<typeof d>, t: number): void {
  const inst = instOf(p);
  const hedge = posModeOf(acct, p.productType) === 'hedge_mode';
  const size = d(p.total);
  const orderId = ex.nextId();
  const order: FuturesOrder = {
    orderId, clientOid: orderId, productType: p.productType, symbol: p.symbol, marginCoin: p.marginCoin, marginMode: p.marginMode,
    posMode: hedge ? 'hedge_mode' : 'one_way_mode', side: hedge ? (p.holdSide === 'long' ? 'buy' : 'sell') : p.holdSide === 'long' ? 'sell' : 'buy',
    tradeSide: hedge ? 'close' : '', holdSide: hedge ? p.holdSide : '', orderType: 'market', force: 'gtc', price: '', size: str(size),
    reduceOnly: true, leverage: p.leverage, status: 'live', baseVolume: '0', quoteVolume: '0', fee: '0', totalProfits: '0', frozenMargin: '0',
    reservedSize: '0', presetStopSurplusPrice: '', presetStopLossPrice: '', orderSource: 'market', label: `burst_close_${p.holdSide}`,
    cancelReason: '', cTime: t, uTime: t,
  };
  acct.futures.orders.push(order);
  const margin = d(p.margin);
  const res = applyFill(ex, acct, order, price, size, '0', t);
  const forfeit = p.marginMode === 'isolated' ? margin.add(res.realized) : marginNotional(inst, price, size).mul(inst.keepMarginRate).toDecimalPlaces(12);
  addBalance(acct, p.productType, p.marginCoin, forfeit.neg());
  order.baseVolume = str(size);
  order.quoteVolume = str(price.mul(size));
  order.totalProfits = str(res.realized.sub(forfeit));
  order.status = 'filled';
  ex.logger.info('liquidated', acct.uid, p.productType, p.symbol, p.holdSide, 'at', str(price));
}
