import { describe, expect, it } from 'vitest';
import { BitgetRateLimitError } from './errors.ts';
import { createRateLimiterRegistry, DEFAULT_QUEUE_MARGIN_MS, RATE_LIMITS } from './rate-limiter.ts';

function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('rate limiter registry', () => {
  it('allows a burst of one second worth of tokens, then queues', () => {
    const clock = fakeClock();
    const reg = createRateLimiterRegistry({ now: clock.now, queueMarginMs: 0 });
    for (let i = 0; i < 10; i++) expect(reg.reserve('k1', 'orders', 2000)).toBe(0);
    expect(reg.reserve('k1', 'orders', 2000)).toBe(100);
    expect(reg.reserve('k1', 'orders', 2000)).toBe(200);
  });

  it('refills with time', () => {
    const clock = fakeClock();
    const reg = createRateLimiterRegistry({ now: clock.now, queueMarginMs: 0 });
    for (let i = 0; i < 10; i++) reg.reserve('k1', 'orders', 2000);
    clock.advance(1000);
    for (let i = 0; i < 10; i++) expect(reg.reserve('k1', 'orders', 2000)).toBe(0);
    expect(reg.reserve('k1', 'orders', 2000)).toBeGreaterThan(0);
  });

  it('fails with RATE_LIMITED naming the class when the wait exceeds the bound', () => {
    const clock = fakeClock();
    const reg = createRateLimiterRegistry({ now: clock.now, queueMarginMs: 0 });
    expect(reg.reserve('k1', 'close-positions', 500)).toBe(0);
    let err: unknown;
    try {
      reg.reserve('k1', 'close-positions', 500);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BitgetRateLimitError);
    expect((err as BitgetRateLimitError).code).toBe('RATE_LIMITED');
    expect((err as BitgetRateLimitError).rateClass).toBe('close-positions');
    expect((err as Error).message).toContain("'close-positions'");
    // a refused reservation does not consume a token
    clock.advance(1000);
    expect(reg.reserve('k1', 'close-positions', 0)).toBe(0);
  });

  it('keeps scopes and classes apart', () => {
    const clock = fakeClock();
    const reg = createRateLimiterRegistry({ now: clock.now, queueMarginMs: 0 });
    for (let i = 0; i < 5; i++) reg.reserve('k1', 'all-position', 0);
    expect(() => reg.reserve('k1', 'all-position', 0)).toThrow(BitgetRateLimitError);
    expect(reg.reserve('k2', 'all-position', 0)).toBe(0);
    expect(reg.reserve('k1', 'account', 0)).toBe(0);
  });

  it('acquire sleeps for the reserved wait', async () => {
    const clock = fakeClock();
    const slept: number[] = [];
    const reg = createRateLimiterRegistry({ now: clock.now, queueMarginMs: 0, sleep: async (ms) => void slept.push(ms) });
    for (let i = 0; i < 6; i++) await reg.acquire('k', 'account-settings', 2000);
    expect(slept).toEqual([200]);
  });

  it('acquire answers a free token synchronously (undefined) and a queued one with a promise', async () => {
    const clock = fakeClock();
    const reg = createRateLimiterRegistry({ now: clock.now, queueMarginMs: 0, sleep: async () => {} });
    for (let i = 0; i < 5; i++) expect(reg.acquire('k', 'account-settings', 2000)).toBeUndefined();
    const queued = reg.acquire('k', 'account-settings', 2000);
    expect(queued).toBeInstanceOf(Promise);
    await queued;
    expect(() => reg.acquire('k', 'account-settings', 0)).toThrow(BitgetRateLimitError);
  });

  it('adds the queue margin to queued waits only, outside the maxWait bound and the spacing', () => {
    const clock = fakeClock();
    const reg = createRateLimiterRegistry({ now: clock.now });
    for (let i = 0; i < 5; i++) expect(reg.reserve('k', 'account-settings', 200)).toBe(0);
    expect(reg.reserve('k', 'account-settings', 200)).toBe(200 + DEFAULT_QUEUE_MARGIN_MS);
    expect(reg.reserve('k', 'account-settings', 400)).toBe(400 + DEFAULT_QUEUE_MARGIN_MS);
    expect(() => reg.reserve('k', 'account-settings', 500)).toThrow(BitgetRateLimitError);
  });

  it("gives a shared registry its share of every limit, and says so when it refuses", () => {
    const clock = fakeClock();
    const reg = createRateLimiterRegistry({ now: clock.now, queueMarginMs: 0, share: 0.25 });
    // public: 20/s per IP, a quarter of it = 5/s: a burst of 5, then one every 200 ms.
    for (let i = 0; i < 5; i++) expect(reg.reserve('ip', 'public', 2000)).toBe(0);
    expect(reg.reserve('ip', 'public', 2000)).toBe(200);
    expect(reg.reserve('ip', 'public', 2000)).toBe(400);
    expect(() => reg.reserve('ip', 'public', 100)).toThrow(/'public' \(5\/s, this process's share of 20\/s\)/);
    // A class below one call per second still lets one call through at once.
    expect(reg.reserve('k', 'close-positions', 10_000)).toBe(0);
    expect(reg.reserve('k', 'close-positions', 10_000)).toBe(4000);
  });

  it('refuses a share outside (0, 1]', () => {
    for (const share of [0, -1, 1.5, Number.NaN]) expect(() => createRateLimiterRegistry({ share })).toThrow(RangeError);
  });

  it('documents the contract limits', () => {
    expect(RATE_LIMITS.orders.perSecond).toBe(10);
    expect(RATE_LIMITS['close-positions'].perSecond).toBe(1);
    expect(RATE_LIMITS['account-settings'].perSecond).toBe(5);
    expect(RATE_LIMITS.account.perSecond).toBe(10);
    expect(RATE_LIMITS['all-position'].perSecond).toBe(5);
    expect(RATE_LIMITS.public).toEqual({ perSecond: 20, scope: 'ip' });
  });
});
