import { d, fixed, str, type Dec } from '../decimal.ts';
import type { SimState } from '../types.ts';
import { coinSpec, type FuturesInstrument, type Instrument } from './instruments.ts';
import { MINUTE, type PriceFeed } from './price-feed.ts';
import { coinStream, uniform } from './prng.ts';

export const BOOK_LEVELS = 200;
const HOUR = 3_600_000;

export interface Quote {
  last: Dec;
  bid: Dec;
  ask: Dec;
  mark: Dec;
  index: Dec;
}

export interface BookLevel {
  price: Dec;
  size: Dec;
}

export interface Stats24h {
  open: Dec;
  high: Dec;
  low: Dec;
  openUtc: Dec;
  baseVolume: number;
  quoteVolume: number;
}

/**
 * Everything quoted on an instrument is derived from one feed price: last trades at the bid,
 * the ask is one tick above, mark and index equal last (a documented simplification that keeps
 * P&L hand-checkable), and the book is a deterministic ladder around the touch.
 */
export class MarketData {
  readonly #feed: PriceFeed;
  readonly #state: SimState;
  readonly #statsCache = new Map<string, Stats24h>();
  readonly #quoteCache = new Map<string, Quote>();
  #version = 0;

  constructor(feed: PriceFeed, state: SimState) {
    this.#feed = feed;
    this.#state = state;
  }

  get feed(): PriceFeed {
    return this.#feed;
  }

  /** Call after a pin/release so cached 24h statistics are rebuilt. */
  invalidate(): void {
    this.#version++;
    this.#statsCache.clear();
    this.#quoteCache.clear();
  }

  quote(inst: Instrument, t: number): Quote {
    const key = `${inst.kind === 'futures' ? inst.productType : 'SPOT'}:${inst.symbol}:${t}`;
    let q = this.#quoteCache.get(key);
    if (!q) {
      const last = this.#feed.tickPrice(inst.baseCoin, t, inst.tick);
      q = { last, bid: last, ask: last.add(inst.tick), mark: last, index: last };
      if (this.#quoteCache.size > 2000) this.#quoteCache.clear();
      this.#quoteCache.set(key, q);
    }
    return q;
  }

  sizePlaces(inst: Instrument): number {
    return inst.kind === 'futures' ? inst.volumePlace : inst.quantityPrecision;
  }

  /** Ladder of `levels` price levels per side, best first. Sizes change every minute. */
  book(inst: Instrument, t: number, levels = BOOK_LEVELS): { bids: BookLevel[]; asks: BookLevel[] } {
    return { bids: [...this.side(inst, t, 'bids', levels)], asks: [...this.side(inst, t, 'asks', levels)] };
  }

  /** One side of the ladder, generated lazily so a small order does not build 200 levels. */
  *side(inst: Instrument, t: number, side: 'bids' | 'asks', levels = BOOK_LEVELS): Generator<BookLevel> {
    const q = this.quote(inst, t);
    const unit = coinSpec(inst.baseCoin)?.depthUnit ?? 1;
    const places = this.sizePlaces(inst);
    const step = d(1).div(d(10).pow(places));
    const minute = Math.floor(t / MINUTE);
    const stream = coinStream(inst.symbol);
    const salt = side === 'bids' ? 0 : 1;
    for (let i = 0; i < levels; i++) {
      const price = side === 'bids' ? q.bid.sub(inst.tick.mul(i)) : q.ask.add(inst.tick.mul(i));
      if (price.lte(0)) return;
      const raw = unit * (0.2 + 1.6 * uniform(this.#state.seed, stream, minute, i * 2 + salt)) * (1 + i * 0.05);
      const v = d(raw.toFixed(places + 2)).toDecimalPlaces(places);
      yield { price, size: v.lt(step) ? step : v };
    }
  }

  stats24h(inst: Instrument, t: number): Stats24h {
    const minute = Math.floor(t / MINUTE);
    const key = `${inst.baseCoin}:${minute}:${this.#version}`;
    let s = this.#statsCache.get(key);
    if (!s) {
      const coin = inst.baseCoin;
      const from = Math.max(minute - 1440, this.#feed.earliestMinute(coin));
      let high = -Infinity;
      let low = Infinity;
      let base = 0;
      let quote = 0;
      for (let m = from; m <= minute; m++) {
        const p = this.#feed.point(coin, m);
        high = Math.max(high, p);
        low = Math.min(low, p);
        if (m < minute) {
          const v = this.#feed.volume(coin, m);
          base += v;
          quote += v * p;
        }
      }
      const dayStart = Math.floor(t / (24 * HOUR)) * 24 * HOUR;
      const num = (v: number) => d(v.toFixed(10));
      s = { open: num(this.#feed.point(coin, from)), high: num(high), low: num(low), openUtc: num(this.#feed.point(coin, Math.max(dayStart / MINUTE, from))), baseVolume: base, quoteVolume: quote };
      if (this.#statsCache.size > 512) this.#statsCache.clear();
      this.#statsCache.set(key, s);
    }
    return s;
  }

  openInterest(inst: Instrument, t: number): string {
    const spec = coinSpec(inst.baseCoin);
    const hour = Math.floor(t / HOUR);
    const oi = (spec?.openInterest ?? 1000) * (0.9 + 0.2 * uniform(this.#state.seed, coinStream(inst.symbol), hour, 3));
    return fixed(d(oi.toFixed(6)), inst.kind === 'futures' ? inst.volumePlace : 4);
  }

  /** Funding rate of the period containing `t` (override from /sim/funding wins). */
  fundingRate(inst: FuturesInstrument, t: number): string {
    const override = this.#state.fundingOverrides[`${inst.productType}:${inst.symbol}`];
    if (override !== undefined) return override;
    const period = Math.floor(t / (inst.fundInterval * HOUR));
    const u = uniform(this.#state.seed, coinStream(inst.symbol), period, 11);
    return str(d((0.0001 + (u - 0.5) * 0.0002).toFixed(6)));
  }

  nextFundingTime(inst: FuturesInstrument, t: number): number {
    const interval = inst.fundInterval * HOUR;
    return (Math.floor(t / interval) + 1) * interval;
  }
}
