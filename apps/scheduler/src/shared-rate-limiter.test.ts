import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { BitgetRateLimitError, createRateLimiterRegistry } from '@tickbox/bitget';
import { createRedis } from '@tickbox/queue';
import { createSharedRateLimiter } from './shared-rate-limiter.ts';

// Two limiters on one Redis stand for two scheduler processes.
const redisA = createRedis(inject('redisUrl'));
const redisB = createRedis(inject('redisUrl'));
afterAll(async () => { await redisA.quit(); await redisB.quit(); });

describe('shared Bitget rate limiter (per-key buckets in Redis)', () => {
  it('shares a key\'s bucket between scheduler processes: 10 orders/s in all, then queued slots', async () => {
    const prefix = `test-${randomUUID()}`;
    const a = createSharedRateLimiter(redisA, { prefix, queueMarginMs: 0 });
    const b = createSharedRateLimiter(redisB, { prefix, queueMarginMs: 0 });
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) waits.push(await (i % 2 === 0 ? a : b).reserve('key:abc', 'orders', 2_000));
    expect(waits).toEqual(Array(10).fill(0));
    const queued = await b.reserve('key:abc', 'orders', 2_000);
    expect(queued).toBeGreaterThan(0);
    expect(queued).toBeLessThanOrEqual(100);
    // Another key, another class: their own budgets.
    expect(await a.reserve('key:def', 'orders', 0)).toBe(0);
    expect(await a.reserve('key:abc', 'account', 0)).toBe(0);
  });

  it('refuses with RATE_LIMITED naming the class when the next slot is beyond the bound', async () => {
    const prefix = `test-${randomUUID()}`;
    const a = createSharedRateLimiter(redisA, { prefix, queueMarginMs: 0 });
    const b = createSharedRateLimiter(redisB, { prefix, queueMarginMs: 0 });
    await a.acquire('key:abc', 'close-positions', 0);
    const refused = await b.reserve('key:abc', 'close-positions', 200).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BitgetRateLimitError);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', rateClass: 'close-positions' });
    expect((refused as Error).message).toMatch(/'close-positions' \(1\/s per API key, shared by every worker on this key\)/);
  });

  it('keeps per-IP classes in the process', async () => {
    const prefix = `test-${randomUUID()}`;
    const a = createSharedRateLimiter(redisA, { prefix, queueMarginMs: 0 });
    for (let i = 0; i < 20; i++) expect(await a.reserve('ip:api.bitget.com', 'public', 2_000)).toBe(0);
    expect(await a.reserve('ip:api.bitget.com', 'public', 2_000)).toBeGreaterThan(0);
    expect(await redisA.keys(`${prefix}:*`)).toEqual([]);
  });

  it('limits in the process when Redis does not answer, and says so once', async () => {
    const down = createRedis('redis://127.0.0.1:1', { lazy: true });
    down.on('error', () => {});
    const warnings: unknown[] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args) } as never;
    // A stopped clock: the 100 ms timeouts must not refill the local bucket meanwhile.
    const local = createRateLimiterRegistry({ queueMarginMs: 0, now: () => 1_000_000 });
    const limiter = createSharedRateLimiter(down, { prefix: 'x', logger, local, queueMarginMs: 0, redisTimeoutMs: 100 });
    for (let i = 0; i < 10; i++) expect(await limiter.reserve('key:abc', 'orders', 2_000)).toBe(0);
    expect(await limiter.reserve('key:abc', 'orders', 2_000)).toBeGreaterThan(0);
    expect(warnings).toHaveLength(1);
    down.disconnect();
  });
});
