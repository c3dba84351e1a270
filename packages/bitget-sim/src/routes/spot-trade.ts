import { errors } from '../errors.ts';
import { FORCES, ORDER_TYPES, SIDES } from '../futures/orders.ts';
import { cancelSpotOrder, placeSpotOrder, spotOrderOpen } from '../spot/orders.ts';
import { historyView, spotFillView, unfilledView } from '../spot/views.ts';
import { findSpot } from '../market/instruments.ts';
import { clientOidParam, optDec, optEnum, optStr, page, pageParams, reqDec, reqEnum, spotSymbol } from '../params.ts';
import type { SpotOrder } from '../types.ts';
import { get, post, type Route, type RouteContext } from './route.ts';

function symbolFilter(ctx: RouteContext): string | undefined {
  const symbol = optStr(ctx.params, 'symbol')?.toUpperCase();
  if (symbol && !findSpot(symbol)) throw errors.symbolUnknown();
  return symbol;
}

function list(ctx: RouteContext, open: boolean): SpotOrder[] {
  const symbol = symbolFilter(ctx);
  const orderId = optStr(ctx.params, 'orderId');
  return page(ctx.account.spot.orders.filter((o) => spotOrderOpen(o) === open && (!symbol || o.symbol === symbol) && (!orderId || o.orderId === orderId)), (o) => o.orderId, pageParams(ctx.params));
}

export const spotTradeRoutes: Route[] = [
  post('/api/v2/spot/trade/place-order', 10, (ctx) => {
    const p = ctx.params;
    const o = placeSpotOrder(ctx.ex, ctx.account, {
      inst: spotSymbol(p), side: reqEnum(p, 'side', SIDES), orderType: reqEnum(p, 'orderType', ORDER_TYPES), force: optEnum(p, 'force', FORCES) ?? 'gtc',
      price: optDec(p, 'price'), size: reqDec(p, 'size'), clientOid: clientOidParam(p),
    }, ctx.t);
    return { orderId: o.orderId, clientOid: o.clientOid };
  }),
  post('/api/v2/spot/trade/cancel-order', 10, (ctx) => {
    const p = ctx.params;
    const inst = spotSymbol(p);
    const orderId = optStr(p, 'orderId');
    const clientOid = optStr(p, 'clientOid');
    if (!orderId && !clientOid) throw errors.paramEmpty('orderId');
    const o = ctx.account.spot.orders.find((x) => x.symbol === inst.symbol && (orderId ? x.orderId === orderId : x.clientOid === clientOid));
    const done = cancelSpotOrder(ctx.account, o, ctx.t);
    return { orderId: done.orderId, clientOid: done.clientOid };
  }),
  get('/api/v2/spot/trade/unfilled-orders', true, 20, (ctx) => list(ctx, true).map((o) => unfilledView(ctx.account, o))),
  get('/api/v2/spot/trade/history-orders', true, 20, (ctx) => list(ctx, false).map((o) => historyView(ctx.account, o))),
  get('/api/v2/spot/trade/orderInfo', true, 20, (ctx) => {
    const orderId = optStr(ctx.params, 'orderId');
    const clientOid = optStr(ctx.params, 'clientOid');
    if (!orderId && !clientOid) throw errors.paramEmpty('orderId');
    const o = ctx.account.spot.orders.find((x) => (orderId ? x.orderId === orderId : x.clientOid === clientOid));
    // By clientOid Bitget only finds orders that are not filled (CONTRACT.md §5.8 orderInfo); by orderId, any.
    if (!o || (!orderId && o.status === 'filled')) throw errors.spotOrderNotFound();
    return [historyView(ctx.account, o)];
  }),
  get('/api/v2/spot/trade/fills', true, 10, (ctx) => {
    const symbol = symbolFilter(ctx);
    const orderId = optStr(ctx.params, 'orderId');
    return page(ctx.account.spot.fills.filter((f) => (!symbol || f.symbol === symbol) && (!orderId || f.orderId === orderId)), (f) => f.tradeId, pageParams(ctx.params))
      .map((f) => spotFillView(ctx.account, f));
  }),
];
