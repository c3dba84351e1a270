import { d, maxD, minD, str, ZERO, type Dec } from '../decimal.ts';
import type { Exchange } from '../exchange.ts';
import { findFutures, type FuturesInstrument } from '../market/instruments.ts';
import type { AccountState, FuturesOrder, HoldSide, Position, PosMode, ProductType, SymbolSettings } from '../types.ts';

// Internal precision for derived amounts (averages, inverse P&L); Bitget prints up to ~16 places.
const DP = 12;

export function walletKey(productType: ProductType, coin: string): string {
  return `${productType}:${coin}`;
}

export function settingsKey(productType: ProductType, symbol: string, coin: string): string {
  return `${productType}:${symbol}:${coin}`;
}

export function posModeOf(acct: AccountState, productType: ProductType): PosMode {
  return acct.futures.posModes[productType] ?? 'one_way_mode';
}

export function settingsOf(acct: AccountState, inst: FuturesInstrument, coin: string): SymbolSettings {
  const key = settingsKey(inst.productType, inst.symbol, coin);
  // Bitget's default for a fresh symbol: crossed margin, 20x (capped by the contract).
  const lev = String(Math.min(20, inst.maxLever));
  return (acct.futures.settings[key] ??= { marginMode: 'crossed', longLeverage: lev, shortLeverage: lev, crossLeverage: lev });
}

export function leverageFor(s: SymbolSettings, holdSide: HoldSide): string {
  if (s.marginMode === 'crossed') return s.crossLeverage;
  return holdSide === 'long' ? s.longLeverage : s.shortLeverage;
}

export function balanceOf(acct: AccountState, productType: ProductType, coin: string): Dec {
  return d(acct.futures.wallets[walletKey(productType, coin)] ?? '0');
}

export function addBalance(acct: AccountState, productType: ProductType, coin: string, delta: Dec): void {
  const key = walletKey(productType, coin);
  acct.futures.wallets[key] = str(d(acct.futures.wallets[key] ?? '0').add(delta));
}

export function instOf(p: { productType: ProductType; symbol: string }): FuturesInstrument {
  const inst = findFutures(p.productType, p.symbol);
  if (!inst) throw new Error(`unknown instrument ${p.productType}:${p.symbol}`);
  return inst;
}

export function findPosition(acct: AccountState, inst: FuturesInstrument, coin: string, holdSide: HoldSide): Position | undefined {
  return acct.futures.positions.find((p) => p.productType === inst.productType && p.symbol === inst.symbol && p.marginCoin === coin && p.holdSide === holdSide);
}

/** Notional in margin-coin units: quote value for linear contracts, base size for inverse ones. */
export function marginNotional(inst: FuturesInstrument, price: Dec, qty: Dec): Dec {
  return inst.inverse ? qty : price.mul(qty);
}

export function feeFor(inst: FuturesInstrument, price: Dec, qty: Dec, rate: string): Dec {
  return marginNotional(inst, price, qty).mul(rate).toDecimalPlaces(DP);
}

export function pnlFor(inst: FuturesInstrument, side: HoldSide, avg: Dec, price: Dec, qty: Dec): Dec {
  const diff = side === 'long' ? price.sub(avg) : avg.sub(price);
  return (inst.inverse ? qty.mul(diff).div(price) : qty.mul(diff)).toDecimalPlaces(DP);
}

export function unrealized(p: Position, mark: Dec): Dec {
  return pnlFor(instOf(p), p.holdSide, d(p.openPriceAvg), mark, d(p.total));
}

/** Margin frozen for `qty` of an opening order at `price`. */
export function orderMargin(inst: FuturesInstrument, price: Dec, qty: Dec, leverage: string): Dec {
  return marginNotional(inst, price, qty).div(leverage).toDecimalPlaces(DP);
}

export interface FillResult {
  realized: Dec;
  fee: Dec;
  closedQty: Dec;
  openedQty: Dec;
}

/**
 * Applies one execution to the account: closes the opposite/targeted position first, opens with
 * the rest, charges the fee and books realized P&L to the wallet.
 */
export function applyFill(ex: Exchange, acct: AccountState, order: FuturesOrder, price: Dec, qty: Dec, feeRate: string, t: number): FillResult {
  const inst = instOf(order);
  const coin = order.marginCoin;
  const fee = feeFor(inst, price, qty, feeRate);
  let realized = ZERO;
  let closeQty = ZERO;
  let closeSide: HoldSide | undefined;
  let openSide: HoldSide | undefined;
  if (order.posMode === 'hedge_mode') {
    if (order.tradeSide === 'close') {
      closeSide = order.holdSide as HoldSide;
      closeQty = qty;
    } else openSide = order.holdSide as HoldSide;
  } else {
    const opposite: HoldSide = order.side === 'buy' ? 'short' : 'long';
    const pos = findPosition(acct, inst, coin, opposite);
    if (pos) {
      closeSide = opposite;
      closeQty = minD(qty, d(pos.total));
    }
    if (!order.reduceOnly && qty.gt(closeQty)) openSide = order.side === 'buy' ? 'long' : 'short';
  }
  const openQty = qty.sub(closeQty);
  if (closeSide && closeQty.gt(0)) {
    const pos = findPosition(acct, inst, coin, closeSide);
    if (pos) {
      const q = minD(closeQty, d(pos.total));
      realized = pnlFor(inst, closeSide, d(pos.openPriceAvg), price, q);
      const total = d(pos.total);
      const released = d(pos.margin).mul(q).div(total).toDecimalPlaces(DP);
      const closeFee = fee.mul(q).div(qty).toDecimalPlaces(DP);
      pos.margin = str(d(pos.margin).sub(released));
      pos.total = str(total.sub(q));
      pos.achievedProfits = str(d(pos.achievedProfits).add(realized));
      pos.totalFee = str(d(pos.totalFee).sub(closeFee));
      pos.uTime = t;
      if (d(pos.total).lte(0)) removePosition(ex, acct, pos);
    }
  }
  if (openSide && openQty.gt(0)) openPosition(acct, inst, order, openSide, price, openQty, fee.mul(openQty).div(qty).toDecimalPlaces(DP), t);
  addBalance(acct, inst.productType, coin, realized.sub(fee));
  return { realized, fee, closedQty: closeQty, openedQty: openSide ? openQty : ZERO };
}

function openPosition(acct: AccountState, inst: FuturesInstrument, order: FuturesOrder, side: HoldSide, price: Dec, qty: Dec, fee: Dec, t: number): void {
  const coin = order.marginCoin;
  const settings = settingsOf(acct, inst, coin);
  let pos = findPosition(acct, inst, coin, side);
  if (!pos) {
    pos = {
      productType: inst.productType, symbol: inst.symbol, marginCoin: coin, holdSide: side, marginMode: settings.marginMode,
      leverage: leverageFor(settings, side), total: '0', locked: '0', openPriceAvg: '0', margin: '0', achievedProfits: '0',
      totalFee: '0', fundingFee: '0', cTime: t, uTime: t,
    };
    acct.futures.positions.push(pos);
  }
  const total = d(pos.total);
  const avg = d(pos.openPriceAvg).mul(total).add(price.mul(qty)).div(total.add(qty)).toDecimalPlaces(DP);
  pos.openPriceAvg = str(avg);
  pos.total = str(total.add(qty));
  pos.margin = str(d(pos.margin).add(orderMargin(inst, price, qty, pos.leverage)));
  pos.totalFee = str(d(pos.totalFee).sub(fee));
  pos.uTime = t;
}

function removePosition(ex: Exchange, acct: AccountState, pos: Position): void {
  acct.futures.positions = acct.futures.positions.filter((p) => p !== pos);
  // Position TP/SL orders die with the position (Bitget cancels them).
  for (const plan of acct.futures.plans) {
    if (plan.planStatus === 'live' && plan.holdSide === pos.holdSide && plan.symbol === pos.symbol && plan.productType === pos.productType && plan.tradeSide === 'close' && plan.planType !== 'normal_plan' && plan.planType !== 'track_plan') {
      plan.planStatus = 'cancelled';
      plan.uTime = ex.now();
    }
  }
}

export interface WalletSummary {
  balance: Dec;
  locked: Dec;
  available: Dec;
  equity: Dec;
  unrealizedPL: Dec;
  crossedUPL: Dec;
  isolatedUPL: Dec;
  isolatedMargin: Dec;
  crossedMargin: Dec;
  crossedMaintenance: Dec;
}

/**
 * available = balance − position margins − margin frozen by open orders + crossed losses.
 * (Crossed unrealized gains are not spendable, as on Bitget; isolated losses are bounded by the
 * isolated margin, which is already excluded.)
 */
export function walletSummary(ex: Exchange, acct: AccountState, productType: ProductType, coin: string, t: number): WalletSummary {
  const balance = balanceOf(acct, productType, coin);
  let locked = ZERO;
  for (const o of acct.futures.orders) {
    if (o.productType === productType && o.marginCoin === coin && (o.status === 'live' || o.status === 'partially_filled')) locked = locked.add(o.frozenMargin);
  }
  let isolatedMargin = ZERO;
  let crossedMargin = ZERO;
  let crossedUPL = ZERO;
  let isolatedUPL = ZERO;
  let crossedMaintenance = ZERO;
  for (const p of acct.futures.positions) {
    if (p.productType !== productType || p.marginCoin !== coin) continue;
    const inst = instOf(p);
    const mark = ex.market.quote(inst, t).mark;
    const upl = unrealized(p, mark);
    if (p.marginMode === 'isolated') {
      isolatedMargin = isolatedMargin.add(p.margin);
      isolatedUPL = isolatedUPL.add(upl);
    } else {
      crossedMargin = crossedMargin.add(p.margin);
      crossedUPL = crossedUPL.add(upl);
      crossedMaintenance = crossedMaintenance.add(marginNotional(inst, mark, d(p.total)).mul(inst.keepMarginRate));
    }
  }
  const unrealizedPL = crossedUPL.add(isolatedUPL);
  const available = maxD(ZERO, balance.sub(isolatedMargin).sub(crossedMargin).sub(locked).add(minD(ZERO, crossedUPL)));
  return { balance, locked, available, equity: balance.add(unrealizedPL), unrealizedPL, crossedUPL, isolatedUPL, isolatedMargin, crossedMargin, crossedMaintenance };
}

/**
 * Documented approximation: the price at which equity behind the position equals the
 * maintenance margin (keepMarginRate × notional), with the position's own margin for isolated
 * and the position margin plus the wallet's free balance for crossed. No tiers, no fees.
 */
export function liquidationPrice(ex: Exchange, acct: AccountState, p: Position, t: number): Dec {
  const inst = instOf(p);
  const q = d(p.total);
  if (q.isZero()) return ZERO;
  const avg = d(p.openPriceAvg);
  const mmr = d(inst.keepMarginRate);
  let m = d(p.margin);
  if (p.marginMode === 'crossed') m = m.add(walletSummary(ex, acct, p.productType, p.marginCoin, t).available);
  let price: Dec;
  if (inst.inverse) {
    const denom = p.holdSide === 'long' ? d(1).sub(mmr).add(m.div(q)) : d(1).add(mmr).sub(m.div(q));
    price = denom.lte(0) ? ZERO : avg.div(denom);
  } else {
    price = p.holdSide === 'long' ? avg.mul(q).sub(m).div(q.mul(d(1).sub(mmr))) : avg.mul(q).add(m).div(q.mul(d(1).add(mmr)));
  }
  return maxD(ZERO, price).toDecimalPlaces(inst.pricePlace + 4);
}
