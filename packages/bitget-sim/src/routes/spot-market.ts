import { d, fixed, str } from '../decimal.ts';
import { errors } from '../errors.ts';
import { buildCandles, SPOT_GRANULARITY } from '../market/candles.ts';
import { SPOT, type SpotInstrument } from '../market/instruments.ts';
import { limitParam, optEnum, optInt, optStr, reqStr, spotSymbol } from '../params.ts';
import { get, type Route, type RouteContext } from './route.ts';

function tickerView(ctx: RouteContext, inst: SpotInstrument): Record<string, unknown> {
  const { ex, t } = ctx;
  const q = ex.market.quote(inst, t);
  const book = ex.market.book(inst, t, 1);
  const s = ex.market.stats24h(inst, t);
  const px = (v: ReturnType<typeof d>) => fixed(v.div(inst.tick).round().mul(inst.tick), inst.pricePrecision);
  const open = d(px(s.open));
  const openUtc = d(px(s.openUtc));
  const quoteVol = fixed(d(s.quoteVolume.toFixed(4)), 4);
  return {
    symbol: inst.symbol, high24h: px(q.last.gt(s.high) ? q.last : s.high), open: str(open), low24h: px(q.last.lt(s.low) ? q.last : s.low),
    lastPr: str(q.last), quoteVolume: quoteVol, baseVolume: fixed(d(s.baseVolume.toFixed(6)), inst.quantityPrecision), usdtVolume: quoteVol,
    bidPr: str(q.bid), askPr: str(q.ask), bidSz: str(book.bids[0]!.size), askSz: str(book.asks[0]!.size), openUtc: str(openUtc), ts: String(t),
    changeUtc24h: fixed(q.last.sub(openUtc).div(openUtc), 5), change24h: fixed(q.last.sub(open).div(open), 5),
  };
}

function symbolView(inst: SpotInstrument): Record<string, unknown> {
  return {
    symbol: inst.symbol, baseCoin: inst.baseCoin, quoteCoin: inst.quoteCoin, minTradeAmount: inst.minTradeAmount, maxTradeAmount: inst.maxTradeAmount,
    takerFeeRate: inst.takerFeeRate, makerFeeRate: inst.makerFeeRate, pricePrecision: String(inst.pricePrecision),
    quantityPrecision: String(inst.quantityPrecision), quotePrecision: String(inst.quotePrecision), status: 'online', minTradeUSDT: inst.minTradeUSDT,
    buyLimitPriceRatio: '0.05', sellLimitPriceRatio: '0.05', areaSymbol: 'no', orderQuantity: '200', openTime: '',
  };
}

function spotInstruments(ctx: RouteContext): SpotInstrument[] {
  return optStr(ctx.params, 'symbol') === undefined ? [...SPOT] : [spotSymbol(ctx.params)];
}

function spotCandles(ctx: RouteContext, max: number, history: boolean): string[][] {
  const { params: p, ex, t } = ctx;
  const inst = spotSymbol(p);
  const bucket = SPOT_GRANULARITY[reqStr(p, 'granularity')];
  if (!bucket) throw errors.paramError('granularity');
  if (history) reqStr(p, 'endTime');
  const rows = buildCandles(ex.feed, {
    coin: inst.baseCoin, bucket, now: t, startTime: history ? undefined : optInt(p, 'startTime'), endTime: optInt(p, 'endTime'),
    limit: limitParam(p, 100, max), tick: inst.tick, pricePlaces: inst.pricePrecision, volumePlaces: inst.quantityPrecision,
  });
  // Spot rows carry 8 fields: ts, o, h, l, c, baseVolume, usdtVolume, quoteVolume.
  return rows.map((c) => [String(c.ts), c.open, c.high, c.low, c.close, c.baseVolume, c.quoteVolume, c.quoteVolume]);
}

export const spotMarketRoutes: Route[] = [
  get('/api/v2/public/time', false, 20, (ctx) => ({ serverTime: String(ctx.ex.baseNow()) })),
  get('/api/v2/spot/market/tickers', false, 20, (ctx) => spotInstruments(ctx).map((i) => tickerView(ctx, i))),
  get('/api/v2/spot/public/symbols', false, 20, (ctx) => spotInstruments(ctx).map(symbolView)),
  get('/api/v2/spot/market/candles', false, 20, (ctx) => spotCandles(ctx, 1000, false)),
  // Older candles: endTime is required and limit is capped at 200 (CONTRACT.md §5.2).
  get('/api/v2/spot/market/history-candles', false, 20, (ctx) => spotCandles(ctx, 200, true)),
  get('/api/v2/spot/market/orderbook', false, 20, (ctx) => {
    const { params: p, ex, t } = ctx;
    const inst = spotSymbol(p);
    optEnum(p, 'type', ['step0', 'step1', 'step2', 'step3', 'step4', 'step5'] as const);
    const limit = limitParam(p, 150, 150);
    const book = ex.market.book(inst, t, limit);
    const rows = (levels: typeof book.bids) => levels.slice(0, limit).map((l) => [str(l.price), str(l.size)]);
    return { asks: rows(book.asks), bids: rows(book.bids), ts: String(t) };
  }),
];
