import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createRedis } from '../src/redis.ts';
import { reserveRateSlot, takeRateSlot } from '../src/rate-limit.ts';

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

describe('reserveRateSlot (queueing GCRA on Redis time)', () => {
  it('hands out the burst at once, then queues one slot per interval, and refuses beyond maxWait without taking a slot', async () => {
    const key = `test:rate:${randomUUID()}`;
    const limit = { burst: 3, intervalMs: 1_000 };
    const waits: (number | null)[] = [];
    for (let i = 0; i < 5; i++) waits.push(await reserveRateSlot(redis, key, limit, 10_000));
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThan(900);
    expect(waits[3]).toBeLessThanOrEqual(1_000);
    expect(waits[4]).toBeGreaterThan(1_900);
    expect(waits[4]).toBeLessThanOrEqual(2_000);
    // The next slot is ~3 s away: refused with a 2 s bound, and the refusal took nothing.
    expect(await reserveRateSlot(redis, key, limit, 2_000)).toBeNull();
    const next = await reserveRateSlot(redis, key, limit, 10_000);
    expect(next).toBeGreaterThan(2_900);
    expect(next).toBeLessThanOrEqual(3_000);
    expect(await reserveRateSlot(redis, `test:rate:${randomUUID()}`, limit, 0)).toBe(0);
  });

  it('takes fractional intervals (3 per second) and answers whole milliseconds, rounded up', async () => {
    const key = `test:rate:${randomUUID()}`;
    const limit = { burst: 3, intervalMs: 1000 / 3 };
    for (let i = 0; i < 3; i++) expect(await reserveRateSlot(redis, key, limit, 10_000)).toBe(0);
    const wait = await reserveRateSlot(redis, key, limit, 10_000);
    expect(Number.isInteger(wait)).toBe(true);
    expect(wait).toBeGreaterThan(300);
    expect(wait).toBeLessThanOrEqual(334);
    expect(Number.isInteger(await redis.pttl(key))).toBe(true);
    const refused = await takeRateSlot(redis, `test:rate:${randomUUID()}`, limit);
    expect(refused.retryAfterMs).toBe(0);
  });
});
