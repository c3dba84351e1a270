import { d, decimalPlaces, isMultipleOf, minD, str, ZERO, type Dec } from '../decimal.ts';
import { errors } from '../errors.ts';
import type { Exchange } from '../exchange.ts';
import type { FuturesInstrument } from '../market/instruments.ts';
import { clientOidParam, optDec, optEnum, optStr, reqDec, reqEnum, type Params } from '../params.ts';
import type { AccountState, Force, FuturesOrder, HoldSide, MarginMode, OrderType, Side } from '../types.ts';
import { feeFor, findPosition, instOf, leverageFor, orderMargin, posModeOf, settingsOf, walletSummary } from './ledger.ts';
import { execSide, finish, isOpen, matchIncoming } from './matching.ts';

export const SIDES: readonly Side[] = ['buy', 'sell'];
export const ORDER_TYPES: readonly OrderType[] = ['limit', 'market'];
export const FORCES: readonly Force[] = ['gtc', 'ioc', 'fok', 'post_only'];
export const MARGIN_MODES: readonly MarginMode[] = ['isolated', 'crossed'];

export interface PlaceInput {
  inst: FuturesInstrument;
  marginCoin: string;
  marginMode: MarginMode;
  side: Side;
  tradeSide: '' | 'open' | 'close';
  orderType: OrderType;
  force: Force;
  price?: Dec;
  size: Dec;
  clientOid?: string;
  reduceOnly: boolean;
  presetStopSurplusPrice: string;
  presetStopLossPrice: string;
  /** Orders the exchange itself creates (flash close, liquidation, TP/SL) skip minimum checks. */
  internal?: boolean;
  label?: string;
  orderSource?: string;
}

/** Order fields shared by place-order and each batch item. */
export function parseOrderFields(p: Params, base: Pick<PlaceInput, 'inst' | 'marginCoin' | 'marginMode'>): PlaceInput {
  const orderType = reqEnum(p, 'orderType', ORDER_TYPES);
  const reduceOnly = optEnum(p, 'reduceOnly', ['YES', 'NO'] as const) === 'YES';
  return {
    ...base,
    side: reqEnum(p, 'side', SIDES),
    tradeSide: optEnum(p, 'tradeSide', ['open', 'close'] as const) ?? '',
    orderType,
    force: optEnum(p, 'force', FORCES) ?? 'gtc',
    price: orderType === 'limit' ? reqDec(p, 'price') : optDec(p, 'price'),
    size: reqDec(p, 'size'),
    clientOid: clientOidParam(p),
    reduceOnly,
    presetStopSurplusPrice: optDec(p, 'presetStopSurplusPrice')?.toFixed() ?? '',
    presetStopLossPrice: optDec(p, 'presetStopLossPrice')?.toFixed() ?? '',
  };
}

function validatePrecision(inst: FuturesInstrument, input: PlaceInput, opening: boolean, refPrice: Dec): void {
  const size = input.size;
  if (size.lte(0)) throw errors.paramError('size');
  if (decimalPlaces(size) > inst.volumePlace) throw errors.sizeScale(size.toFixed(), inst.volumePlace);
  if (!isMultipleOf(size, d(inst.sizeMultiplier))) throw errors.sizeMultiple(size.toFixed(), inst.sizeMultiplier);
  if (input.orderType === 'limit') {
    const price = input.price!;
    if (price.lte(0)) throw errors.paramError('price');
    if (decimalPlaces(price) > inst.pricePlace || !isMultipleOf(price, inst.tick.mul(inst.priceEndStep))) throw errors.priceScale(price.toFixed());
  }
  if (input.internal || !opening) return;
  if (size.lt(inst.minTradeNum)) throw errors.belowMinQty(inst.minTradeNum);
  const max = input.orderType === 'market' ? inst.maxMarketOrderQty : inst.maxOrderQty;
  if (size.gt(max)) throw errors.aboveMaxQty(max);
  if (size.mul(refPrice).lt(inst.minTradeUSDT)) throw errors.belowMinAmount(inst.minTradeUSDT, 'USDT');
}

function flatOnSymbol(acct: AccountState, inst: FuturesInstrument, coin: string): boolean {
  const f = acct.futures;
  return !f.positions.some((p) => p.productType === inst.productType && p.symbol === inst.symbol && p.marginCoin === coin) &&
    !f.orders.some((o) => isOpen(o) && o.productType === inst.productType && o.symbol === inst.symbol && o.marginCoin === coin);
}

/** Validates, books and matches one futures order. Throws the Bitget error on refusal. */
export function placeFuturesOrder(ex: Exchange, acct: AccountState, input: PlaceInput, t: number): FuturesOrder {
  const { inst, marginCoin: coin } = input;
  const posMode = posModeOf(acct, inst.productType);
  if (posMode === 'one_way_mode' ? input.tradeSide !== '' : input.tradeSide === '') throw errors.unilateral();
  if (input.clientOid && acct.futures.orders.some((o) => o.clientOid === input.clientOid)) throw errors.duplicateClientOid();
  const settings = settingsOf(acct, inst, coin);
  // The order's marginMode switches the symbol while nothing is open on it; otherwise the
  // existing mode wins (Bitget refuses to switch with open positions/orders).
  if (settings.marginMode !== input.marginMode && flatOnSymbol(acct, inst, coin)) settings.marginMode = input.marginMode;
  const hedge = posMode === 'hedge_mode';
  const holdSide: HoldSide = input.side === 'buy' ? 'long' : 'short';
  const quote = ex.market.quote(inst, t);
  const tradeBuy = hedge && input.tradeSide === 'close' ? input.side === 'sell' : input.side === 'buy';
  const refPrice = input.price ?? (tradeBuy ? quote.ask : quote.bid);
  let openQty = input.size;
  if (hedge && input.tradeSide === 'close') {
    const pos = findPosition(acct, inst, coin, holdSide);
    if (!pos) throw errors.noPosition();
    if (input.size.gt(d(pos.total).sub(pos.locked))) throw errors.insufficientPosition();
    openQty = ZERO;
  } else if (!hedge) {
    const pos = findPosition(acct, inst, coin, input.side === 'buy' ? 'short' : 'long');
    const closable = pos ? d(pos.total).sub(pos.locked) : ZERO;
    if (input.reduceOnly) {
      if (!pos) throw errors.noPosition();
      if (input.size.gt(closable)) throw errors.insufficientPosition();
      openQty = ZERO;
    } else openQty = input.size.sub(minD(input.size, closable));
  }
  validatePrecision(inst, input, openQty.gt(0), refPrice);
  if (openQty.gt(0) && !input.internal) {
    const lev = leverageFor(settings, hedge ? holdSide : input.side === 'buy' ? 'long' : 'short');
    const need = orderMargin(inst, refPrice, openQty, lev).add(feeFor(inst, refPrice, openQty, inst.takerFeeRate));
    if (need.gt(walletSummary(ex, acct, inst.productType, coin, t).available)) throw errors.exceedsBalance();
  }
  const orderId = ex.nextId();
  const order: FuturesOrder = {
    orderId, clientOid: input.clientOid ?? orderId, productType: inst.productType, symbol: inst.symbol, marginCoin: coin,
    marginMode: settings.marginMode, posMode, side: input.side, tradeSide: hedge ? input.tradeSide : '', holdSide: hedge ? holdSide : '',
    orderType: input.orderType, force: input.orderType === 'market' ? 'gtc' : input.force, price: input.orderType === 'limit' ? str(input.price!) : '',
    size: str(input.size), reduceOnly: hedge ? input.tradeSide === 'close' : input.reduceOnly,
    leverage: leverageFor(settings, holdSide), status: 'live', baseVolume: '0', quoteVolume: '0', fee: '0', totalProfits: '0',
    frozenMargin: '0', reservedSize: '0', presetStopSurplusPrice: input.presetStopSurplusPrice, presetStopLossPrice: input.presetStopLossPrice,
    orderSource: input.orderSource ?? (input.orderType === 'market' ? 'market' : 'normal'), cancelReason: '', cTime: t, uTime: t,
  };
  if (input.label) order.label = input.label;
  acct.futures.orders.push(order);
  trimHistory(acct);
  matchIncoming(ex, acct, order, t);
  return order;
}

function trimHistory(acct: AccountState): void {
  const orders = acct.futures.orders;
  if (orders.length <= 5000) return;
  const drop = orders.findIndex((o) => !isOpen(o));
  if (drop >= 0) orders.splice(drop, 1);
}

export function findOrder(acct: AccountState, inst: FuturesInstrument | undefined, orderId?: string, clientOid?: string): FuturesOrder | undefined {
  return acct.futures.orders.find((o) => (!inst || (o.symbol === inst.symbol && o.productType === inst.productType)) && (orderId ? o.orderId === orderId : o.clientOid === clientOid));
}

export function cancelFuturesOrder(ex: Exchange, acct: AccountState, o: FuturesOrder | undefined, t: number): FuturesOrder {
  if (!o || !isOpen(o)) throw errors.orderNotFound();
  finish(ex, acct, o, 'canceled', 'user canceled', t);
  return o;
}

/** Bitget's modify = cancel + replace with a new id when size/price change (CONTRACT.md §5.6). */
export function modifyFuturesOrder(ex: Exchange, acct: AccountState, o: FuturesOrder | undefined, p: Params, t: number): FuturesOrder {
  if (!o || !isOpen(o)) throw errors.orderNotFound();
  if (o.orderType !== 'limit' || o.status !== 'live') throw errors.paramsInvalid('Only unfilled limit orders can be modified');
  const newSize = optDec(p, 'newSize');
  const newPrice = optDec(p, 'newPrice');
  const tp = optStr(p, 'newPresetStopSurplusPrice');
  const sl = optStr(p, 'newPresetStopLossPrice');
  if ((newSize === undefined) !== (newPrice === undefined)) throw errors.paramsInvalid('newSize and newPrice must be passed together');
  if (!newSize || !newPrice) {
    // TP/SL-only change keeps the order; passing only one of them clears the other (doc).
    o.presetStopSurplusPrice = tp ?? '';
    o.presetStopLossPrice = sl ?? '';
    o.uTime = t;
    return o;
  }
  const newClientOid = clientOidParam(p, 'newClientOid');
  const snapshot = structuredClone(acct.futures);
  finish(ex, acct, o, 'canceled', 'modified', t);
  try {
    return placeFuturesOrder(ex, acct, {
      inst: instOf(o), marginCoin: o.marginCoin, marginMode: o.marginMode, side: o.side, tradeSide: o.tradeSide, orderType: 'limit',
      force: o.force, price: newPrice, size: newSize, clientOid: newClientOid, reduceOnly: o.posMode === 'one_way_mode' && o.reduceOnly,
      presetStopSurplusPrice: tp ?? o.presetStopSurplusPrice, presetStopLossPrice: sl ?? o.presetStopLossPrice,
    }, t);
  } catch (err) {
    acct.futures = snapshot;
    throw err;
  }
}

/** Market-closes positions (flash close): cancels their resting close orders first. */
export function closePositions(ex: Exchange, acct: AccountState, inst: FuturesInstrument | undefined, productType: FuturesOrder['productType'], holdSide: HoldSide | undefined, t: number): FuturesOrder[] {
  const targets = acct.futures.positions.filter((p) => p.productType === productType && (!inst || p.symbol === inst.symbol) && (!holdSide || posModeOf(acct, productType) === 'one_way_mode' || p.holdSide === holdSide));
  if (targets.length === 0) throw errors.noPosition();
  const out: FuturesOrder[] = [];
  for (const pos of targets) {
    for (const o of acct.futures.orders) {
      if (isOpen(o) && o.symbol === pos.symbol && o.productType === pos.productType && d(o.reservedSize).gt(0) && execSide(o) === (pos.holdSide === 'long' ? 'sell' : 'buy')) finish(ex, acct, o, 'canceled', 'flash close', t);
    }
    out.push(placeCloseOrder(ex, acct, pos.symbol, productType, pos.marginCoin, pos.holdSide, d(pos.total), t));
  }
  return out;
}

/** A market (or limit) order that reduces the given position, in the account's position mode. */
export function placeCloseOrder(ex: Exchange, acct: AccountState, symbol: string, productType: FuturesOrder['productType'], coin: string, holdSide: HoldSide, size: Dec, t: number, extra: Partial<PlaceInput> = {}): FuturesOrder {
  const inst = instOf({ productType, symbol });
  const hedge = posModeOf(acct, productType) === 'hedge_mode';
  const pos = findPosition(acct, inst, coin, holdSide);
  return placeFuturesOrder(ex, acct, {
    inst, marginCoin: coin, marginMode: pos?.marginMode ?? 'crossed',
    side: hedge ? (holdSide === 'long' ? 'buy' : 'sell') : holdSide === 'long' ? 'sell' : 'buy',
    tradeSide: hedge ? 'close' : '', orderType: 'market', force: 'gtc', size, reduceOnly: !hedge,
    presetStopSurplusPrice: '', presetStopLossPrice: '', internal: true, ...extra,
  }, t);
}
