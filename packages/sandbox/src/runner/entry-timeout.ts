/**
 * The native timeout of one synchronous isolate entry.
 *
 * Each entry (a tick starting, a ctx result delivered) runs under isolated-vm's `timeout`, set to
 * the CPU time the run has left. isolated-vm arms one timer per timed entry on a shared timer
 * thread that sleeps until the earliest deadline and then pops every expired timer. When every
 * entry's deadline differs (one per ctx call, a few hundred µs apart) that thread wakes once per
 * call, long after the entry finished: a context switch per call competing with the runner for a
 * CPU, and the runner's main thread gets preempted.
 *
 * So the deadline is moved later, onto a grid shared by all entries: entries that start within
 * one grid step share a deadline (up to the ~1 ms granularity of the native timeout, which takes
 * whole milliseconds) and expire together. The grid step is at most 5% of the CPU limit and at
 * most 50 ms, so a spinning run is stopped at most that much past its budget; the CPU time it
 * used is still measured and reported exactly (isolate.cpuTime), and a run that used up its budget
 * across several entries is stopped before its next entry (IsolateHost checks the CPU used before
 * every re-entry), so the total overshoot is at most one grid step. Limits under 40 ms get no grid (the exact budget).
 */
export const MAX_GRID_STEP_MS = 50;

export function timeoutOnGrid(leftMs: number, limitMs: number, nowMs: number = performance.timeOrigin + performance.now()): number {
  const step = Math.min(MAX_GRID_STEP_MS, Math.floor(limitMs / 20));
  if (step < 2) return leftMs;
  return Math.ceil(Math.ceil((nowMs + leftMs) / step) * step - nowMs);
}

/** The timeout of an entry into a run that has used `usedMs` of its `limitMs` CPU budget (at least 1 ms left). */
export function entryTimeout(limitMs: number, usedMs: number): number {
  return timeoutOnGrid(Math.max(1, Math.ceil(limitMs - usedMs)), limitMs);
}
