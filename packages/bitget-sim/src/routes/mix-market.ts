import { d, fixed, str } from '../decimal.ts';
import { errors } from '../errors.ts';
import { buildCandles, FUTURES_GRANULARITY } from '../market/candles.ts';
import { futuresOf, type FuturesInstrument } from '../market/instruments.ts';
import { BOOK_LEVELS } from '../market/market-data.ts';
import { futuresSymbol, limitParam, optEnum, optInt, optStr, productTypeParam, reqStr, type Params } from '../params.ts';
import { get, type Route, type RouteContext } from './route.ts';

function tickerView(ctx: RouteContext, inst: FuturesInstrument): Record<string, unknown> {
  const { ex, t } = ctx;
  const q = ex.market.quote(inst, t);
  const book = ex.market.book(inst, t, 1);
  const s = ex.market.stats24h(inst, t);
  const px = (v: ReturnType<typeof d>) => fixed(v.div(inst.tick).round().mul(inst.tick), inst.pricePlace);
  const high = q.last.gt(s.high) ? q.last : s.high;
  const low = q.last.lt(s.low) ? q.last : s.low;
  const open = d(px(s.open));
  const openUtc = d(px(s.openUtc));
  const quoteVol = fixed(d(s.quoteVolume.toFixed(4)), 4);
  return {
    symbol: inst.symbol, lastPr: str(q.last), askPr: str(q.ask), bidPr: str(q.bid), bidSz: str(book.bids[0]!.size), askSz: str(book.asks[0]!.size),
    high24h: px(high), low24h: px(low), ts: String(t), change24h: fixed(q.last.sub(open).div(open), 5),
    baseVolume: fixed(d(s.baseVolume.toFixed(6)), inst.volumePlace), quoteVolume: quoteVol, usdtVolume: quoteVol, openUtc: str(openUtc),
    changeUtc24h: fixed(q.last.sub(openUtc).div(openUtc), 5), indexPrice: str(q.index), fundingRate: ex.market.fundingRate(inst, t),
    holdingAmount: ex.market.openInterest(inst, t), deliveryStartTime: null, deliveryTime: null, deliveryStatus: '', open24h: str(open),
    markPrice: str(q.mark),
  };
}

function contractView(inst: FuturesInstrument): Record<string, unknown> {
  return {
    symbol: inst.symbol, baseCoin: inst.baseCoin, quoteCoin: inst.quoteCoin, buyLimitPriceRatio: '0.05', sellLimitPriceRatio: '0.05',
    feeRateUpRatio: '0.005', makerFeeRate: inst.makerFeeRate, takerFeeRate: inst.takerFeeRate, openCostUpRatio: '0.01',
    supportMarginCoins: [...inst.marginCoins], minTradeNum: inst.minTradeNum, priceEndStep: String(inst.priceEndStep),
    volumePlace: String(inst.volumePlace), pricePlace: String(inst.pricePlace), sizeMultiplier: inst.sizeMultiplier, symbolType: 'perpetual',
    minTradeUSDT: inst.minTradeUSDT, maxSymbolOrderNum: '200', maxProductOrderNum: '400', maxPositionNum: '150', symbolStatus: 'normal',
    offTime: '-1', limitOpenTime: '-1', deliveryTime: '', deliveryStartTime: '', deliveryPeriod: '', launchTime: '', fundInterval: String(inst.fundInterval),
    minLever: String(inst.minLever), maxLever: String(inst.maxLever), posLimit: '0.05', maintainTime: '', maxMarketOrderQty: inst.maxMarketOrderQty,
    maxOrderQty: inst.maxOrderQty, isRwa: 'NO', openTime: '',
  };
}

function candles(ctx: RouteContext, max: number) {
  const { params: p, ex, t } = ctx;
  const inst = futuresSymbol(p, productTypeParam(p, ctx.paper));
  const granularity = reqStr(p, 'granularity');
  const bucket = FUTURES_GRANULARITY[granularity];
  if (!bucket) throw errors.paramError('granularity');
  optEnum(p, 'kLineType', ['MARKET', 'MARK', 'INDEX'] as const);
  const rows = buildCandles(ex.feed, {
    coin: inst.baseCoin, bucket, now: t, startTime: optInt(p, 'startTime'), endTime: optInt(p, 'endTime'), limit: limitParam(p, 100, max),
    tick: inst.tick, pricePlaces: inst.pricePlace, volumePlaces: inst.volumePlace,
  });
  return rows.map((c) => [String(c.ts), c.open, c.high, c.low, c.close, c.baseVolume, c.quoteVolume]);
}

function instruments(p: Params, paper: boolean): FuturesInstrument[] {
  const productType = productTypeParam(p, paper);
  return optStr(p, 'symbol') === undefined ? futuresOf(productType) : [futuresSymbol(p, productType)];
}

const DEPTH_LIMITS: Record<string, number> = { '1': 1, '5': 5, '15': 15, '50': 50, max: BOOK_LEVELS };

export const mixMarketRoutes: Route[] = [
  get('/api/v2/mix/market/tickers', false, 20, (ctx) => futuresOf(productTypeParam(ctx.params, ctx.paper)).map((i) => tickerView(ctx, i))),
  get('/api/v2/mix/market/ticker', false, 20, (ctx) => [tickerView(ctx, futuresSymbol(ctx.params, productTypeParam(ctx.params, ctx.paper)))]),
  get('/api/v2/mix/market/candles', false, 20, (ctx) => candles(ctx, 1000)),
  get('/api/v2/mix/market/history-candles', false, 20, (ctx) => candles(ctx, 200)),
  get('/api/v2/mix/market/contracts', false, 20, (ctx) => instruments(ctx.params, ctx.paper).map(contractView)),
  get('/api/v2/mix/market/current-fund-rate', false, 20, (ctx) =>
    instruments(ctx.params, ctx.paper).map((i) => ({
      symbol: i.symbol, fundingRate: ctx.ex.market.fundingRate(i, ctx.t), fundingRateInterval: String(i.fundInterval),
      nextUpdate: String(ctx.ex.market.nextFundingTime(i, ctx.t)), minFundingRate: '-0.003', maxFundingRate: '0.003',
    }))),
  get('/api/v2/mix/market/merge-depth', false, 20, (ctx) => {
    const { params: p, ex, t } = ctx;
    const inst = futuresSymbol(p, productTypeParam(p, ctx.paper));
    const limitRaw = optStr(p, 'limit');
    const limit = limitRaw === undefined ? 100 : DEPTH_LIMITS[limitRaw];
    if (limit === undefined) throw errors.paramError('limit');
    const precision = optEnum(p, 'precision', ['scale0', 'scale1', 'scale2', 'scale3'] as const) ?? 'scale0';
    const scaleN = Math.min(Number(precision.slice(5)), inst.pricePlace);
    const step = inst.tick.mul(d(10).pow(scaleN));
    const book = ex.market.book(inst, t, scaleN === 0 ? limit : BOOK_LEVELS);
    const merge = (levels: typeof book.bids, up: boolean) => {
      const out: [number, number][] = [];
      let last: { price: string; size: ReturnType<typeof d> } | undefined;
      for (const l of levels) {
        const key = str(up ? l.price.div(step).ceil().mul(step) : l.price.div(step).floor().mul(step));
        if (last && last.price === key) last.size = last.size.add(l.size);
        else {
          if (last) out.push([Number(last.price), Number(last.size.toFixed())]);
          if (out.length >= limit) return out;
          last = { price: key, size: l.size };
        }
      }
      if (last && out.length < limit) out.push([Number(last.price), Number(last.size.toFixed())]);
      return out;
    };
    // Levels are JSON numbers on this endpoint only (CONTRACT.md §4.2).
    return { asks: merge(book.asks, true), bids: merge(book.bids, false), ts: String(t), scale: str(step), precision, isMaxPrecision: scaleN === inst.pricePlace ? 'YES' : 'NO' };
  }),
];
