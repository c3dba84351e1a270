import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, resolveLimits } from './limits.ts';

describe('resolveLimits', () => {
  it('merges overrides in order and validates', () => {
    expect(resolveLimits(DEFAULT_LIMITS, { cpuTimeoutMs: 50 }, { maxSleepMs: 10 })).toEqual({ ...DEFAULT_LIMITS, cpuTimeoutMs: 50, maxSleepMs: 10 });
    expect(() => resolveLimits(DEFAULT_LIMITS, { memoryMb: 4 })).toThrow(/at least 8/);
    expect(() => resolveLimits(DEFAULT_LIMITS, { maxLogLines: Number.NaN })).toThrow(/maxLogLines/);
  });
});
