import { describe, expect, it } from 'vitest';
import { MAX_GRID_STEP_MS, timeoutOnGrid } from './entry-timeout.ts';

describe('timeoutOnGrid', () => {
  it('never gives less than the budget left, and at most one grid step (+1 ms rounding) more', () => {
    for (const limit of [40, 100, 1_000, 30_000]) {
      const step = Math.min(MAX_GRID_STEP_MS, Math.floor(limit / 20));
      for (let i = 0; i < 500; i++) {
        const now = 1_700_000_000_000 + i * 0.37;
        const left = 1 + ((i * 7) % limit);
        const timeout = timeoutOnGrid(left, limit, now);
        expect(Number.isInteger(timeout)).toBe(true);
        expect(timeout).toBeGreaterThanOrEqual(left);
        expect(timeout).toBeLessThanOrEqual(left + step + 1);
      }
    }
  });

  it('puts the deadlines of entries that start within one grid step on one point', () => {
    // A tick making ctx calls every 0.3 ms with a 1 s CPU limit: 50 ms grid.
    const start = 1_700_000_000_000.25;
    const deadlines = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const now = start + i * 0.3;
      deadlines.add(Math.floor((now + timeoutOnGrid(1_000 - i * 0.02, 1_000, now)) / 50));
    }
    // 30 ms of calls span at most two grid points (instead of 100 distinct deadlines).
    expect(deadlines.size).toBeLessThanOrEqual(2);
  });

  it('uses the exact budget for limits too small for a grid', () => {
    expect(timeoutOnGrid(17, 30, 1_700_000_000_000.5)).toBe(17);
  });
});
