import type { Redis } from 'ioredis';

// GCRA (a token bucket kept as one timestamp): at most `burst` at once, then one per interval, on
// Redis's own clock, so every process shares one limit per key. A caller takes the next free slot,
// even one in the future (it then waits for it), unless that is more than ARGV[3] ms away: then
// nothing is taken and the answer is minus the wait. Otherwise the answer is the wait (0 = now).
// Intervals may be fractional (1000 / 3 ms): times are kept as Lua numbers, while PX and the answer
// are rounded up to whole milliseconds (Redis wants integers; never wait too little).
const GCRA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - now - (burst - 1) * interval
if wait < 0 then wait = 0 end
if wait > maxWait then return -math.ceil(wait) end
tat = tat + interval
redis.call('SET', KEYS[1], tat, 'PX', math.ceil(tat - now))
return math.ceil(wait)
`;

type Limit = { burst: number; intervalMs: number };

const gcra = async (redis: Redis, key: string, limit: Limit, maxWaitMs: number): Promise<number> =>
  Number(await redis.eval(GCRA, 1, key, limit.intervalMs, limit.burst, Math.max(0, Math.floor(maxWaitMs))));

/** Takes one slot of `key`'s budget now; `retryAfterMs` is 0 when it was taken. */
export async function takeRateSlot(redis: Redis, key: string, limit: Limit): Promise<{ retryAfterMs: number }> {
  const answer = await gcra(redis, key, limit, 0);
  return { retryAfterMs: answer < 0 ? -answer : 0 };
}

/**
 * Reserves the next slot of `key`'s budget, shared by every process on this Redis: resolves with
 * the milliseconds to wait before using it (0 = now), or null when that would exceed `maxWaitMs`
 * (then nothing is reserved).
 */
export async function reserveRateSlot(redis: Redis, key: string, limit: Limit, maxWaitMs: number): Promise<number | null> {
  const answer = await gcra(redis, key, limit, maxWaitMs);
  return answer < 0 ? null : answer;
}
