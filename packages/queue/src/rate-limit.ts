import type { Redis } from 'ioredis';

// GCRA (a token bucket kept as one timestamp): at most `burst` at once, then one per interval.
// Redis's own clock, so every api process shares one limit per key. Returns 0 when allowed,
// else the milliseconds until the next one would be.
const GCRA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - now - (burst - 1) * interval
if wait > 0 then return math.ceil(wait) end
tat = tat + interval
redis.call('SET', KEYS[1], tat, 'PX', math.ceil(tat - now))
return 0
`;

/** Takes one slot of `key`'s budget; `retryAfterMs` is 0 when it was taken. */
export async function takeRateSlot(redis: Redis, key: string, limit: { burst: number; intervalMs: number }): Promise<{ retryAfterMs: number }> {
  const wait = await redis.eval(GCRA, 1, key, limit.intervalMs, limit.burst);
  return { retryAfterMs: Number(wait) };
}

// Intervals may be fractional (1000 / 3 ms): times are kept as Lua numbers, while PX and the
// returned wait are rounded up to whole milliseconds (Redis wants integers; never wait too little).
// The same GCRA, queueing instead of refusing: a caller takes the next free slot even when it is in
// the future (and waits for it), unless that is more than ARGV[3] ms away (-1, nothing taken).
const GCRA_RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - now - (burst - 1) * interval
if wait < 0 then wait = 0 end
if wait > maxWait then return -1 end
tat = tat + interval
redis.call('SET', KEYS[1], tat, 'PX', math.ceil(tat - now))
return math.ceil(wait)
`;

/**
 * Reserves the next slot of `key`'s budget, shared by every process on this Redis: resolves with
 * the milliseconds to wait before using it (0 = now), or null when that would exceed `maxWaitMs`
 * (then nothing is reserved).
 */
export async function reserveRateSlot(redis: Redis, key: string, limit: { burst: number; intervalMs: number }, maxWaitMs: number): Promise<number | null> {
  const wait = Number(await redis.eval(GCRA_RESERVE, 1, key, limit.intervalMs, limit.burst, Math.max(0, Math.floor(maxWaitMs))));
  return wait < 0 ? null : wait;
}
