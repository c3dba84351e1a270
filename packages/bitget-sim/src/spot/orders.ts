import { d, decimalPlaces, floorTo, minD, str, ZERO, type Dec } from '../decimal.ts';
import { errors } from '../errors.ts';
import type { Exchange } from '../exchange.ts';
import { findSpot, type SpotInstrument } from '../market/instruments.ts';
import type { AccountState, Force, OrderType, Side, SpotBalance, SpotOrder } from '../types.ts';

export interface SpotPlaceInput {
  inst: SpotInstrument;
  side: Side;
  orderType: OrderType;
  force: Force;
  price?: Dec;
  size: Dec;
  clientOid?: string;
}

export function balance(acct: AccountState, coin: string, t?: number): SpotBalance {
  const b = (acct.spot.balances[coin] ??= { available: '0', frozen: '0', uTime: t ?? 0 });
  if (t !== undefined) b.uTime = t;
  return b;
}

function move(acct: AccountState, coin: string, availableDelta: Dec, frozenDelta: Dec, t: number): void {
  const b = balance(acct, coin, t);
  b.available = str(d(b.available).add(availableDelta));
  b.frozen = str(d(b.frozen).add(frozenDelta));
}

const isOpen = (o: SpotOrder) => o.status === 'live' || o.status === 'partially_filled';

/** Market buys are sized in quote currency, everything else in base (CONTRACT.md §5.8). */
export function placeSpotOrder(ex: Exchange, acct: AccountState, input: SpotPlaceInput, t: number): SpotOrder {
  const { inst, side, orderType } = input;
  const quoteSized = orderType === 'market' && side === 'buy';
  if (input.size.lte(0)) throw errors.paramError('size');
  if (decimalPlaces(input.size) > (quoteSized ? inst.quotePrecision : inst.quantityPrecision)) throw errors.sizeScale(input.size.toFixed(), quoteSized ? inst.quotePrecision : inst.quantityPrecision);
  const q = ex.market.quote(inst, t);
  let price = ZERO;
  if (orderType === 'limit') {
    price = input.price ?? ZERO;
    if (price.lte(0)) throw errors.paramEmpty('price');
    if (decimalPlaces(price) > inst.pricePrecision) throw errors.priceScale(price.toFixed());
  }
  const notional = quoteSized ? input.size : input.size.mul(orderType === 'limit' ? price : q.bid);
  if (notional.lt(inst.minTradeUSDT)) throw errors.belowMinAmount(inst.minTradeUSDT, 'USDT');
  if (input.clientOid && acct.spot.orders.some((o) => o.clientOid === input.clientOid)) throw errors.spotDuplicateClientOid();
  const holdCoin = side === 'buy' ? inst.quoteCoin : inst.baseCoin;
  const hold = side === 'buy' ? (quoteSized ? input.size : input.size.mul(price)) : input.size;
  if (hold.gt(balance(acct, holdCoin).available)) throw errors.spotInsufficient();
  move(acct, holdCoin, hold.neg(), hold, t);
  const orderId = ex.nextId();
  const order: SpotOrder = {
    orderId, clientOid: input.clientOid ?? orderId, symbol: inst.symbol, side, orderType, force: orderType === 'market' ? 'gtc' : input.force,
    price: orderType === 'limit' ? str(price) : '0', size: str(input.size), status: 'live', baseVolume: '0', quoteVolume: '0', fee: '0',
    feeCoin: side === 'buy' ? inst.baseCoin : inst.quoteCoin, frozen: str(hold), cancelReason: '', cTime: t, uTime: t,
  };
  acct.spot.orders.push(order);
  if (acct.spot.orders.length > 5000) {
    const i = acct.spot.orders.findIndex((o) => !isOpen(o));
    if (i >= 0) acct.spot.orders.splice(i, 1);
  }
  matchSpot(ex, acct, order, inst, t);
  return order;
}

function fill(ex: Exchange, acct: AccountState, o: SpotOrder, inst: SpotInstrument, price: Dec, qty: Dec, scope: 'taker' | 'maker', t: number): void {
  const cost = price.mul(qty);
  const rate = scope === 'taker' ? inst.takerFeeRate : inst.makerFeeRate;
  let fee: Dec;
  if (o.side === 'buy') {
    // Buy fees are taken from the base coin received (as Bitget does, CONTRACT.md §5.8).
    fee = qty.mul(rate);
    const releasedHold = o.orderType === 'limit' ? d(o.price).mul(qty) : cost;
    move(acct, inst.quoteCoin, releasedHold.sub(cost), releasedHold.neg(), t);
    move(acct, inst.baseCoin, qty.sub(fee), ZERO, t);
    o.frozen = str(d(o.frozen).sub(releasedHold));
  } else {
    fee = cost.mul(rate);
    move(acct, inst.baseCoin, ZERO, qty.neg(), t);
    move(acct, inst.quoteCoin, cost.sub(fee), ZERO, t);
    o.frozen = str(d(o.frozen).sub(qty));
  }
  o.baseVolume = str(d(o.baseVolume).add(qty));
  o.quoteVolume = str(d(o.quoteVolume).add(cost));
  o.fee = str(d(o.fee).sub(fee));
  o.status = 'partially_filled';
  o.uTime = t;
  acct.spot.fills.push({ tradeId: ex.nextId(), orderId: o.orderId, symbol: o.symbol, orderType: o.orderType, side: o.side, price: str(price), size: str(qty), amount: str(cost), fee: str(fee.neg()), feeCoin: o.feeCoin, tradeScope: scope, cTime: t });
  if (acct.spot.fills.length > 5000) acct.spot.fills.splice(0, acct.spot.fills.length - 5000);
}

function remainingBase(o: SpotOrder): Dec {
  return d(o.size).sub(o.baseVolume);
}

function matchSpot(ex: Exchange, acct: AccountState, o: SpotOrder, inst: SpotInstrument, t: number): void {
  const buy = o.side === 'buy';
  const levels = () => ex.market.side(inst, t, buy ? 'asks' : 'bids');
  const limit = o.orderType === 'limit' ? d(o.price) : undefined;
  const crosses = (p: Dec) => !limit || (buy ? p.lte(limit) : p.gte(limit));
  const best = levels().next();
  if (o.force === 'post_only' && limit && !best.done && crosses(best.value.price)) return finishSpot(acct, o, inst, 'post_only order would have taken liquidity', t);
  if (o.force === 'fok' && limit) {
    let depth = ZERO;
    for (const l of levels()) {
      if (!crosses(l.price) || depth.gte(o.size)) break;
      depth = depth.add(l.size);
    }
    if (depth.lt(o.size)) return finishSpot(acct, o, inst, 'fok order could not be filled completely', t);
  }
  const step = d(1).div(d(10).pow(inst.quantityPrecision));
  for (const l of levels()) {
    if (!crosses(l.price)) break;
    let qty: Dec;
    if (o.orderType === 'market' && buy) {
      const spend = d(o.size).sub(o.quoteVolume);
      qty = minD(l.size, floorTo(spend.div(l.price), step));
    } else qty = minD(l.size, remainingBase(o));
    if (qty.lte(0)) break;
    fill(ex, acct, o, inst, l.price, qty, 'taker', t);
  }
  const done = o.orderType === 'market' && buy ? best.done || floorTo(d(o.size).sub(o.quoteVolume).div(best.value.price), step).lte(0) : remainingBase(o).lte(0);
  if (done) return finishSpot(acct, o, inst, '', t, 'filled');
  if (o.orderType === 'market' || o.force === 'ioc' || o.force === 'fok') return finishSpot(acct, o, inst, 'remainder cancelled', t);
  if (d(o.baseVolume).isZero()) o.status = 'live';
}

/** Ends an order and returns whatever it still holds to the available balance. */
export function finishSpot(acct: AccountState, o: SpotOrder, inst: SpotInstrument, reason: string, t: number, status: 'filled' | 'canceled' = 'canceled'): void {
  const coin = o.side === 'buy' ? inst.quoteCoin : inst.baseCoin;
  const held = d(o.frozen);
  if (held.gt(0)) move(acct, coin, held, held.neg(), t);
  o.frozen = '0';
  o.status = status;
  o.cancelReason = status === 'canceled' ? reason : '';
  o.uTime = t;
}

export function cancelSpotOrder(acct: AccountState, o: SpotOrder | undefined, t: number): SpotOrder {
  if (!o || !isOpen(o)) throw errors.spotOrderNotFound();
  finishSpot(acct, o, findSpot(o.symbol)!, 'user cancelled', t);
  return o;
}

/** Resting spot limits fill at their price (maker) once the last price trades through. */
export function fillRestingSpot(ex: Exchange, acct: AccountState, t: number): void {
  for (const o of acct.spot.orders) {
    if (!isOpen(o) || o.orderType !== 'limit') continue;
    const inst = findSpot(o.symbol)!;
    const last = ex.market.quote(inst, t).last;
    const price = d(o.price);
    if (o.side === 'buy' ? last.gt(price) : last.lt(price)) continue;
    fill(ex, acct, o, inst, price, remainingBase(o), 'maker', t);
    finishSpot(acct, o, inst, '', t, 'filled');
  }
}

export function spotOrderOpen(o: SpotOrder): boolean {
  return isOpen(o);
}
