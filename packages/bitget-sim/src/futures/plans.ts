import { d, str, type Dec } from '../decimal.ts';
import { errors } from '../errors.ts';
import type { Exchange } from '../exchange.ts';
import type { FuturesInstrument } from '../market/instruments.ts';
import type { AccountState, FuturesOrder, HoldSide, MarginMode, OrderType, PlanOrder, PlanType, Side } from '../types.ts';
import { findPosition, instOf, posModeOf, settingsOf } from './ledger.ts';
import { placeCloseOrder, placeFuturesOrder } from './orders.ts';

export const TPSL_TYPES: readonly PlanType[] = ['profit_plan', 'loss_plan', 'moving_plan', 'pos_profit', 'pos_loss'];

export interface PlanInput {
  inst: FuturesInstrument;
  marginCoin: string;
  marginMode: MarginMode;
  planType: 'normal_plan' | 'track_plan';
  side: Side;
  tradeSide: '' | 'open' | 'close';
  orderType: OrderType;
  size: Dec;
  price: string;
  triggerPrice: Dec;
  triggerType: string;
  callbackRatio: string;
  clientOid?: string;
  reduceOnly: boolean;
  stopSurplusTriggerPrice: string;
  stopSurplusExecutePrice: string;
  stopSurplusTriggerType: string;
  stopLossTriggerPrice: string;
  stopLossExecutePrice: string;
  stopLossTriggerType: string;
}

function basePlan(ex: Exchange, acct: AccountState, inst: FuturesInstrument, coin: string, clientOid: string | undefined, t: number): Pick<PlanOrder, 'orderId' | 'clientOid' | 'productType' | 'symbol' | 'marginCoin' | 'posMode' | 'cTime' | 'uTime' | 'planStatus' | 'executeOrderId' | 'extreme' | 'activated'> {
  if (clientOid && (acct.futures.plans.some((p) => p.clientOid === clientOid) || acct.futures.orders.some((o) => o.clientOid === clientOid))) throw errors.duplicateClientOid();
  const orderId = ex.nextId();
  return { orderId, clientOid: clientOid ?? orderId, productType: inst.productType, symbol: inst.symbol, marginCoin: coin, posMode: posModeOf(acct, inst.productType), cTime: t, uTime: t, planStatus: 'live', executeOrderId: '', extreme: '', activated: false };
}

const emptyTpsl = { stopSurplusTriggerPrice: '', stopSurplusExecutePrice: '', stopSurplusTriggerType: '', stopLossTriggerPrice: '', stopLossExecutePrice: '', stopLossTriggerType: '' };

/** Trigger (normal_plan) or trailing (track_plan) order; fires on mark price crossing. */
export function placePlanOrder(ex: Exchange, acct: AccountState, input: PlanInput, t: number): PlanOrder {
  const { inst } = input;
  const posMode = posModeOf(acct, inst.productType);
  if (posMode === 'one_way_mode' ? input.tradeSide !== '' : input.tradeSide === '') throw errors.unilateral();
  if (input.size.lte(0)) throw errors.paramError('size');
  const mark = ex.market.quote(inst, t).mark;
  const plan: PlanOrder = {
    ...basePlan(ex, acct, inst, input.marginCoin, input.clientOid, t),
    planType: input.planType, marginMode: input.marginMode, side: input.side, tradeSide: input.tradeSide,
    holdSide: posMode === 'hedge_mode' ? (input.side === 'buy' ? 'long' : 'short') : '', orderType: input.planType === 'track_plan' ? 'market' : input.orderType,
    size: str(input.size), price: input.orderType === 'limit' && input.planType === 'normal_plan' ? input.price : '', triggerPrice: str(input.triggerPrice),
    triggerType: input.triggerType, direction: input.triggerPrice.gte(mark) ? 'up' : 'down', callbackRatio: input.callbackRatio,
    reduceOnly: input.reduceOnly, stopSurplusTriggerPrice: input.stopSurplusTriggerPrice, stopSurplusExecutePrice: input.stopSurplusExecutePrice,
    stopSurplusTriggerType: input.stopSurplusTriggerType, stopLossTriggerPrice: input.stopLossTriggerPrice, stopLossExecutePrice: input.stopLossExecutePrice,
    stopLossTriggerType: input.stopLossTriggerType,
  };
  acct.futures.plans.push(plan);
  return plan;
}

export interface TpslInput {
  inst: FuturesInstrument;
  marginCoin: string;
  planType: PlanType;
  holdSide: HoldSide;
  triggerPrice: Dec;
  triggerType: string;
  executePrice: string;
  size?: Dec;
  rangeRate: string;
  clientOid?: string;
}

/** Position TP/SL (CONTRACT.md §5.7); validated against the current mark like Bitget does. */
export function placeTpslOrder(ex: Exchange, acct: AccountState, input: TpslInput, t: number): PlanOrder {
  const { inst, holdSide } = input;
  const pos = findPosition(acct, inst, input.marginCoin, holdSide);
  if (!pos) throw errors.tpslNoPosition();
  const whole = input.planType === 'pos_profit' || input.planType === 'pos_loss';
  if (!whole && (!input.size || input.size.lte(0))) throw errors.paramEmpty('size');
  const mark = ex.market.quote(inst, t).mark;
  const profit = input.planType === 'profit_plan' || input.planType === 'pos_profit';
  const loss = input.planType === 'loss_plan' || input.planType === 'pos_loss';
  const long = holdSide === 'long';
  if (loss && long && input.triggerPrice.gte(mark)) throw errors.longStopAboveMark();
  if (loss && !long && input.triggerPrice.lte(mark)) throw errors.shortStopBelowMark();
  if (profit && (long ? input.triggerPrice.lte(mark) : input.triggerPrice.gte(mark))) throw errors.tpslInvalid(`The take profit price of ${holdSide} positions should be ${long ? 'greater' : 'less'} than the current price`);
  const hedge = posModeOf(acct, inst.productType) === 'hedge_mode';
  const up = input.planType === 'moving_plan' ? long : profit === long;
  const plan: PlanOrder = {
    ...basePlan(ex, acct, inst, input.marginCoin, input.clientOid, t),
    planType: input.planType, marginMode: pos.marginMode, side: hedge ? (long ? 'buy' : 'sell') : long ? 'sell' : 'buy',
    tradeSide: 'close', holdSide, orderType: input.executePrice && !d(input.executePrice).isZero() ? 'limit' : 'market',
    size: whole ? '0' : str(input.size!), price: input.executePrice, triggerPrice: str(input.triggerPrice), triggerType: input.triggerType,
    direction: up ? 'up' : 'down', callbackRatio: input.rangeRate, reduceOnly: true, ...emptyTpsl,
    ...(profit ? { stopSurplusTriggerPrice: str(input.triggerPrice), stopSurplusExecutePrice: input.executePrice, stopSurplusTriggerType: input.triggerType } : {}),
    ...(loss ? { stopLossTriggerPrice: str(input.triggerPrice), stopLossExecutePrice: input.executePrice, stopLossTriggerType: input.triggerType } : {}),
  };
  acct.futures.plans.push(plan);
  return plan;
}

/** Preset TP/SL of a filled opening order become profit_plan / loss_plan orders on the position. */
export function createPresetPlans(ex: Exchange, acct: AccountState, o: FuturesOrder, t: number): void {
  if (!o.presetStopSurplusPrice && !o.presetStopLossPrice) return;
  const opening = o.posMode === 'hedge_mode' ? o.tradeSide === 'open' : !o.reduceOnly;
  if (!opening) return;
  const inst = instOf(o);
  const holdSide: HoldSide = o.side === 'buy' ? 'long' : 'short';
  const base = { inst, marginCoin: o.marginCoin, holdSide, triggerType: 'fill_price', executePrice: '', size: d(o.baseVolume), rangeRate: '' };
  for (const [planType, price] of [['profit_plan', o.presetStopSurplusPrice], ['loss_plan', o.presetStopLossPrice]] as const) {
    if (!price) continue;
    try {
      placeTpslOrder(ex, acct, { ...base, planType, triggerPrice: d(price) }, t);
    } catch (err) {
      ex.logger.warn('preset TP/SL not placed', o.orderId, (err as Error).message);
    }
  }
}

function crossed(plan: PlanOrder, price: Dec): boolean {
  return plan.direction === 'up' ? price.gte(plan.triggerPrice) : price.lte(plan.triggerPrice);
}

/** Trailing plans: activate at triggerPrice, then fire after a pull-back of callbackRatio %. */
function trailingFires(plan: PlanOrder, price: Dec): boolean {
  if (!plan.activated) {
    if (!crossed(plan, price)) return false;
    plan.activated = true;
    plan.extreme = str(price);
  }
  const sellSide = plan.planType === 'moving_plan' ? plan.holdSide === 'long' : (plan.posMode === 'hedge_mode' && plan.tradeSide === 'close' ? plan.side === 'buy' : plan.side === 'sell');
  const ratio = d(plan.callbackRatio || '1').div(100);
  if (sellSide) {
    if (price.gt(plan.extreme)) plan.extreme = str(price);
    return price.lte(d(plan.extreme).mul(d(1).sub(ratio)));
  }
  if (price.lt(plan.extreme)) plan.extreme = str(price);
  return price.gte(d(plan.extreme).mul(d(1).add(ratio)));
}

export function evaluatePlans(ex: Exchange, acct: AccountState, t: number): void {
  for (const plan of acct.futures.plans) {
    if (plan.planStatus !== 'live') continue;
    const inst = instOf(plan);
    const price = ex.market.quote(inst, t).mark;
    const trailing = plan.planType === 'track_plan' || plan.planType === 'moving_plan';
    if (!(trailing ? trailingFires(plan, price) : crossed(plan, price))) continue;
    plan.uTime = t;
    try {
      const order = plan.tradeSide === 'close' && plan.planType !== 'normal_plan' && plan.planType !== 'track_plan' ? fireTpsl(ex, acct, plan, t) : firePlan(ex, acct, plan, inst, t);
      plan.planStatus = 'executed';
      plan.executeOrderId = order.orderId;
    } catch (err) {
      plan.planStatus = 'fail_trigger';
      ex.logger.warn('plan order failed to trigger', plan.orderId, (err as Error).message);
    }
  }
}

function firePlan(ex: Exchange, acct: AccountState, plan: PlanOrder, inst: FuturesInstrument, t: number): FuturesOrder {
  settingsOf(acct, inst, plan.marginCoin);
  return placeFuturesOrder(ex, acct, {
    inst, marginCoin: plan.marginCoin, marginMode: plan.marginMode, side: plan.side, tradeSide: plan.tradeSide, orderType: plan.orderType,
    force: 'gtc', price: plan.price ? d(plan.price) : undefined, size: d(plan.size), reduceOnly: plan.reduceOnly,
    presetStopSurplusPrice: plan.stopSurplusTriggerPrice, presetStopLossPrice: plan.stopLossTriggerPrice, orderSource: 'plan',
  }, t);
}

function fireTpsl(ex: Exchange, acct: AccountState, plan: PlanOrder, t: number): FuturesOrder {
  const inst = instOf(plan);
  const pos = findPosition(acct, inst, plan.marginCoin, plan.holdSide as HoldSide);
  if (!pos) throw errors.noPosition();
  const free = d(pos.total).sub(pos.locked);
  const size = plan.size === '0' ? free : d(plan.size).gt(free) ? free : d(plan.size);
  const limit = plan.orderType === 'limit' ? { orderType: 'limit' as const, price: d(plan.price) } : {};
  return placeCloseOrder(ex, acct, plan.symbol, plan.productType, plan.marginCoin, plan.holdSide as HoldSide, size, t, { ...limit, orderSource: plan.planType });
}
