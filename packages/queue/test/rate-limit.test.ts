import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createRedis } from '../src/redis.ts';
import { takeRateSlot } from '../src/rate-limit.ts';

const redis = createRedis(inject('redisUrl'));
afterAll(() => redis.quit());

describe('takeRateSlot (GCRA on Redis time)', () => {
  it('allows a burst, then one slot per interval, and says how long to wait', async () => {
    const key = `test:rate:${randomUUID()}`;
    const limit = { burst: 3, intervalMs: 400 };
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) waits.push((await takeRateSlot(redis, key, limit)).retryAfterMs);
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThan(300);
    expect(waits[3]).toBeLessThanOrEqual(400);
    await new Promise((r) => setTimeout(r, waits[3]! + 20));
    expect((await takeRateSlot(redis, key, limit)).retryAfterMs).toBe(0);
    expect((await takeRateSlot(redis, key, limit)).retryAfterMs).toBeGreaterThan(0);
    // The key expires once the budget is whole again; nothing is left behind.
    expect(await redis.pttl(key)).toBeLessThanOrEqual(3 * 400);
  });

  it('keeps keys apart', async () => {
    const limit = { burst: 1, intervalMs: 60_000 };
    const a = `test:rate:${randomUUID()}`;
    expect((await takeRateSlot(redis, a, limit)).retryAfterMs).toBe(0);
    expect((await takeRateSlot(redis, a, limit)).retryAfterMs).toBeGreaterThan(59_000);
    expect((await takeRateSlot(redis, `test:rate:${randomUUID()}`, limit)).retryAfterMs).toBe(0);
  });
});
