import { d, fixed, type Dec } from '../decimal.ts';
import { MINUTE, type PriceFeed } from './price-feed.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Bitget aligns the non-"utc" codes of 6h and above to UTC+8.
const CN = 8 * HOUR;

type Bucket = { kind: 'fixed'; ms: number; tz: number } | { kind: 'week'; tz: number } | { kind: 'month'; tz: number };

const fixedB = (ms: number, tz = 0): Bucket => ({ kind: 'fixed', ms, tz });

const UTC_CODES: Record<string, Bucket> = {
  '6Hutc': fixedB(6 * HOUR), '12Hutc': fixedB(12 * HOUR), '1Dutc': fixedB(DAY), '3Dutc': fixedB(3 * DAY),
  '1Wutc': { kind: 'week', tz: 0 }, '1Mutc': { kind: 'month', tz: 0 },
};

export const FUTURES_GRANULARITY: Record<string, Bucket> = {
  '1m': fixedB(MINUTE), '3m': fixedB(3 * MINUTE), '5m': fixedB(5 * MINUTE), '15m': fixedB(15 * MINUTE), '30m': fixedB(30 * MINUTE),
  '1H': fixedB(HOUR), '2H': fixedB(2 * HOUR), '4H': fixedB(4 * HOUR), '6H': fixedB(6 * HOUR, CN), '12H': fixedB(12 * HOUR, CN),
  '1D': fixedB(DAY, CN), '3D': fixedB(3 * DAY, CN), '1W': { kind: 'week', tz: CN }, '1M': { kind: 'month', tz: CN },
  ...UTC_CODES,
};

export const SPOT_GRANULARITY: Record<string, Bucket> = {
  '1min': fixedB(MINUTE), '3min': fixedB(3 * MINUTE), '5min': fixedB(5 * MINUTE), '15min': fixedB(15 * MINUTE), '30min': fixedB(30 * MINUTE),
  '1h': fixedB(HOUR), '4h': fixedB(4 * HOUR), '6h': fixedB(6 * HOUR, CN), '12h': fixedB(12 * HOUR, CN),
  '1day': fixedB(DAY, CN), '3day': fixedB(3 * DAY, CN), '1week': { kind: 'week', tz: CN }, '1M': { kind: 'month', tz: CN },
  ...UTC_CODES,
};

export function bucketStart(b: Bucket, t: number): number {
  if (b.kind === 'fixed') return Math.floor((t + b.tz) / b.ms) * b.ms - b.tz;
  if (b.kind === 'week') {
    // 1970-01-01 was a Thursday; weeks start on Monday (epoch + 4 days).
    const w = 7 * DAY;
    return Math.floor((t + b.tz - 4 * DAY) / w) * w + 4 * DAY - b.tz;
  }
  const dt = new Date(t + b.tz);
  return Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth(), 1) - b.tz;
}

function bucketEnd(b: Bucket, start: number): number {
  if (b.kind === 'fixed') return start + b.ms;
  if (b.kind === 'week') return start + 7 * DAY;
  const dt = new Date(start + b.tz);
  return Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth() + 1, 1) - b.tz;
}

function previousStart(b: Bucket, start: number): number {
  return bucketStart(b, start - 1);
}

export interface CandleQuery {
  coin: string;
  bucket: Bucket;
  now: number;
  startTime?: number;
  endTime?: number;
  limit: number;
  tick: Dec;
  pricePlaces: number;
  volumePlaces: number;
}

export interface Candle {
  ts: number;
  open: string;
  high: string;
  low: string;
  close: string;
  baseVolume: string;
  quoteVolume: string;
}

/** Candles oldest first, the still-open candle last (its close is the live price). */
export function buildCandles(feed: PriceFeed, q: CandleQuery): Candle[] {
  const end = Math.min(q.endTime ?? q.now, q.now);
  const earliest = feed.earliestMinute(q.coin) * MINUTE;
  const floor = Math.max(q.startTime ?? earliest, earliest);
  const out: Candle[] = [];
  for (let s = bucketStart(q.bucket, end); s >= floor && out.length < q.limit; s = previousStart(q.bucket, s)) {
    out.push(buildOne(feed, q, s, bucketEnd(q.bucket, s)));
  }
  return out.reverse();
}

function buildOne(feed: PriceFeed, q: CandleQuery, start: number, end: number): Candle {
  const live = end > q.now;
  const m0 = start / MINUTE;
  const lastMinute = live ? Math.floor(q.now / MINUTE) : end / MINUTE;
  const open = feed.point(q.coin, m0);
  let high = open;
  let low = open;
  let base = 0;
  let quote = 0;
  for (let m = m0; m <= lastMinute; m++) {
    const p = feed.point(q.coin, m);
    if (p > high) high = p;
    if (p < low) low = p;
    if (m < lastMinute || live) {
      const share = live && m === lastMinute ? (q.now - m * MINUTE) / MINUTE : 1;
      const v = feed.volume(q.coin, m) * share;
      base += v;
      quote += v * p;
    }
  }
  const close = live ? feed.priceAt(q.coin, q.now) : feed.point(q.coin, lastMinute);
  for (const v of feed.vertices(q.coin, start, live ? q.now : end)) {
    if (v > high) high = v;
    if (v < low) low = v;
  }
  high = Math.max(high, close);
  low = Math.min(low, close);
  const px = (v: number) => fixed(d(v.toFixed(12)).div(q.tick).round().mul(q.tick), q.pricePlaces);
  return {
    ts: start,
    open: px(open),
    high: px(high),
    low: px(low),
    close: px(close),
    baseVolume: fixed(d(base.toFixed(8)), q.volumePlaces),
    quoteVolume: fixed(d(quote.toFixed(6)), 4),
  };
}
