import type { MarketData } from './market/market-data.ts';
import type { PriceFeed } from './market/price-feed.ts';
import { MINUTE } from './market/price-feed.ts';
import type { AccountState, SimState, SimulatorLogger } from './types.ts';

// Bitget ids are ~19-digit snowflakes; this epoch makes ours look the same (CONTRACT.md §4.2).
const ID_EPOCH = 1_435_000_000_000n;
const MAX_SYNC_STEPS = 20_000;

export interface MarketEvents {
  /** Resting orders, triggers and liquidations of every account at market time `t`. */
  evaluate(t: number): void;
  /** Funding settlements whose time falls in (from, to]. Returns those times. */
  fundingTimes(from: number, to: number): number[];
  settleFunding(t: number): void;
  hasActivity(): boolean;
}

/** Owner of the mutable simulator state and the clocks; engines receive it as their context. */
export class Exchange {
  readonly state: SimState;
  readonly feed: PriceFeed;
  readonly market: MarketData;
  readonly logger: SimulatorLogger;
  readonly #baseNow: () => number;
  readonly #onChange: () => void;
  #events: MarketEvents | undefined;
  #syncing = false;

  constructor(deps: { state: SimState; feed: PriceFeed; market: MarketData; now: () => number; logger: SimulatorLogger; onChange: () => void }) {
    this.state = deps.state;
    this.feed = deps.feed;
    this.market = deps.market;
    this.logger = deps.logger;
    this.#baseNow = deps.now;
    this.#onChange = deps.onChange;
  }

  setEvents(events: MarketEvents): void {
    this.#events = events;
  }

  /** Wall clock used for signatures and rate limits (no /sim/clock offset). */
  baseNow(): number {
    return this.#baseNow();
  }

  /** Simulated market time: base clock plus every /sim/clock advance. */
  now(): number {
    return this.#baseNow() + this.state.clockOffsetMs;
  }

  nextId(): string {
    const candidate = (BigInt(this.now()) - ID_EPOCH) << 22n;
    const last = BigInt(this.state.lastId);
    const id = candidate > last ? candidate : last + 1n;
    this.state.lastId = id.toString();
    return this.state.lastId;
  }

  account(apiKey: string): AccountState | undefined {
    return this.state.accounts[apiKey];
  }

  accounts(): AccountState[] {
    return Object.values(this.state.accounts);
  }

  changed(): void {
    this.#onChange();
  }

  /** Re-evaluates triggers and resting orders at the current instant (after a price change). */
  poke(): void {
    this.sync();
    this.#events?.evaluate(this.now());
    this.#onChange();
  }

  /**
   * Brings resting orders, triggers, liquidations and funding up to the current market time,
   * visiting every minute boundary in between (the feed is linear between them, so those are
   * the only points where a level can first be crossed).
   */
  sync(): void {
    const events = this.#events;
    if (!events || this.#syncing) return;
    const to = this.now();
    const from = this.state.lastSyncMs;
    if (to <= from) return;
    this.#syncing = true;
    try {
      if (events.hasActivity()) {
        const times: number[] = [];
        const firstMinute = Math.floor(from / MINUTE) + 1;
        const lastMinute = Math.floor(to / MINUTE);
        const count = Math.max(0, lastMinute - firstMinute + 1);
        const stride = Math.max(1, Math.ceil(count / MAX_SYNC_STEPS));
        for (let m = firstMinute; m <= lastMinute; m += stride) times.push(m * MINUTE);
        const funding = new Set(events.fundingTimes(from, to));
        for (const f of funding) times.push(f);
        times.push(to);
        times.sort((a, b) => a - b);
        let prev = -1;
        for (const t of times) {
          if (t === prev) continue;
          prev = t;
          events.evaluate(t);
          if (funding.has(t)) events.settleFunding(t);
        }
        this.#onChange();
      }
      this.state.lastSyncMs = to;
    } finally {
      this.#syncing = false;
    }
  }
}
