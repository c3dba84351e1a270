import { describe, expect, it } from 'vitest';
import { d } from '../decimal.ts';
import { createState } from '../state.ts';
import { HISTORY_MINUTES, MINUTE, PriceFeed } from './price-feed.ts';

const t0 = Date.UTC(2025, 0, 6, 10);

describe('PriceFeed', () => {
  it('is a pure function of seed and time', () => {
    const a = new PriceFeed(createState(9, t0));
    const b = new PriceFeed(createState(9, t0));
    const later = t0 + 123_456_789;
    expect(a.priceAt('BTC', later)).toBe(b.priceAt('BTC', later));
    // Asking in a different order changes nothing.
    expect(b.priceAt('BTC', t0 - 5 * 86_400_000)).toBe(a.priceAt('BTC', t0 - 5 * 86_400_000));
    expect(a.priceAt('BTC', t0)).toBeCloseTo(60000, 6);
    expect(new PriceFeed(createState(10, t0)).priceAt('BTC', later)).not.toBe(a.priceAt('BTC', later));
  });

  it('pins exactly and releases continuously', () => {
    const f = new PriceFeed(createState(1, t0));
    f.pin('BTC', t0 + MINUTE, '61234.5');
    expect(f.tickPrice('BTC', t0 + MINUTE, d('0.1')).toFixed()).toBe('61234.5');
    expect(f.tickPrice('BTC', t0 + 10 * MINUTE, d('0.1')).toFixed()).toBe('61234.5');
    f.release('BTC', t0 + 10 * MINUTE);
    expect(f.priceAt('BTC', t0 + 10 * MINUTE)).toBeCloseTo(61234.5, 6);
    expect(f.priceAt('BTC', t0 + 20 * MINUTE)).not.toBe(61234.5);
  });

  it('stays in a plausible band over the whole history', () => {
    const f = new PriceFeed(createState(5, t0));
    const m0 = Math.floor(t0 / MINUTE);
    for (let k = 0; k <= HISTORY_MINUTES; k += 1440) {
      const p = f.point('BTC', m0 - k);
      expect(p).toBeGreaterThan(20000);
      expect(p).toBeLessThan(180000);
    }
  });
});
