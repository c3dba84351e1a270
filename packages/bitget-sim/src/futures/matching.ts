import { d, maxD, minD, str, ZERO, type Dec } from '../decimal.ts';
import type { Exchange } from '../exchange.ts';
import type { FuturesInstrument } from '../market/instruments.ts';
import type { AccountState, FuturesOrder, HoldSide, Side } from '../types.ts';
import { applyFill, findPosition, instOf, orderMargin, settingsOf, leverageFor } from './ledger.ts';
import { createPresetPlans } from './plans.ts';

/** Direction the order trades in the book (hedge: closing a long sells). */
export function execSide(o: FuturesOrder): Side {
  if (o.posMode === 'hedge_mode' && o.tradeSide === 'close') return o.side === 'buy' ? 'sell' : 'buy';
  return o.side;
}

export function isOpen(o: { status: string }): boolean {
  return o.status === 'live' || o.status === 'partially_filled';
}

function remaining(o: FuturesOrder): Dec {
  return d(o.size).sub(o.baseVolume);
}

function recordFill(ex: Exchange, acct: AccountState, o: FuturesOrder, price: Dec, qty: Dec, scope: 'taker' | 'maker', t: number): void {
  const inst = instOf(o);
  const res = applyFill(ex, acct, o, price, qty, scope === 'taker' ? inst.takerFeeRate : inst.makerFeeRate, t);
  o.baseVolume = str(d(o.baseVolume).add(qty));
  o.quoteVolume = str(d(o.quoteVolume).add(price.mul(qty)));
  o.fee = str(d(o.fee).sub(res.fee));
  o.totalProfits = str(d(o.totalProfits).add(res.realized));
  o.status = remaining(o).lte(0) ? 'filled' : 'partially_filled';
  o.uTime = t;
  acct.futures.fills.push({
    tradeId: ex.nextId(), orderId: o.orderId, productType: o.productType, symbol: o.symbol, marginCoin: o.marginCoin, side: o.side,
    tradeSide: o.label ?? (o.posMode === 'hedge_mode' ? o.tradeSide : res.closedQty.gt(0) && res.openedQty.isZero() ? 'close' : 'open'),
    posMode: o.posMode, price: str(price), baseVolume: str(qty), quoteVolume: str(price.mul(qty)), fee: str(res.fee.neg()),
    feeCoin: o.marginCoin, profit: str(res.realized), tradeScope: scope, cTime: t,
  });
  if (acct.futures.fills.length > 5000) acct.futures.fills.splice(0, acct.futures.fills.length - 5000);
}

/** tradeSide as Bitget reports it on orders and fills. */
export function tradeSideLabel(o: FuturesOrder): string {
  if (o.label) return o.label;
  if (o.posMode === 'hedge_mode') return o.tradeSide;
  return o.side === 'buy' ? 'buy_single' : 'sell_single';
}

/**
 * Fills an incoming order against the synthetic book (taker), then applies force semantics:
 * market/ioc cancel the rest, fok all-or-nothing, post_only never takes, gtc rests.
 */
export function matchIncoming(ex: Exchange, acct: AccountState, o: FuturesOrder, t: number): void {
  const inst = instOf(o);
  const buy = execSide(o) === 'buy';
  const levels = () => ex.market.side(inst, t, buy ? 'asks' : 'bids');
  const limit = o.orderType === 'limit' ? d(o.price) : undefined;
  const crosses = (p: Dec) => !limit || (buy ? p.lte(limit) : p.gte(limit));
  const best = levels().next();
  if (o.force === 'post_only' && o.orderType === 'limit' && !best.done && crosses(best.value.price)) {
    finish(ex, acct, o, 'canceled', 'post_only order would have taken liquidity', t);
    return;
  }
  if (o.force === 'fok' && o.orderType === 'limit') {
    let depth = ZERO;
    for (const l of levels()) {
      if (!crosses(l.price) || depth.gte(o.size)) break;
      depth = depth.add(l.size);
    }
    if (depth.lt(o.size)) {
      finish(ex, acct, o, 'canceled', 'fok order could not be filled completely', t);
      return;
    }
  }
  for (const l of levels()) {
    const rest = remaining(o);
    if (rest.lte(0) || !crosses(l.price)) break;
    const closable = closableNow(acct, inst, o);
    const q = closable === undefined ? minD(rest, l.size) : minD(minD(rest, l.size), closable);
    if (q.lte(0)) break;
    recordFill(ex, acct, o, l.price, q, 'taker', t);
  }
  if (remaining(o).lte(0)) return finish(ex, acct, o, 'filled', '', t);
  if (o.orderType === 'market' || o.force === 'ioc' || o.force === 'fok' || closableNow(acct, inst, o)?.lte(0)) {
    return finish(ex, acct, o, 'canceled', o.orderType === 'market' ? 'insufficient book depth' : 'ioc remainder', t);
  }
  rest(acct, inst, o);
}

/** For close / reduce-only orders: how much position is left to close (undefined = unlimited). */
function closableNow(acct: AccountState, inst: FuturesInstrument, o: FuturesOrder): Dec | undefined {
  if (o.posMode === 'hedge_mode' && o.tradeSide === 'close') {
    const pos = findPosition(acct, inst, o.marginCoin, o.holdSide as HoldSide);
    return pos ? d(pos.total) : ZERO;
  }
  if (o.posMode === 'one_way_mode' && o.reduceOnly) {
    const pos = findPosition(acct, inst, o.marginCoin, o.side === 'buy' ? 'short' : 'long');
    return pos ? d(pos.total) : ZERO;
  }
  return undefined;
}

/** Freeze margin for the opening part and reserve position size for the closing part. */
function rest(acct: AccountState, inst: FuturesInstrument, o: FuturesOrder): void {
  const qty = remaining(o);
  const settings = settingsOf(acct, inst, o.marginCoin);
  let closeQty = ZERO;
  let closeSide: HoldSide | undefined;
  if (o.posMode === 'hedge_mode') {
    if (o.tradeSide === 'close') {
      closeSide = o.holdSide as HoldSide;
      closeQty = qty;
    }
  } else {
    closeSide = o.side === 'buy' ? 'short' : 'long';
    const pos = findPosition(acct, inst, o.marginCoin, closeSide);
    closeQty = pos ? minD(qty, d(pos.total).sub(pos.locked)) : ZERO;
    if (!o.reduceOnly) closeQty = ZERO; // plain one-way orders decide at fill time and reserve nothing
  }
  if (closeSide && closeQty.gt(0)) {
    const pos = findPosition(acct, inst, o.marginCoin, closeSide);
    if (pos) {
      pos.locked = str(d(pos.locked).add(closeQty));
      o.reservedSize = str(closeQty);
    }
  }
  const openQty = qty.sub(closeQty);
  const openSide: HoldSide = o.side === 'buy' ? 'long' : 'short';
  const opening = o.posMode === 'hedge_mode' ? o.tradeSide === 'open' : !o.reduceOnly;
  if (opening && openQty.gt(0)) o.frozenMargin = str(orderMargin(inst, d(o.price), openQty, leverageFor(settings, openSide)));
}

/** Releases what a resting order holds, proportionally to `qty` (or everything). */
function release(acct: AccountState, o: FuturesOrder, qty?: Dec): void {
  const rem = remaining(o);
  const share = qty && rem.gt(0) ? minD(d(1), qty.div(rem)) : d(1);
  const frozen = d(o.frozenMargin).mul(share).toDecimalPlaces(12);
  o.frozenMargin = str(maxD(ZERO, d(o.frozenMargin).sub(frozen)));
  const reserved = minD(d(o.reservedSize), qty ?? d(o.reservedSize));
  if (reserved.gt(0)) {
    const inst = instOf(o);
    const side: HoldSide = o.posMode === 'hedge_mode' ? (o.holdSide as HoldSide) : o.side === 'buy' ? 'short' : 'long';
    const pos = findPosition(acct, inst, o.marginCoin, side);
    if (pos) pos.locked = str(maxD(ZERO, d(pos.locked).sub(reserved)));
    o.reservedSize = str(d(o.reservedSize).sub(reserved));
  }
}

export function finish(ex: Exchange, acct: AccountState, o: FuturesOrder, status: 'filled' | 'canceled', reason: string, t: number): void {
  release(acct, o);
  o.frozenMargin = '0';
  o.status = status;
  o.cancelReason = status === 'canceled' ? reason : '';
  o.uTime = t;
  if (d(o.baseVolume).gt(0)) createPresetPlans(ex, acct, o, t);
}

/** Resting limit orders fill at their own price (maker) once the last price trades through. */
export function fillResting(ex: Exchange, acct: AccountState, t: number): void {
  for (const o of acct.futures.orders) {
    if (!isOpen(o) || o.orderType !== 'limit') continue;
    const inst = instOf(o);
    const last = ex.market.quote(inst, t).last;
    const price = d(o.price);
    const buy = execSide(o) === 'buy';
    if (buy ? last.gt(price) : last.lt(price)) continue;
    let qty = remaining(o);
    release(acct, o, qty);
    const closable = closableNow(acct, inst, o);
    if (closable !== undefined) qty = minD(qty, closable);
    if (qty.gt(0)) recordFill(ex, acct, o, price, qty, 'maker', t);
    finish(ex, acct, o, remaining(o).lte(0) ? 'filled' : 'canceled', 'position already closed', t);
  }
}
