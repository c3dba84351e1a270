import { FUTURES_GRANULARITIES, limitAtMost, param, SPOT_GRANULARITIES } from '../method-spec.ts';
import type { MethodSpec, ParamSpec } from '../method-spec.ts';

// Public market data (futures and spot). No key needed; limited per IP.

const futuresGranularity = (def: string | undefined): ParamSpec => ({
  name: 'granularity', wire: 'granularity', type: 'enum', values: FUTURES_GRANULARITIES, caseSensitive: true,
  ...(def === undefined ? { required: true } : { default: def }),
  doc: '1m 3m 5m 15m 30m 1H 2H 4H 6H 12H 1D 3D 1W 1M (+ 6Hutc 12Hutc 1Dutc 3Dutc 1Wutc 1Mutc)',
});

const spotGranularity: ParamSpec = {
  name: 'granularity', wire: 'granularity', type: 'enum', values: SPOT_GRANULARITIES, caseSensitive: true, default: '1h',
  doc: '1min 3min 5min 15min 30min 1h 4h 6h 12h 1day 3day 1week 1M (+ …utc); lower-case, unlike futures',
};

/** merge-depth only accepts these depth tiers; a requested depth is served from the next tier up. */
const BOOK_TIERS = [1, 5, 15, 50] as const;

function trimLevels(response: { data: unknown }, levels: number): void {
  const book = response.data as { asks?: unknown; bids?: unknown } | null;
  if (book === null || typeof book !== 'object') return;
  if (Array.isArray(book.asks)) book.asks = book.asks.slice(0, levels);
  if (Array.isArray(book.bids)) book.bids = book.bids.slice(0, levels);
}

export const MARKET_METHODS: readonly MethodSpec[] = [
  {
    name: 'futures_tickers', family: 'market', market: 'futures', httpMethod: 'GET', path: '/api/v2/mix/market/tickers',
    auth: false, rateClass: 'public', summary: 'All futures tickers of a product type, or the one of `symbol`.',
    params: [param.productType(), param.symbol(false, 'when given, only this ticker (served by /market/ticker)')],
    // /tickers has no symbol filter; the single-ticker endpoint answers the same row shape.
    route: (p) => (p['symbol'] === undefined ? undefined : { path: '/api/v2/mix/market/ticker' }),
  },
  {
    name: 'futures_ticker', family: 'market', market: 'futures', httpMethod: 'GET', path: '/api/v2/mix/market/ticker',
    auth: false, rateClass: 'public', summary: 'One futures ticker (data is an array with one row).',
    params: [param.symbol(true), param.productType()],
  },
  {
    name: 'spot_tickers', family: 'market', market: 'spot', httpMethod: 'GET', path: '/api/v2/spot/market/tickers',
    auth: false, rateClass: 'public', summary: 'All spot tickers, or the one of `symbol`.',
    params: [param.symbol(false)],
  },
  {
    name: 'futures_candles', family: 'market', market: 'futures', httpMethod: 'GET', path: '/api/v2/mix/market/candles',
    auth: false, rateClass: 'public',
    summary: 'Recent futures candles, oldest first: [ts, open, high, low, close, baseVolume, quoteVolume].',
    params: [
      { ...param.symbol(false), default: 'BTCUSDT' },
      futuresGranularity('1H'),
      param.productType(),
      param.limit(200, 'number of candles, at most 1000'),
      param.time('start_time'),
      param.time('end_time'),
    ],
    check: limitAtMost(1000),
  },
  {
    name: 'futures_history_candles', family: 'market', market: 'futures', httpMethod: 'GET',
    path: '/api/v2/mix/market/history-candles', auth: false, rateClass: 'public',
    summary: 'Older futures candles (same row layout as futures_candles).',
    params: [
      param.symbol(true),
      futuresGranularity('1H'),
      param.productType(),
      param.limit(200, 'number of candles, at most 200'),
      param.time('start_time'),
      param.time('end_time'),
    ],
    check: limitAtMost(200),
  },
  {
    name: 'spot_candles', family: 'market', market: 'spot', httpMethod: 'GET', path: '/api/v2/spot/market/candles',
    auth: false, rateClass: 'public',
    summary: 'Recent spot candles: [ts, open, high, low, close, baseVolume, usdtVolume, quoteVolume].',
    params: [
      { ...param.symbol(false), default: 'BTCUSDT' },
      spotGranularity,
      param.limit(200, 'number of candles, at most 1000'),
      param.time('start_time'),
      param.time('end_time'),
    ],
    check: limitAtMost(1000),
  },
  {
    name: 'spot_history_candles', family: 'market', market: 'spot', httpMethod: 'GET',
    path: '/api/v2/spot/market/history-candles', auth: false, rateClass: 'public',
    summary: 'Older spot candles ending at end_time.',
    params: [
      param.symbol(true),
      spotGranularity,
      { ...param.time('end_time', 'ms timestamp; candles before it'), defaultFrom: 'now' },
      param.limit(200, 'number of candles, at most 200'),
    ],
    check: limitAtMost(200),
  },
  {
    name: 'futures_orderbook', family: 'market', market: 'futures', httpMethod: 'GET', path: '/api/v2/mix/market/merge-depth',
    auth: false, rateClass: 'public',
    summary: 'Futures order book: {asks, bids, ts, scale, precision, isMaxPrecision}; levels are JSON numbers.',
    params: [
      { ...param.symbol(false), default: 'BTCUSDT' },
      param.productType(),
      param.limit(20, 'levels per side; fetched as the next tier of 1/5/15/50/max and trimmed'),
    ],
    adjust: (wire) => {
      const n = Number(wire['limit']);
      wire['limit'] = String(BOOK_TIERS.find((t) => t >= n) ?? 'max');
    },
    shape: (response, p) => trimLevels(response, Number(p['limit'])),
  },
  {
    name: 'spot_orderbook', family: 'market', market: 'spot', httpMethod: 'GET', path: '/api/v2/spot/market/orderbook',
    auth: false, rateClass: 'public', summary: 'Spot order book: {asks, bids, ts}; levels are strings.',
    params: [
      param.symbol(true),
      param.limit(20, 'levels per side, at most 150'),
      { name: 'type', wire: 'type', type: 'enum', values: ['step0', 'step1', 'step2', 'step3', 'step4', 'step5'], doc: 'merge step; step0 (exchange default) = unmerged' },
    ],
    check: limitAtMost(150),
  },
  {
    name: 'futures_contracts', family: 'market', market: 'futures', httpMethod: 'GET', path: '/api/v2/mix/market/contracts',
    auth: false, rateClass: 'public',
    summary: 'Contract configuration incl. precision: pricePlace, priceEndStep, volumePlace, sizeMultiplier, minTradeNum, minTradeUSDT.',
    params: [param.productType(), param.symbol(false)],
  },
  {
    name: 'spot_symbols', family: 'market', market: 'spot', httpMethod: 'GET', path: '/api/v2/spot/public/symbols',
    auth: false, rateClass: 'public',
    summary: 'Spot symbol configuration incl. pricePrecision, quantityPrecision, quotePrecision, minTradeAmount, minTradeUSDT.',
    params: [param.symbol(false)],
  },
  {
    name: 'futures_funding_rate', family: 'market', market: 'futures', httpMethod: 'GET',
    path: '/api/v2/mix/market/current-fund-rate', auth: false, rateClass: 'public',
    summary: 'Current funding rate of a symbol, or of every symbol of the product type.',
    params: [param.symbol(false), param.productType()],
  },
];
