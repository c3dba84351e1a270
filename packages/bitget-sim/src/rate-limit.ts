/**
 * Token buckets per (endpoint, caller). Bitget computes each endpoint's limit independently
 * (CONTRACT.md §6); a bucket holds `perSecond` tokens and refills continuously.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Takes one token; false when the caller is over the limit. */
  take(endpoint: string, caller: string, perSecond: number): boolean {
    const key = `${endpoint}|${caller}`;
    const now = this.#now();
    const b = this.#buckets.get(key) ?? { tokens: perSecond, at: now };
    const elapsed = Math.max(0, now - b.at);
    b.tokens = Math.min(perSecond, b.tokens + (elapsed * perSecond) / 1000);
    b.at = now;
    // The epsilon absorbs floating-point drift of the partial refills: a request that arrives exactly
    // when a client-side bucket of the same rate allows it must not be refused.
    if (b.tokens < 1 - 1e-9) {
      this.#buckets.set(key, b);
      return false;
    }
    b.tokens = Math.max(0, b.tokens - 1);
    this.#buckets.set(key, b);
    if (this.#buckets.size > 50_000) this.#buckets.clear();
    return true;
  }
}
