import { d, roundTo, type Dec } from '../decimal.ts';
import type { PriceSegment, SimState } from '../types.ts';
import { csvPriceAt, csvVertices, csvVolumeAt, type CsvSeries } from './csv-source.ts';
import { COINS, coinSpec, type CoinSpec } from './instruments.ts';
import { coinStream, gaussian, uniform } from './prng.ts';

export const MINUTE = 60_000;
/** How far back generated history reaches before the walk's anchor. */
export const HISTORY_MINUTES = 730 * 1440;
// Weak pull towards the start price keeps years of walk in a plausible band (~±10% stdev).
const MEAN_REVERSION = 0.00002;
const CHUNK = 1440 * 7;

interface Walk {
  spec: CoinSpec;
  stream: number;
  x0: number;
  forward: Float64Array;
  forwardLen: number;
  backward: Float64Array;
  backwardLen: number;
}

/**
 * The single source of prices. Raw prices are a seeded random walk in log space sampled once
 * per minute (or a replayed CSV); between minute points the price is linear. Pins and rescales
 * from `/sim/price` are layered on top as time segments kept in the state, so every price —
 * past candles, live ticker, trigger checks — is a pure function of (seed, state, time).
 */
export class PriceFeed {
  readonly #state: SimState;
  readonly #csv: CsvSeries | undefined;
  readonly #walks = new Map<string, Walk>();
  readonly #epochMinute: number;

  constructor(state: SimState, csv?: CsvSeries) {
    this.#state = state;
    this.#csv = csv;
    this.#epochMinute = Math.floor(state.epochMs / MINUTE);
  }

  get epochMinute(): number {
    return this.#epochMinute;
  }

  /** First minute with data for this coin. */
  earliestMinute(coin: string): number {
    if (this.#csv?.has(coin)) return this.#epochMinute;
    return this.#epochMinute - HISTORY_MINUTES;
  }

  /** Raw (unpinned) price at an absolute minute index. */
  rawPoint(coin: string, minute: number): number {
    const list = this.#csv?.get(coin);
    if (list) return csvPriceAt(list, (minute - this.#epochMinute) * MINUTE);
    const walk = this.#walk(coin);
    const k = minute - this.#epochMinute;
    if (k >= 0) {
      this.#extendForward(walk, k + 1);
      return Math.exp(walk.forward[k]!);
    }
    const back = Math.min(-k, HISTORY_MINUTES);
    this.#extendBackward(walk, back + 1);
    return Math.exp(walk.backward[back]!);
  }

  segmentAt(coin: string, t: number): PriceSegment | undefined {
    const list = this.#state.priceSegments[coin];
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.from <= t) return list[i];
    return undefined;
  }

  /** Price (float) at the minute boundary `minute`, pins applied. Used for candles. */
  point(coin: string, minute: number): number {
    const seg = this.segmentAt(coin, minute * MINUTE);
    if (seg?.kind === 'pin') return Number(seg.price);
    return this.rawPoint(coin, minute) * (seg?.kind === 'scale' ? seg.factor : 1);
  }

  /** Price (float) at any instant. */
  priceAt(coin: string, t: number): number {
    const seg = this.segmentAt(coin, t);
    if (seg?.kind === 'pin') return Number(seg.price);
    return this.rawPrice(coin, t) * (seg?.kind === 'scale' ? seg.factor : 1);
  }

  /** Unpinned price at any instant: the CSV path itself, or the walk interpolated between minutes. */
  rawPrice(coin: string, t: number): number {
    const list = this.#csv?.get(coin);
    if (list) return csvPriceAt(list, t - this.#epochMinute * MINUTE);
    const m = Math.floor(t / MINUTE);
    const f = (t - m * MINUTE) / MINUTE;
    const a = this.rawPoint(coin, m);
    return a + (this.rawPoint(coin, m + 1) - a) * f;
  }

  /**
   * Extra extremes inside [from, to] that minute points can miss: the vertices of replayed CSV
   * candles (the walk is linear between minutes, so it has none).
   */
  vertices(coin: string, from: number, to: number): number[] {
    const list = this.#csv?.get(coin);
    if (!list) return [];
    const base = this.#epochMinute * MINUTE;
    const out: number[] = [];
    for (const v of csvVertices(list, from - base, to - base)) {
      const seg = this.segmentAt(coin, v.t + base);
      if (seg?.kind === 'pin') continue;
      out.push(v.price * (seg?.kind === 'scale' ? seg.factor : 1));
    }
    return out;
  }

  /** Price on an instrument's tick grid; a pinned price is used exactly (rounded to the tick). */
  tickPrice(coin: string, t: number, tick: Dec): Dec {
    const seg = this.segmentAt(coin, t);
    if (seg?.kind === 'pin') return roundTo(d(seg.price), tick);
    return roundTo(d(this.priceAt(coin, t).toFixed(12)), tick);
  }

  /** Synthetic traded base volume during one minute. */
  volume(coin: string, minute: number): number {
    const list = this.#csv?.get(coin);
    if (list) return csvVolumeAt(list, (minute - this.#epochMinute) * MINUTE, MINUTE);
    const spec = coinSpec(coin) ?? COINS[0]!;
    return spec.minuteVolume * (0.3 + 1.4 * uniform(this.#state.seed, coinStream(coin), minute, 7));
  }

  /** Freeze the price of a coin from `t` on (a `/sim/price` call). */
  pin(coin: string, t: number, price: string): void {
    this.#pushSegment(coin, { from: t, kind: 'pin', price });
  }

  /** Let a pinned coin walk again, continuing from its current price. */
  release(coin: string, t: number): void {
    const current = this.priceAt(coin, t);
    this.#pushSegment(coin, { from: t, kind: 'scale', factor: current / this.rawPrice(coin, t) });
  }

  #pushSegment(coin: string, seg: PriceSegment): void {
    const list = (this.#state.priceSegments[coin] ??= []);
    while (list.length && list[list.length - 1]!.from >= seg.from) list.pop();
    list.push(seg);
  }

  #walk(coin: string): Walk {
    let w = this.#walks.get(coin);
    if (!w) {
      const spec = coinSpec(coin) ?? COINS[0]!;
      const x0 = Math.log(Number(spec.startPrice));
      w = { spec, stream: coinStream(coin), x0, forward: new Float64Array(CHUNK), forwardLen: 1, backward: new Float64Array(CHUNK), backwardLen: 1 };
      w.forward[0] = x0;
      w.backward[0] = x0;
      this.#walks.set(coin, w);
    }
    return w;
  }

  #extendForward(w: Walk, len: number): void {
    if (w.forwardLen >= len) return;
    if (w.forward.length < len) w.forward = grow(w.forward, len);
    const { sigma } = w.spec;
    for (let k = w.forwardLen; k < len; k++) {
      const prev = w.forward[k - 1]!;
      w.forward[k] = prev + sigma * gaussian(this.#state.seed, w.stream, k) - MEAN_REVERSION * (prev - w.x0);
    }
    w.forwardLen = len;
  }

  #extendBackward(w: Walk, len: number): void {
    if (w.backwardLen >= len) return;
    if (w.backward.length < len) w.backward = grow(w.backward, len);
    const { sigma } = w.spec;
    for (let k = w.backwardLen; k < len; k++) {
      const prev = w.backward[k - 1]!;
      w.backward[k] = prev + sigma * gaussian(this.#state.seed, w.stream, -k) - MEAN_REVERSION * (prev - w.x0);
    }
    w.backwardLen = len;
  }
}

function grow(arr: Float64Array, min: number): Float64Array {
  const next = new Float64Array(Math.max(min + CHUNK, arr.length * 2));
  next.set(arr);
  return next;
}
