import { BitgetRateLimitError } from './errors.ts';

/**
 * Endpoint classes and their documented limits (CONTRACT §6). Bitget counts each endpoint
 * separately; grouping endpoints of equal limit into one bucket is deliberately conservative.
 */
export const RATE_LIMITS = {
  public: { perSecond: 20, scope: 'ip' },
  orders: { perSecond: 10, scope: 'key' },
  'batch-orders': { perSecond: 5, scope: 'key' },
  'close-positions': { perSecond: 1, scope: 'key' },
  'account-settings': { perSecond: 5, scope: 'key' },
  account: { perSecond: 10, scope: 'key' },
  'all-position': { perSecond: 5, scope: 'key' },
  'spot-order-reads': { perSecond: 20, scope: 'key' },
} as const satisfies Record<string, { perSecond: number; scope: 'ip' | 'key' }>;

export type RateClass = keyof typeof RATE_LIMITS;

/** What a client needs of a limiter (the scheduler shares per-key buckets across processes through Redis). */
export interface RateLimiter {
  /**
   * Takes one token of `rateClass` in `scope`: undefined when it may be used at once, else a
   * promise that resolves when it may. Throws or rejects with BitgetRateLimitError (code
   * "RATE_LIMITED") when the wait would exceed `maxWaitMs`. (Answering a free token
   * synchronously spares the hot path of every call a promise and its microtask.)
   */
  acquire(scope: string, rateClass: RateClass, maxWaitMs: number): Promise<void> | undefined;
}

export interface RateLimiterRegistry extends RateLimiter {
  /**
   * Reserves one token of `rateClass` in `scope`: undefined when it may be used at once, else a
   * promise of the wait. Throws BitgetRateLimitError (code "RATE_LIMITED") when the wait would
   * exceed `maxWaitMs`.
   */
  acquire(scope: string, rateClass: RateClass, maxWaitMs: number): Promise<void> | undefined;
  /** Same reservation without sleeping: returns the wait in ms, or throws like acquire. */
  reserve(scope: string, rateClass: RateClass, maxWaitMs: number): number;
}

/** Added to every non-zero wait; see RateLimiterRegistryOptions.queueMarginMs. */
export const DEFAULT_QUEUE_MARGIN_MS = 100;

export interface RateLimiterRegistryOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /**
   * Extra delay of every queued (non-zero) wait. The exchange's bucket starts when the first
   * request ARRIVES; when the burst that emptied it travelled slower than a later request (a fresh
   * connection, TLS), a request sent exactly on the local schedule reaches the exchange before its
   * token and is answered 429. The margin absorbs that difference. It does not count against
   * `maxWaitMs` and does not change the spacing of queued calls. Default 100.
   */
  queueMarginMs?: number;
  /**
   * This registry's share of every limit, in (0, 1]: when N processes call from one IP (the
   * scheduler's sandbox runners each serve public calls), each gets 1/N of the per-IP budget so
   * that together they stay within it. Default 1.
   */
  share?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Token buckets with burst = one second of tokens. Reservations may drive a bucket negative so
 * concurrent callers queue behind each other instead of all waking at the same instant.
 * One registry must be shared by every client that uses the same key (created by the host).
 */
export function createRateLimiterRegistry(options: RateLimiterRegistryOptions = {}): RateLimiterRegistry {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const marginMs = Math.max(0, options.queueMarginMs ?? DEFAULT_QUEUE_MARGIN_MS);
  const share = options.share ?? 1;
  if (!(share > 0 && share <= 1)) throw new RangeError(`rate limiter share must be in (0, 1], got ${String(options.share)}`);
  const buckets = new Map<string, Bucket>();

  function reserve(scope: string, rateClass: RateClass, maxWaitMs: number): number {
    const documented = RATE_LIMITS[rateClass].perSecond;
    const perSecond = documented * share;
    const id = `${scope}|${rateClass}`;
    const t = now();
    // Burst: one second of tokens, but at least one (a 1/s class shared by 3 still gets a call through).
    const burst = Math.max(1, perSecond);
    const bucket = buckets.get(id) ?? { tokens: burst, updatedAt: t };
    const elapsed = Math.max(0, t - bucket.updatedAt);
    const tokens = Math.min(burst, bucket.tokens + (elapsed * perSecond) / 1000) - 1;
    const waitMs = tokens >= 0 ? 0 : Math.ceil((-tokens * 1000) / perSecond);
    if (waitMs > maxWaitMs) {
      const rate = share === 1 ? `${documented}/s` : `${+perSecond.toFixed(2)}/s, this process's share of ${documented}/s`;
      throw new BitgetRateLimitError(
        'RATE_LIMITED',
        `Rate limit of endpoint class '${rateClass}' (${rate}) reached; no slot within ${maxWaitMs} ms`,
        { rateClass },
      );
    }
    buckets.set(id, { tokens, updatedAt: t });
    return waitMs === 0 ? 0 : waitMs + marginMs;
  }

  return {
    reserve,
    acquire(scope, rateClass, maxWaitMs) {
      const waitMs = reserve(scope, rateClass, maxWaitMs);
      return waitMs > 0 ? sleep(waitMs) : undefined;
    },
  };
}
