// Bitget's per-key limits (orders 10/s, account reads 10/s, ...) are per API key, not per process:
// with several scheduler processes (DESIGN: "add schedulers to scale") the workers of one key run
// in different processes, so their buckets must live in Redis, on Redis's clock. Per-IP classes
// stay in the process (each process has its own sender IP budget to keep, see decisions.md).
import { setTimeout as delay } from 'node:timers/promises';
import { ReplyError } from 'ioredis';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { BitgetRateLimitError, createRateLimiterRegistry, DEFAULT_QUEUE_MARGIN_MS, RATE_LIMITS } from '@tickbox/bitget';
import type { RateClass, RateLimiter, RateLimiterRegistry } from '@tickbox/bitget';
import { reserveRateSlot } from '@tickbox/queue';

export interface SharedRateLimiterOptions {
  /** Redis key prefix (the queue prefix): buckets are `<prefix>:bitget-rate:<scope>|<class>`. */
  prefix: string;
  logger?: Logger;
  /** Where per-IP classes are counted, and the fallback while Redis cannot be reached. */
  local?: RateLimiterRegistry;
  sleep?: (ms: number) => Promise<void>;
  /** As RateLimiterRegistryOptions.queueMarginMs. */
  queueMarginMs?: number;
  /** Default DEFAULT_REDIS_TIMEOUT_MS. */
  redisTimeoutMs?: number;
}

/** How long a bucket lookup may take before the call is limited in this process instead. */
export const DEFAULT_REDIS_TIMEOUT_MS = 500;

/** After Redis failed to answer, calls are limited in this process for this long before Redis is tried again. */
const REDIS_RETRY_MS = 5_000;

/** The scheduler's Redis client queues commands while disconnected (BullMQ needs that): bound the wait. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}


/** A RateLimiter whose per-key buckets are shared by every scheduler process on one Redis. */
export function createSharedRateLimiter(redis: Redis, options: SharedRateLimiterOptions): RateLimiter & { reserve(scope: string, rateClass: RateClass, maxWaitMs: number): Promise<number> } {
  const local = options.local ?? createRateLimiterRegistry();
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const marginMs = Math.max(0, options.queueMarginMs ?? DEFAULT_QUEUE_MARGIN_MS);
  let warned = false;
  let bypassUntil = 0;

  async function reserve(scope: string, rateClass: RateClass, maxWaitMs: number): Promise<number> {
    const limit = RATE_LIMITS[rateClass];
    if (limit.scope === 'ip' || Date.now() < bypassUntil) return local.reserve(scope, rateClass, maxWaitMs);
    let wait: number | null;
    try {
      wait = await within(
        reserveRateSlot(redis, `${options.prefix}:bitget-rate:${scope}|${rateClass}`, { burst: limit.perSecond, intervalMs: 1000 / limit.perSecond }, maxWaitMs),
        options.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS,
      );
    } catch (err) {
      // An error answer from Redis is a defect of the script, not an outage: fail loudly.
      if (err instanceof ReplyError) throw err;
      // Redis unreachable mid-tick: keep limiting in this process rather than failing the call.
      if (!warned) options.logger?.warn({ err }, 'shared Bitget rate limits unavailable (Redis); limiting per process until it is back');
      warned = true;
      // Do not make every call wait for the timeout during an outage: retry Redis a few seconds later.
      bypassUntil = Date.now() + REDIS_RETRY_MS;
      return local.reserve(scope, rateClass, maxWaitMs);
    }
    warned = false;
    if (wait === null) {
      throw new BitgetRateLimitError(
        'RATE_LIMITED',
        `Rate limit of endpoint class '${rateClass}' (${limit.perSecond}/s per API key, shared by every worker on this key) reached; no slot within ${maxWaitMs} ms`,
        { rateClass },
      );
    }
    return wait === 0 ? 0 : wait + marginMs;
  }

  return {
    reserve,
    async acquire(scope, rateClass, maxWaitMs) {
      const waitMs = await reserve(scope, rateClass, maxWaitMs);
      if (waitMs > 0) await sleep(waitMs);
    },
  };
}
