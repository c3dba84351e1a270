import { d, type Dec } from '../decimal.ts';
import type { ProductType } from '../types.ts';

/** Underlying coins; every instrument of a coin is priced from the same feed (in USD ≈ USDT ≈ USDC). */
export interface CoinSpec {
  coin: string;
  startPrice: string;
  /** Per-minute log-volatility of the walk. */
  sigma: number;
  /** Typical size of one order-book level, in base coin. */
  depthUnit: number;
  /** Typical open interest, in base coin. */
  openInterest: number;
  /** Typical base volume per minute. */
  minuteVolume: number;
}

export const COINS: readonly CoinSpec[] = [
  { coin: 'BTC', startPrice: '60000', sigma: 0.0006, depthUnit: 0.8, openInterest: 52000, minuteVolume: 40 },
  { coin: 'ETH', startPrice: '3000', sigma: 0.0008, depthUnit: 12, openInterest: 480000, minuteVolume: 600 },
  { coin: 'SOL', startPrice: '150', sigma: 0.001, depthUnit: 150, openInterest: 2900000, minuteVolume: 9000 },
];

export interface FuturesInstrument {
  kind: 'futures';
  productType: ProductType;
  symbol: string;
  baseCoin: string;
  quoteCoin: string;
  marginCoins: string[];
  /** Coin-margined: P&L, margin and fees are in the base coin. */
  inverse: boolean;
  pricePlace: number;
  priceEndStep: number;
  volumePlace: number;
  sizeMultiplier: string;
  minTradeNum: string;
  minTradeUSDT: string;
  maxOrderQty: string;
  maxMarketOrderQty: string;
  minLever: number;
  maxLever: number;
  makerFeeRate: string;
  takerFeeRate: string;
  keepMarginRate: string;
  fundInterval: number;
  tick: Dec;
}

export interface SpotInstrument {
  kind: 'spot';
  symbol: string;
  baseCoin: string;
  quoteCoin: string;
  pricePrecision: number;
  quantityPrecision: number;
  quotePrecision: number;
  minTradeAmount: string;
  maxTradeAmount: string;
  minTradeUSDT: string;
  makerFeeRate: string;
  takerFeeRate: string;
  tick: Dec;
}

export type Instrument = FuturesInstrument | SpotInstrument;

interface FuturesRow {
  base: string;
  pricePlace: number;
  volumePlace: number;
  step: string;
  maxLever: number;
  keep: string;
  maxQty: string;
  maxMarketQty: string;
}

// BTCUSDT values are the real ones (CONTRACT.md §4.3, ccxt markets test); the others follow the
// same pattern with plausible steps for their price level.
const FUTURES_ROWS: FuturesRow[] = [
  { base: 'BTC', pricePlace: 1, volumePlace: 3, step: '0.001', maxLever: 125, keep: '0.004', maxQty: '1200', maxMarketQty: '220' },
  { base: 'ETH', pricePlace: 2, volumePlace: 2, step: '0.01', maxLever: 100, keep: '0.005', maxQty: '20000', maxMarketQty: '4000' },
  { base: 'SOL', pricePlace: 3, volumePlace: 1, step: '0.1', maxLever: 75, keep: '0.01', maxQty: '200000', maxMarketQty: '30000' },
];

function futures(productType: ProductType, row: FuturesRow): FuturesInstrument {
  const quote = productType === 'USDT-FUTURES' ? 'USDT' : productType === 'USDC-FUTURES' ? 'USDC' : 'USD';
  const symbol = productType === 'USDC-FUTURES' ? `${row.base}PERP` : `${row.base}${quote}`;
  return {
    kind: 'futures',
    productType,
    symbol,
    baseCoin: row.base,
    quoteCoin: quote,
    marginCoins: productType === 'COIN-FUTURES' ? [row.base] : [quote],
    inverse: productType === 'COIN-FUTURES',
    pricePlace: row.pricePlace,
    priceEndStep: 1,
    volumePlace: row.volumePlace,
    sizeMultiplier: row.step,
    minTradeNum: row.step,
    minTradeUSDT: '5',
    maxOrderQty: row.maxQty,
    maxMarketOrderQty: row.maxMarketQty,
    minLever: 1,
    maxLever: row.maxLever,
    makerFeeRate: '0.0002',
    takerFeeRate: '0.0006',
    keepMarginRate: row.keep,
    fundInterval: 8,
    tick: d(1).div(d(10).pow(row.pricePlace)),
  };
}

export const PRODUCT_TYPES: readonly ProductType[] = ['USDT-FUTURES', 'USDC-FUTURES', 'COIN-FUTURES'];

export const FUTURES: readonly FuturesInstrument[] = [
  ...FUTURES_ROWS.map((r) => futures('USDT-FUTURES', r)),
  ...FUTURES_ROWS.map((r) => futures('USDC-FUTURES', r)),
  ...FUTURES_ROWS.filter((r) => r.base !== 'SOL').map((r) => futures('COIN-FUTURES', r)),
];

function spot(base: string, pricePrecision: number, quantityPrecision: number): SpotInstrument {
  return {
    kind: 'spot',
    symbol: `${base}USDT`,
    baseCoin: base,
    quoteCoin: 'USDT',
    pricePrecision,
    quantityPrecision,
    quotePrecision: 8,
    minTradeAmount: '0',
    maxTradeAmount: '900000000000000000000',
    minTradeUSDT: '1',
    makerFeeRate: '0.001',
    takerFeeRate: '0.001',
    tick: d(1).div(d(10).pow(pricePrecision)),
  };
}

export const SPOT: readonly SpotInstrument[] = [spot('BTC', 2, 6), spot('ETH', 2, 4), spot('SOL', 3, 3)];

const futuresIndex = new Map(FUTURES.map((i) => [`${i.productType}:${i.symbol}`, i]));
const spotIndex = new Map(SPOT.map((i) => [i.symbol, i]));

export function findFutures(productType: ProductType, symbol: string): FuturesInstrument | undefined {
  return futuresIndex.get(`${productType}:${symbol.toUpperCase()}`);
}

export function findSpot(symbol: string): SpotInstrument | undefined {
  return spotIndex.get(symbol.toUpperCase());
}

export function futuresOf(productType: ProductType): FuturesInstrument[] {
  return FUTURES.filter((i) => i.productType === productType);
}

export function coinSpec(coin: string): CoinSpec | undefined {
  return COINS.find((c) => c.coin === coin);
}

/** Margin coins that get a wallet in each product type. */
export function marginCoinsOf(productType: ProductType): string[] {
  return [...new Set(futuresOf(productType).flatMap((i) => i.marginCoins))];
}

export function productTypeOfMarginCoin(coin: string): ProductType {
  if (coin === 'USDT') return 'USDT-FUTURES';
  if (coin === 'USDC') return 'USDC-FUTURES';
  return 'COIN-FUTURES';
}
