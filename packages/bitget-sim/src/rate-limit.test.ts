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
});
