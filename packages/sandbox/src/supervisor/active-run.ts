import type { SandboxLimits } from '../limits.ts';
import type { RunMessage } from '../protocol.ts';
import type { HostApi, LogEntry, RunRequest, RunResult } from '../types.ts';
import type { RunnerProcess } from './runner-process.ts';

/** One run the supervisor has dispatched and not yet settled. */
export interface ActiveRun {
  runId: number;
  runner: RunnerProcess;
  request: RunRequest;
  host: HostApi;
  limits: SandboxLimits;
  inputEntries: [string, string][];
  startedAt: number;
  hostCalls: number;
  /** ctx calls the runner reports (forwarded + runner-local), clamped to the budget. */
  localHostCalls: number;
  /** Host calls still running, and who to tell when they are all done. */
  pending: number;
  drained: (() => void) | undefined;
  backstop: NodeJS.Timeout;
  unresponsive: boolean;
  message?: RunMessage;
  onLog: ((entry: LogEntry) => void) | undefined;
  /** Entries already handed to onLog (the first ones of the outcome's logs). */
  streamed: number;
  resolve(result: RunResult): void;
  reject(error: Error): void;
}

/** A count the (untrusted) runner reported, as an integer in [0, max]. */
export function clampCount(value: unknown, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(0, Math.trunc(value))) : 0;
}
