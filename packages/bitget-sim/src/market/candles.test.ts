import { describe, expect, it } from 'vitest';
import { d } from '../decimal.ts';
import { createState } from '../state.ts';
import { bucketStart, buildCandles, FUTURES_GRANULARITY, SPOT_GRANULARITY } from './candles.ts';
import { PriceFeed } from './price-feed.ts';

const t = Date.UTC(2025, 0, 8, 10, 17, 42); // Wednesday 10:17:42 UTC

describe('bucket alignment', () => {
  it.each([
    ['1m', FUTURES_GRANULARITY, Date.UTC(2025, 0, 8, 10, 17)],
    ['15m', FUTURES_GRANULARITY, Date.UTC(2025, 0, 8, 10, 15)],
    ['4H', FUTURES_GRANULARITY, Date.UTC(2025, 0, 8, 8)],
    ['1D', FUTURES_GRANULARITY, Date.UTC(2025, 0, 7, 16)], // UTC+8 midnight
    ['1Dutc', FUTURES_GRANULARITY, Date.UTC(2025, 0, 8)],
    ['1Wutc', FUTURES_GRANULARITY, Date.UTC(2025, 0, 6)], // Monday
    ['1Mutc', FUTURES_GRANULARITY, Date.UTC(2025, 0, 1)],
    ['1h', SPOT_GRANULARITY, Date.UTC(2025, 0, 8, 10)],
    ['1day', SPOT_GRANULARITY, Date.UTC(2025, 0, 7, 16)],
  ])('%s', (code, table, expected) => {
    expect(bucketStart(table[code]!, t)).toBe(expected);
  });

  it('keeps the futures and spot code sets apart', () => {
    expect(FUTURES_GRANULARITY['1H']).toBeDefined();
    expect(FUTURES_GRANULARITY['1h']).toBeUndefined();
    expect(SPOT_GRANULARITY['1min']).toBeDefined();
    expect(SPOT_GRANULARITY['1m']).toBeUndefined();
  });
});

describe('buildCandles', () => {
  it('returns `limit` rows oldest first ending with the live candle, consistent with each other', () => {
    const state = createState(3, t);
    const feed = new PriceFeed(state);
    const rows = buildCandles(feed, { coin: 'BTC', bucket: FUTURES_GRANULARITY['5m']!, now: t, limit: 10, tick: d('0.1'), pricePlaces: 1, volumePlaces: 3 });
    expect(rows).toHaveLength(10);
    expect(rows.at(-1)!.ts).toBe(Date.UTC(2025, 0, 8, 10, 15));
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.ts - rows[i - 1]!.ts).toBe(300_000);
      expect(rows[i]!.open).toBe(rows[i - 1]!.close);
      expect(Number(rows[i]!.high)).toBeGreaterThanOrEqual(Math.max(Number(rows[i]!.open), Number(rows[i]!.close)));
    }
  });

  it('a pinned price gives flat candles', () => {
    const state = createState(3, t - 3_600_000);
    const feed = new PriceFeed(state);
    feed.pin('ETH', t - 1_800_000, '3000');
    const rows = buildCandles(feed, { coin: 'ETH', bucket: FUTURES_GRANULARITY['5m']!, now: t, limit: 3, tick: d('0.01'), pricePlaces: 2, volumePlaces: 2 });
    expect(rows.map((r) => [r.open, r.high, r.low, r.close])).toEqual(Array(3).fill(['3000', '3000', '3000', '3000']));
  });
});
