import { str } from '../decimal.ts';
import { errors } from '../errors.ts';
import { MARGIN_MODES, ORDER_TYPES, SIDES } from '../futures/orders.ts';
import { placePlanOrder, placeTpslOrder, TPSL_TYPES } from '../futures/plans.ts';
import { detailView, planView } from '../futures/views.ts';
import { posModeOf } from '../futures/ledger.ts';
import { findFutures } from '../market/instruments.ts';
import { clientOidParam, futuresSymbol, marginCoinParam, optDec, optEnum, optStr, page, pageParams, productTypeParam, reqDec, reqEnum, type Params } from '../params.ts';
import type { PlanOrder, PlanType } from '../types.ts';
import { get, post, type Route } from './route.ts';

const TRIGGER_TYPES = ['mark_price', 'fill_price'] as const;
const ids = (o: PlanOrder) => ({ orderId: o.orderId, clientOid: o.clientOid });
const opt = (p: Params, name: string) => optDec(p, name)?.toFixed() ?? '';

export const mixPlanRoutes: Route[] = [
  post('/api/v2/mix/order/place-plan-order', 10, (ctx) => {
    const p = ctx.params;
    const inst = futuresSymbol(p, productTypeParam(p, ctx.paper));
    const planType = reqEnum(p, 'planType', ['normal_plan', 'track_plan'] as const);
    const orderType = reqEnum(p, 'orderType', ORDER_TYPES);
    if (planType === 'track_plan' && optStr(p, 'price')) throw errors.paramError('price');
    const callbackRatio = optDec(p, 'callbackRatio');
    if (planType === 'track_plan' && (!callbackRatio || callbackRatio.lte(0) || callbackRatio.gt(10))) throw errors.paramError('callbackRatio');
    return ids(placePlanOrder(ctx.ex, ctx.account, {
      inst, marginCoin: marginCoinParam(p, inst), marginMode: reqEnum(p, 'marginMode', [...MARGIN_MODES, 'cross' as const]) === 'isolated' ? 'isolated' : 'crossed',
      planType, side: reqEnum(p, 'side', SIDES), tradeSide: optEnum(p, 'tradeSide', ['open', 'close'] as const) ?? '', orderType,
      size: reqDec(p, 'size'), price: orderType === 'limit' && planType === 'normal_plan' ? str(reqDec(p, 'price')) : '',
      triggerPrice: reqDec(p, 'triggerPrice'), triggerType: reqEnum(p, 'triggerType', TRIGGER_TYPES), callbackRatio: callbackRatio ? str(callbackRatio) : '',
      clientOid: clientOidParam(p), reduceOnly: optEnum(p, 'reduceOnly', ['YES', 'NO'] as const) === 'YES',
      stopSurplusTriggerPrice: opt(p, 'stopSurplusTriggerPrice') || opt(p, 'presetStopSurplusPrice'), stopSurplusExecutePrice: opt(p, 'stopSurplusExecutePrice'),
      stopSurplusTriggerType: optEnum(p, 'stopSurplusTriggerType', TRIGGER_TYPES) ?? '', stopLossTriggerPrice: opt(p, 'stopLossTriggerPrice') || opt(p, 'presetStopLossPrice'),
      stopLossExecutePrice: opt(p, 'stopLossExecutePrice'), stopLossTriggerType: optEnum(p, 'stopLossTriggerType', TRIGGER_TYPES) ?? '',
    }, ctx.t));
  }),
  post('/api/v2/mix/order/place-tpsl-order', 10, (ctx) => {
    const p = ctx.params;
    const productType = productTypeParam(p, ctx.paper);
    const inst = futuresSymbol(p, productType);
    const planType = reqEnum(p, 'planType', TPSL_TYPES);
    const hedge = posModeOf(ctx.account, productType) === 'hedge_mode';
    // One-way mode names the position by trade side: buy = long, sell = short (CONTRACT.md §5.7).
    const raw = reqEnum(p, 'holdSide', ['long', 'short', 'buy', 'sell'] as const);
    if (hedge && (raw === 'buy' || raw === 'sell')) throw errors.paramError('holdSide');
    const executePrice = opt(p, 'executePrice');
    if (planType === 'moving_plan' && executePrice && executePrice !== '0') throw errors.tpslInvalid('executePrice is not supported for moving_plan');
    return ids(placeTpslOrder(ctx.ex, ctx.account, {
      inst, marginCoin: marginCoinParam(p, inst), planType, holdSide: raw === 'buy' || raw === 'long' ? 'long' : 'short',
      triggerPrice: reqDec(p, 'triggerPrice'), triggerType: optEnum(p, 'triggerType', TRIGGER_TYPES) ?? 'fill_price',
      executePrice: executePrice === '0' ? '' : executePrice, size: optDec(p, 'size'), rangeRate: opt(p, 'rangeRate'), clientOid: clientOidParam(p),
    }, ctx.t));
  }),
  post('/api/v2/mix/order/cancel-plan-order', 10, (ctx) => {
    const p = ctx.params;
    const productType = productTypeParam(p, ctx.paper);
    const symbol = optStr(p, 'symbol')?.toUpperCase();
    if (symbol && !findFutures(productType, symbol)) throw errors.symbolUnknown();
    const planType = optEnum(p, 'planType', ['normal_plan', 'track_plan', 'profit_loss', ...TPSL_TYPES] as const);
    const list = p.orderIdList;
    const byId = Array.isArray(list) && list.length > 0;
    // Cancelling by id finds any plan kind unless planType narrows it; a blanket cancel defaults to normal_plan.
    const live = ctx.account.futures.plans.filter((x) => x.planStatus === 'live' && x.productType === productType && (!symbol || x.symbol === symbol) && matchesType(x.planType, planType ?? (byId ? x.planType : undefined)));
    const cancel = (x: PlanOrder) => {
      x.planStatus = 'cancelled';
      x.uTime = ctx.t;
      return ids(x);
    };
    if (!byId) return { successList: live.map(cancel), failureList: [] };
    if (!symbol) throw errors.paramEmpty('symbol');
    const successList: unknown[] = [];
    const failureList: unknown[] = [];
    for (const item of list as Params[]) {
      const orderId = optStr(item ?? {}, 'orderId') ?? '';
      const clientOid = optStr(item ?? {}, 'clientOid') ?? '';
      const hit = live.find((x) => (orderId ? x.orderId === orderId : x.clientOid === clientOid));
      if (hit) successList.push(cancel(hit));
      else {
        const e = errors.planNotFound();
        failureList.push({ orderId, clientOid, errorMsg: e.message, errorCode: e.code });
      }
    }
    return { successList, failureList };
  }),
  get('/api/v2/mix/order/orders-plan-pending', true, 10, (ctx) => {
    const p = ctx.params;
    const productType = productTypeParam(p, ctx.paper);
    const planType = reqEnum(p, 'planType', ['normal_plan', 'track_plan', 'profit_loss'] as const);
    const symbol = optStr(p, 'symbol')?.toUpperCase();
    const orderId = optStr(p, 'orderId');
    const clientOid = optStr(p, 'clientOid');
    const items = page(ctx.account.futures.plans.filter((x) => x.planStatus === 'live' && x.productType === productType && matchesType(x.planType, planType) &&
      (!symbol || x.symbol === symbol) && (!orderId || x.orderId === orderId) && (!clientOid || x.clientOid === clientOid)), (x) => x.orderId, pageParams(p));
    return { entrustedList: items.length ? items.map(planView) : null, endId: items.at(-1)?.orderId ?? null };
  }),
  // Plans no longer waiting (executed, fail_trigger, cancelled); an executed one names the order it placed.
  get('/api/v2/mix/order/orders-plan-history', true, 10, (ctx) => {
    const p = ctx.params;
    const productType = productTypeParam(p, ctx.paper);
    const planType = reqEnum(p, 'planType', ['normal_plan', 'track_plan', 'profit_loss'] as const);
    const planStatus = optEnum(p, 'planStatus', ['executed', 'fail_trigger', 'cancelled'] as const);
    const symbol = optStr(p, 'symbol')?.toUpperCase();
    const orderId = optStr(p, 'orderId');
    const clientOid = optStr(p, 'clientOid');
    const items = page(ctx.account.futures.plans.filter((x) => x.planStatus !== 'live' && x.productType === productType && matchesType(x.planType, planType) &&
      (!planStatus || x.planStatus === planStatus) && (!symbol || x.symbol === symbol) && (!orderId || x.orderId === orderId) && (!clientOid || x.clientOid === clientOid)),
    (x) => x.orderId, pageParams(p));
    const view = (x: PlanOrder) => {
      const executed = x.executeOrderId ? ctx.account.futures.orders.find((o) => o.orderId === x.executeOrderId) : undefined;
      return { ...planView(x), priceAvg: executed ? detailView(executed)['priceAvg'] : '', baseVolume: executed?.baseVolume ?? '' };
    };
    return { entrustedList: items.length ? items.map(view) : null, endId: items.at(-1)?.orderId ?? null };
  }),
];

function matchesType(actual: PlanType, filter: string | undefined): boolean {
  if (!filter) return actual === 'normal_plan';
  if (filter === 'profit_loss') return actual !== 'normal_plan' && actual !== 'track_plan';
  return actual === filter;
}

