import type { SandboxLimits } from '../limits.ts';
import type { HostShape } from '../protocol.ts';
import type { LogEntry, LogLevel } from '../types.ts';

const LEVELS = new Set<string>(['debug', 'info', 'warn', 'error']);

/**
 * Host-side bookkeeping of one setup/tick inside a runner. The prelude enforces the same caps
 * for speed, but only these counters are trusted.
 */
export class RunSession {
  readonly runId: number;
  readonly limits: SandboxLimits;
  readonly shape: HostShape;
  readonly startedAt = performance.now();
  readonly logs: LogEntry[] = [];
  logBytes = 0;
  droppedLogs = 0;
  hostCalls = 0;
  lateCalls = 0;
  finished = false;
  readonly lateWhat = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(runId: number, limits: SandboxLimits, shape: HostShape) {
    this.runId = runId;
    this.limits = limits;
    this.shape = shape;
  }

  /** Records a log line from the isolate (capped); returns the entry kept, if any. */
  addLog(level: unknown, text: unknown): LogEntry | undefined {
    if (typeof level !== 'string' || !LEVELS.has(level) || typeof text !== 'string') return undefined;
    if (this.logs.length >= this.limits.maxLogLines || this.logBytes >= this.limits.maxLogBytes) {
      this.droppedLogs++;
      return undefined;
    }
    let message = text;
    let bytes = Buffer.byteLength(message);
    const room = this.limits.maxLogBytes - this.logBytes;
    if (bytes > room) {
      message = Buffer.from(message).subarray(0, room).toString('utf8').replace(/\uFFFD$/, '');
      message += '… [line truncated]';
      bytes = room;
    }
    this.logBytes += bytes;
    const entry: LogEntry = { level: level as LogLevel, message, at: Date.now() };
    this.logs.push(entry);
    return entry;
  }

  /** Appends the truncation marker; `reportedDropped` is the prelude's count (untrusted, clamped). */
  closeLogs(reportedDropped: number): void {
    const dropped = Math.max(this.droppedLogs, Math.min(Math.trunc(reportedDropped) || 0, 1_000_000_000));
    if (dropped > 0) {
      this.logs.push({
        level: 'warn',
        message: `[log truncated: ${dropped} more line(s) dropped; limits are ${this.limits.maxLogLines} lines and ${this.limits.maxLogBytes} bytes per run]`,
        at: Date.now(),
      });
    }
  }

  isHostFunction(ns: unknown, fn: unknown): ns is string {
    return (
      typeof ns === 'string' &&
      typeof fn === 'string' &&
      Object.hasOwn(this.shape, ns) &&
      this.shape[ns]!.includes(fn)
    );
  }

  remainingWallMs(): number {
    return Math.max(0, this.limits.wallTimeoutMs - (performance.now() - this.startedAt));
  }

  timer(ms: number, fire: () => void): void {
    const handle = setTimeout(() => {
      this.#timers.delete(handle);
      fire();
    }, ms);
    this.#timers.add(handle);
  }

  end(): void {
    this.finished = true;
    for (const handle of this.#timers) clearTimeout(handle);
    this.#timers.clear();
  }
}

/** A ctx call's argument list as the bridge carries it: JSON texts, null for undefined. */
export function isArgList(value: unknown): value is (string | null)[] {
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) {
    const arg: unknown = value[i];
    if (arg !== null && typeof arg !== 'string') return false;
  }
  return true;
}
