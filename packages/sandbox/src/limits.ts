import { SandboxError } from './errors.ts';

export interface SandboxLimits {
  /** V8 heap limit per isolate, in MB. isolated-vm treats it as a guideline: hostile code may reach 2-3x before it is killed. */
  memoryMb: number;
  /** CPU time one setup/tick may use (synchronous code and code after awaits alike). */
  cpuTimeoutMs: number;
  /** Wall-clock deadline for one setup/tick, including waits on ctx calls and ctx.sleep. The isolate is disposed when it passes. */
  wallTimeoutMs: number;
  /** ctx calls into the host (ctx.bitget.* and any other host namespace) per setup/tick. */
  maxHostCalls: number;
  /** Log lines kept per setup/tick; further lines are dropped and a truncation marker is added. */
  maxLogLines: number;
  /** UTF-8 bytes of log text kept per setup/tick. */
  maxLogBytes: number;
  /** UTF-8 bytes of ctx.state serialised as JSON. */
  maxStateBytes: number;
  /** UTF-8 bytes of the JSON of the value returned by setup/tick. */
  maxReturnBytes: number;
  /** Longest single ctx.sleep(ms). Unset: bounded only by the wall-clock deadline. */
  maxSleepMs?: number;
}

/** Defaults, documented in the package README (keep both in step). */
export const DEFAULT_LIMITS: SandboxLimits = Object.freeze({
  memoryMb: 64,
  cpuTimeoutMs: 1_000,
  wallTimeoutMs: 10_000,
  maxHostCalls: 100,
  maxLogLines: 200,
  maxLogBytes: 32 * 1024,
  maxStateBytes: 256 * 1024,
  maxReturnBytes: 16 * 1024,
});

const INTEGER_KEYS = [
  'memoryMb',
  'cpuTimeoutMs',
  'wallTimeoutMs',
  'maxHostCalls',
  'maxLogLines',
  'maxLogBytes',
  'maxStateBytes',
  'maxReturnBytes',
  'maxSleepMs',
] as const;

/** Merges overrides over a base and validates the result; throws SandboxError INVALID_LIMITS. */
export function resolveLimits(
  base: SandboxLimits,
  ...overrides: (Partial<SandboxLimits> | undefined)[]
): SandboxLimits {
  const merged: SandboxLimits = { ...base };
  for (const override of overrides) {
    if (!override) continue;
    for (const key of INTEGER_KEYS) {
      const value = override[key];
      if (value !== undefined) merged[key] = value;
    }
  }
  for (const key of INTEGER_KEYS) {
    const value = merged[key];
    if (value === undefined && key === 'maxSleepMs') continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new SandboxError('INVALID_LIMITS', `limit ${key} must be a non-negative finite number, got ${String(value)}`);
    }
  }
  // isolated-vm refuses isolates under 8 MB.
  if (merged.memoryMb < 8) throw new SandboxError('INVALID_LIMITS', 'limit memoryMb must be at least 8');
  if (merged.cpuTimeoutMs < 1 || merged.wallTimeoutMs < 1) {
    throw new SandboxError('INVALID_LIMITS', 'limits cpuTimeoutMs and wallTimeoutMs must be at least 1');
  }
  return merged;
}
