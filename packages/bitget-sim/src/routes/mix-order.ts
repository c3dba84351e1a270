import { errors, BitgetSimError } from '../errors.ts';
import { isOpen } from '../futures/matching.ts';
import { cancelFuturesOrder, closePositions, findOrder, MARGIN_MODES, modifyFuturesOrder, parseOrderFields, placeFuturesOrder } from '../futures/orders.ts';
import { detailView, fillView, orderView } from '../futures/views.ts';
import { findFutures } from '../market/instruments.ts';
import { futuresSymbol, marginCoinParam, optEnum, optStr, page, pageParams, productTypeParam, reqEnum, type Params } from '../params.ts';
import type { FuturesOrder } from '../types.ts';
import { get, post, type Route, type RouteContext } from './route.ts';

function orderBase(ctx: RouteContext, p: Params = ctx.params) {
  const inst = futuresSymbol(p, productTypeParam(p, ctx.paper));
  return { inst, marginCoin: marginCoinParam(p, inst), marginMode: reqEnum(p, 'marginMode', MARGIN_MODES) };
}

function lookup(ctx: RouteContext): FuturesOrder | undefined {
  const p = ctx.params;
  const inst = futuresSymbol(p, productTypeParam(p, ctx.paper));
  const orderId = optStr(p, 'orderId');
  const clientOid = optStr(p, 'clientOid');
  if (!orderId && !clientOid) throw errors.paramEmpty('orderId');
  return findOrder(ctx.account, inst, orderId, clientOid);
}

const ids = (o: FuturesOrder) => ({ orderId: o.orderId, clientOid: o.clientOid });

function failure(err: unknown, orderId = '', clientOid = '') {
  if (!(err instanceof BitgetSimError)) throw err;
  return { orderId, clientOid, errorMsg: err.message, errorCode: err.code };
}

function listOrders(ctx: RouteContext, open: boolean) {
  const p = ctx.params;
  const productType = productTypeParam(p, ctx.paper);
  const symbol = optStr(p, 'symbol')?.toUpperCase();
  if (symbol && !findFutures(productType, symbol)) throw errors.symbolUnknown();
  const status = open ? optEnum(p, 'status', ['live', 'partially_filled'] as const) : undefined;
  const orderId = optStr(p, 'orderId');
  const clientOid = optStr(p, 'clientOid');
  const q = pageParams(p);
  const items = page(ctx.account.futures.orders.filter((o) =>
    o.productType === productType && isOpen(o) === open && (!symbol || o.symbol === symbol) && (!status || o.status === status) &&
    (!orderId || o.orderId === orderId) && (!clientOid || o.clientOid === clientOid)), (o) => o.orderId, q);
  // Bitget answers an empty page with a null list (CONTRACT.md §4.2 notes clients must accept both).
  return { entrustedList: items.length ? items.map((o) => orderView(o, ctx.ex, open ? undefined : ctx.account)) : null, endId: items.at(-1)?.orderId ?? null };
}

export const mixOrderRoutes: Route[] = [
  post('/api/v2/mix/order/place-order', 10, (ctx) => ids(placeFuturesOrder(ctx.ex, ctx.account, parseOrderFields(ctx.params, orderBase(ctx)), ctx.t))),
  post('/api/v2/mix/order/cancel-order', 10, (ctx) => ids(cancelFuturesOrder(ctx.ex, ctx.account, lookup(ctx), ctx.t))),
  post('/api/v2/mix/order/modify-order', 10, (ctx) => ids(modifyFuturesOrder(ctx.ex, ctx.account, lookup(ctx), ctx.params, ctx.t))),
  post('/api/v2/mix/order/cancel-all-orders', 10, (ctx) => {
    const p = ctx.params;
    const productType = productTypeParam(p, ctx.paper);
    const symbol = optStr(p, 'symbol')?.toUpperCase();
    const coin = optStr(p, 'marginCoin')?.toUpperCase();
    const targets = ctx.account.futures.orders.filter((o) => isOpen(o) && o.productType === productType && (!symbol || o.symbol === symbol) && (!coin || o.marginCoin === coin));
    return { successList: targets.map((o) => ids(cancelFuturesOrder(ctx.ex, ctx.account, o, ctx.t))), failureList: [] };
  }),
  post('/api/v2/mix/order/batch-place-order', 5, (ctx) => {
    const base = orderBase(ctx);
    const list = ctx.params.orderList;
    if (!Array.isArray(list) || list.length === 0) throw errors.paramEmpty('orderList');
    if (list.length > 50) throw errors.batchTooLarge();
    const successList: unknown[] = [];
    const failureList: unknown[] = [];
    for (const item of list) {
      const p = (item && typeof item === 'object' ? item : {}) as Params;
      try {
        successList.push(ids(placeFuturesOrder(ctx.ex, ctx.account, parseOrderFields(p, base), ctx.t)));
      } catch (err) {
        failureList.push(failure(err, '', typeof p.clientOid === 'string' ? p.clientOid : ''));
      }
    }
    return { successList, failureList };
  }),
  post('/api/v2/mix/order/close-positions', 1, (ctx) => {
    const p = ctx.params;
    const productType = productTypeParam(p, ctx.paper);
    const inst = optStr(p, 'symbol') ? futuresSymbol(p, productType) : undefined;
    const holdSide = optEnum(p, 'holdSide', ['long', 'short'] as const);
    return { successList: closePositions(ctx.ex, ctx.account, inst, productType, holdSide, ctx.t).map((o) => ({ ...ids(o), symbol: o.symbol })), failureList: [] };
  }),
  get('/api/v2/mix/order/orders-pending', true, 10, (ctx) => listOrders(ctx, true)),
  get('/api/v2/mix/order/orders-history', true, 10, (ctx) => listOrders(ctx, false)),
  get('/api/v2/mix/order/detail', true, 10, (ctx) => {
    const o = lookup(ctx);
    if (!o) throw errors.orderNotFoundDetail();
    return detailView(o);
  }),
  get('/api/v2/mix/order/fills', true, 10, (ctx) => {
    const p = ctx.params;
    const productType = productTypeParam(p, ctx.paper);
    const symbol = optStr(p, 'symbol')?.toUpperCase();
    const orderId = optStr(p, 'orderId');
    const items = page(ctx.account.futures.fills.filter((f) => f.productType === productType && (!symbol || f.symbol === symbol) && (!orderId || f.orderId === orderId)), (f) => f.tradeId, pageParams(p));
    return { fillList: items.length ? items.map(fillView) : null, endId: items.at(-1)?.tradeId ?? null };
  }),
];
