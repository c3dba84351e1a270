import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter', () => {
  it('allows a burst of `perSecond` and refills continuously, per endpoint and caller', () => {
    const clock = { now: 0 };
    const rl = new RateLimiter(() => clock.now);
    const take = (caller = 'a', ep = '/x') => rl.take(ep, caller, 10);
    for (let i = 0; i < 10; i++) expect(take()).toBe(true);
    expect(take()).toBe(false);
    expect(take('b')).toBe(true);
    expect(take('a', '/y')).toBe(true);
    clock.now += 100;
    expect(take()).toBe(true);
    expect(take()).toBe(false);
  });

  it('does not refuse a request that is exactly on time after floating-point refills', () => {
    const clock = { now: 0 };
    const rl = new RateLimiter(() => clock.now);
    for (let i = 0; i < 5; i++) expect(rl.take('/x', 'a', 5)).toBe(true);
    clock.now = 201; // a request scheduled for 200 arrives a millisecond late
    expect(rl.take('/x', 'a', 5)).toBe(true);
    clock.now = 400; // the next slot: 0.005 + 0.995 tokens, 0.9999999999999999 in floating point
    expect(rl.take('/x', 'a', 5)).toBe(true);
    expect(rl.take('/x', 'a', 5)).toBe(false);
  });
});
