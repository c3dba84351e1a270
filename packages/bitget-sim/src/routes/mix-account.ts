import { d, fixed, str } from '../decimal.ts';
import { errors } from '../errors.ts';
import { instOf, marginNotional, settingsOf, walletSummary } from '../futures/ledger.ts';
import { isOpen } from '../futures/matching.ts';
import { MARGIN_MODES } from '../futures/orders.ts';
import { positionView, walletView, accountView } from '../futures/views.ts';
import { marginCoinsOf } from '../market/instruments.ts';
import { futuresSymbol, marginCoinParam, optEnum, optStr, productTypeParam, reqEnum, reqStr } from '../params.ts';
import { balance } from '../spot/orders.ts';
import type { HoldSide } from '../types.ts';
import { get, post, type Route } from './route.ts';

const busy = (ctx: Parameters<Route['handle']>[0], productType: string, symbol?: string) =>
  ctx.account.futures.positions.some((p) => p.productType === productType && (!symbol || p.symbol === symbol)) ||
  ctx.account.futures.orders.some((o) => isOpen(o) && o.productType === productType && (!symbol || o.symbol === symbol));

export const mixAccountRoutes: Route[] = [
  get('/api/v2/mix/account/accounts', true, 10, (ctx) => {
    const productType = productTypeParam(ctx.params, ctx.paper);
    return marginCoinsOf(productType).map((coin) => walletView(ctx.ex, ctx.account, productType, coin, ctx.t));
  }),
  get('/api/v2/mix/account/account', true, 10, (ctx) => {
    const productType = productTypeParam(ctx.params, ctx.paper);
    const inst = futuresSymbol(ctx.params, productType);
    return accountView(ctx.ex, ctx.account, productType, inst.symbol, marginCoinParam(ctx.params, inst), ctx.t);
  }),
  post('/api/v2/mix/account/set-leverage', 5, (ctx) => {
    const { params: p, account: acct } = ctx;
    const productType = productTypeParam(p, ctx.paper);
    const inst = futuresSymbol(p, productType);
    const coin = marginCoinParam(p, inst);
    const raw = reqStr(p, 'leverage');
    if (!/^\d+$/.test(raw) || Number(raw) < inst.minLever || Number(raw) > inst.maxLever) throw errors.paramError('leverage');
    const holdSide = optEnum(p, 'holdSide', ['long', 'short'] as const);
    const s = settingsOf(acct, inst, coin);
    const before = structuredClone(s);
    const lev = String(Number(raw));
    if (s.marginMode === 'crossed') s.crossLeverage = lev;
    if (s.marginMode === 'crossed' || !holdSide || holdSide === 'long') s.longLeverage = lev;
    if (s.marginMode === 'crossed' || !holdSide || holdSide === 'short') s.shortLeverage = lev;
    // Open positions take the new leverage; their margin follows (notional at entry / leverage).
    const changes = acct.futures.positions
      .filter((x) => x.productType === productType && x.symbol === inst.symbol && x.marginCoin === coin)
      .map((x) => ({ x, lev: s.marginMode === 'crossed' ? s.crossLeverage : x.holdSide === 'long' ? s.longLeverage : s.shortLeverage }));
    const extra = changes.reduce((sum, c) => sum.add(marginNotional(instOf(c.x), d(c.x.openPriceAvg), d(c.x.total)).div(c.lev).sub(c.x.margin)), d(0));
    if (extra.gt(walletSummary(ctx.ex, acct, productType, coin, ctx.t).available)) {
      Object.assign(s, before);
      throw errors.exceedsBalance();
    }
    for (const c of changes) {
      c.x.leverage = c.lev;
      c.x.margin = str(marginNotional(instOf(c.x), d(c.x.openPriceAvg), d(c.x.total)).div(c.lev).toDecimalPlaces(12));
    }
    return { symbol: inst.symbol, marginCoin: coin, longLeverage: s.longLeverage, shortLeverage: s.shortLeverage, crossMarginLeverage: s.crossLeverage, marginMode: s.marginMode };
  }),
  post('/api/v2/mix/account/set-margin-mode', 5, (ctx) => {
    const { params: p } = ctx;
    const productType = productTypeParam(p, ctx.paper);
    const inst = futuresSymbol(p, productType);
    const coin = marginCoinParam(p, inst);
    const mode = reqEnum(p, 'marginMode', [...MARGIN_MODES, 'cross' as const]);
    if (busy(ctx, productType, inst.symbol)) throw errors.marginModeBusy();
    const s = settingsOf(ctx.account, inst, coin);
    s.marginMode = mode === 'cross' ? 'crossed' : mode;
    return { symbol: inst.symbol, marginCoin: coin, longLeverage: s.longLeverage, shortLeverage: s.shortLeverage, marginMode: s.marginMode, crossMarginLeverage: s.crossLeverage };
  }),
  post('/api/v2/mix/account/set-position-mode', 5, (ctx) => {
    const productType = productTypeParam(ctx.params, ctx.paper);
    const posMode = reqEnum(ctx.params, 'posMode', ['one_way_mode', 'hedge_mode'] as const);
    if (busy(ctx, productType)) throw errors.positionModeBusy();
    ctx.account.futures.posModes[productType] = posMode;
    return { posMode };
  }),
  get('/api/v2/mix/position/all-position', true, 5, (ctx) => {
    const productType = productTypeParam(ctx.params, ctx.paper);
    const coin = optStr(ctx.params, 'marginCoin')?.toUpperCase();
    return ctx.account.futures.positions
      .filter((x) => x.productType === productType && (!coin || x.marginCoin === coin))
      .map((x) => positionView(ctx.ex, ctx.account, x, ctx.t));
  }),
  get('/api/v2/mix/position/single-position', true, 10, (ctx) => {
    const productType = productTypeParam(ctx.params, ctx.paper);
    const inst = futuresSymbol(ctx.params, productType);
    const coin = marginCoinParam(ctx.params, inst);
    const order: HoldSide[] = ['long', 'short'];
    return ctx.account.futures.positions
      .filter((x) => x.productType === productType && x.symbol === inst.symbol && x.marginCoin === coin)
      .sort((a, b) => order.indexOf(a.holdSide) - order.indexOf(b.holdSide))
      .map((x) => positionView(ctx.ex, ctx.account, x, ctx.t));
  }),
  get('/api/v2/spot/account/assets', true, 10, (ctx) => {
    const coin = optStr(ctx.params, 'coin')?.toUpperCase();
    const all = optEnum(ctx.params, 'assetType', ['hold_only', 'all'] as const) === 'all';
    const balances = ctx.account.spot.balances;
    const coins = coin ? [coin] : Object.keys(balances).sort();
    return coins
      .map((c) => ({ c, b: balances[c] ?? balance(ctx.account, c) }))
      .filter(({ b }) => coin || all || d(b.available).gt(0) || d(b.frozen).gt(0))
      .map(({ c, b }) => ({ coin: c, available: fixed(b.available, 8), frozen: fixed(b.frozen, 8), locked: '0', limitAvailable: '0', uTime: String(b.uTime) }));
  }),
];
