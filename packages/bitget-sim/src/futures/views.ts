import { d, fixed, str, ZERO } from '../decimal.ts';
import type { Exchange } from '../exchange.ts';
import { coinSpec } from '../market/instruments.ts';
import type { AccountState, FuturesFill, FuturesOrder, PlanOrder, Position, ProductType } from '../types.ts';
import { instOf, liquidationPrice, marginNotional, posModeOf, settingsOf, unrealized, walletSummary } from './ledger.ts';
import { tradeSideLabel } from './matching.ts';

const ts = (n: number) => String(n);

/** Order object of orders-pending / orders-history; detail renames status → state. */
export function orderView(o: FuturesOrder, ex?: Exchange, acct?: AccountState): Record<string, unknown> {
  const base = d(o.baseVolume);
  const view: Record<string, unknown> = {
    symbol: o.symbol, size: o.size, orderId: o.orderId, clientOid: o.clientOid, baseVolume: o.baseVolume, fee: o.fee, price: o.price,
    priceAvg: base.gt(0) ? str(d(o.quoteVolume).div(base).toDecimalPlaces(instOf(o).pricePlace + 4)) : '',
    status: o.status, side: o.side, force: o.force, totalProfits: o.totalProfits,
    posSide: o.posMode === 'hedge_mode' ? o.holdSide : 'net', marginCoin: o.marginCoin, quoteVolume: o.quoteVolume, leverage: o.leverage,
    marginMode: o.marginMode, enterPointSource: 'API', tradeSide: tradeSideLabel(o), posMode: o.posMode, orderType: o.orderType,
    orderSource: o.orderSource, reduceOnly: o.reduceOnly ? 'YES' : 'NO',
    presetStopSurplusPrice: o.presetStopSurplusPrice, presetStopSurplusType: o.presetStopSurplusPrice ? 'fill_price' : '', presetStopSurplusExecutePrice: '',
    presetStopLossPrice: o.presetStopLossPrice, presetStopLossType: o.presetStopLossPrice ? 'fill_price' : '', presetStopLossExecutePrice: '',
    cTime: ts(o.cTime), uTime: ts(o.uTime),
  };
  if (ex && acct) view.liqPrice = '';
  return view;
}

export function detailView(o: FuturesOrder): Record<string, unknown> {
  const { status, ...rest } = orderView(o);
  return { ...rest, state: status, cancelReason: o.cancelReason };
}

export function positionView(ex: Exchange, acct: AccountState, p: Position, t: number): Record<string, unknown> {
  const inst = instOf(p);
  const mark = ex.market.quote(inst, t).mark;
  const upl = unrealized(p, mark);
  const total = d(p.total);
  const openDelegate = acct.futures.orders
    .filter((o) => (o.status === 'live' || o.status === 'partially_filled') && o.symbol === p.symbol && o.productType === p.productType && d(o.frozenMargin).gt(0) && (o.side === 'buy') === (p.holdSide === 'long'))
    .reduce((s, o) => s.add(d(o.size).sub(o.baseVolume)), ZERO);
  const maintenance = marginNotional(inst, mark, total).mul(inst.keepMarginRate);
  const equity = d(p.margin).add(upl);
  const feePerUnit = d(p.totalFee).neg().div(total);
  const breakEven = p.holdSide === 'long' ? d(p.openPriceAvg).add(feePerUnit) : d(p.openPriceAvg).sub(feePerUnit);
  return {
    marginCoin: p.marginCoin, symbol: p.symbol, holdSide: p.holdSide, openDelegateSize: str(openDelegate), marginSize: fixed(p.margin, 8),
    available: str(total.sub(p.locked)), locked: p.locked, total: p.total, leverage: p.leverage, achievedProfits: fixed(p.achievedProfits, 8),
    openPriceAvg: fixed(p.openPriceAvg, inst.pricePlace + 4), marginMode: p.marginMode, posMode: posModeOf(acct, p.productType),
    unrealizedPL: fixed(upl, 8), liquidationPrice: str(liquidationPrice(ex, acct, p, t)), keepMarginRate: inst.keepMarginRate,
    markPrice: str(mark), breakEvenPrice: fixed(inst.inverse ? d(p.openPriceAvg) : breakEven, inst.pricePlace + 2),
    totalFee: fixed(d(p.totalFee).neg(), 8), deductedFee: fixed(d(p.totalFee).neg(), 8), marginRatio: equity.gt(0) ? fixed(maintenance.div(equity), 8) : '1',
    assetMode: 'single', autoMargin: 'off', takeProfit: tpslPrice(acct, p, true), stopLoss: tpslPrice(acct, p, false),
    takeProfitId: tpslId(acct, p, true), stopLossId: tpslId(acct, p, false), cTime: ts(p.cTime), uTime: ts(p.uTime),
  };
}

function tpslPlan(acct: AccountState, p: Position, profit: boolean): PlanOrder | undefined {
  return acct.futures.plans.find((x) => x.planStatus === 'live' && x.symbol === p.symbol && x.productType === p.productType && x.holdSide === p.holdSide && x.planType === (profit ? 'pos_profit' : 'pos_loss'));
}
const tpslPrice = (a: AccountState, p: Position, profit: boolean) => tpslPlan(a, p, profit)?.triggerPrice ?? '';
const tpslId = (a: AccountState, p: Position, profit: boolean) => tpslPlan(a, p, profit)?.orderId ?? '';

/** One margin-coin account (accounts list item; `account` adds settings fields). */
export function walletView(ex: Exchange, acct: AccountState, productType: ProductType, coin: string, t: number): Record<string, unknown> {
  const w = walletSummary(ex, acct, productType, coin, t);
  const usdPrice = coin === 'USDT' || coin === 'USDC' ? d(1) : d(ex.feed.priceAt(coin, t).toFixed(8));
  const btcPrice = d(ex.feed.priceAt('BTC', t).toFixed(8));
  const usdt = w.equity.mul(usdPrice);
  const risk = w.crossedMaintenance.gt(0) ? w.crossedMaintenance.div(w.balance.sub(w.isolatedMargin).sub(w.locked).add(w.crossedUPL)) : ZERO;
  const s = (v: typeof ZERO) => fixed(v, 8);
  return {
    marginCoin: coin, locked: s(w.locked), available: s(w.available), crossedMaxAvailable: s(w.available), isolatedMaxAvailable: s(w.available),
    maxTransferOut: s(w.available), accountEquity: s(w.equity), usdtEquity: s(usdt), btcEquity: fixed(usdt.div(btcPrice), 12),
    crossedRiskRate: s(risk), unrealizedPL: s(w.unrealizedPL), coupon: '0', unionTotalMagin: s(usdt), unionAvailable: s(w.available.mul(usdPrice)),
    unionMm: s(w.crossedMaintenance.mul(usdPrice)), assetList: [{ coin, balance: s(w.balance) }], isolatedMargin: s(w.isolatedMargin),
    crossedMargin: s(w.crossedMargin), crossedUnrealizedPL: s(w.crossedUPL), isolatedUnrealizedPL: s(w.isolatedUPL), assetMode: 'single',
  };
}

export function accountView(ex: Exchange, acct: AccountState, productType: ProductType, symbol: string, coin: string, t: number): Record<string, unknown> {
  const settings = settingsOf(acct, instOf({ productType, symbol }), coin);
  return {
    ...walletView(ex, acct, productType, coin, t),
    crossedMarginLeverage: settings.crossLeverage, isolatedLongLever: settings.longLeverage, isolatedShortLever: settings.shortLeverage,
    marginMode: settings.marginMode, posMode: posModeOf(acct, productType), grant: '0',
  };
}

export function planView(p: PlanOrder): Record<string, unknown> {
  return {
    planType: p.planType, symbol: p.symbol, size: p.size, orderId: p.orderId, clientOid: p.clientOid, price: p.price, executePrice: p.price,
    callbackRatio: p.callbackRatio, triggerPrice: p.triggerPrice, triggerType: p.triggerType, planStatus: p.planStatus, side: p.side,
    posSide: p.posMode === 'hedge_mode' || p.holdSide ? p.holdSide || 'net' : 'net', marginCoin: p.marginCoin, marginMode: p.marginMode,
    enterPointSource: 'API', tradeSide: p.posMode === 'hedge_mode' ? p.tradeSide : p.side === 'buy' ? 'buy_single' : 'sell_single',
    posMode: p.posMode, orderType: p.orderType, orderSource: 'normal', presetStopSurplusPrice: p.stopSurplusTriggerPrice,
    stopSurplusTriggerPrice: p.stopSurplusTriggerPrice, stopSurplusExecutePrice: p.stopSurplusExecutePrice, stopSurplusTriggerType: p.stopSurplusTriggerType,
    presetStopLossPrice: p.stopLossTriggerPrice, stopLossTriggerPrice: p.stopLossTriggerPrice, stopLossExecutePrice: p.stopLossExecutePrice,
    stopLossTriggerType: p.stopLossTriggerType, executeOrderId: p.executeOrderId, cTime: ts(p.cTime), uTime: ts(p.uTime),
  };
}

export function fillView(f: FuturesFill): Record<string, unknown> {
  return {
    tradeId: f.tradeId, symbol: f.symbol, orderId: f.orderId, price: f.price, baseVolume: f.baseVolume,
    feeDetail: [{ deduction: 'no', feeCoin: f.feeCoin, totalDeductionFee: '0', totalFee: f.fee }], side: f.side, quoteVolume: f.quoteVolume,
    profit: f.profit, enterPointSource: 'API', tradeSide: f.tradeSide, posMode: f.posMode, tradeScope: f.tradeScope, cTime: ts(f.cTime),
  };
}

export function coinUsdPrice(ex: Exchange, coin: string, t: number): string {
  return coinSpec(coin) ? fixed(d(ex.feed.priceAt(coin, t).toFixed(8)), 8) : '1';
}
