import type { SandboxLimits } from './limits.ts';

export type RunTrigger =
  | { type: 'schedule'; scheduledAt: number }
  | { type: 'manual' }
  | { type: 'webhook'; payload: unknown; receivedAt?: number };

export interface RunRequest {
  /** Warm isolate reuse key, e.g. `${workerId}:${versionId}`; a new key for the same worker rebuilds. */
  isolateKey: string;
  /** e.g. workerId: older isolates of the same worker are evicted when a new isolateKey appears. */
  workerKey: string;
  /** Output of compileWorker(). */
  compiled: string;
  entry: 'setup' | 'tick';
  state: Record<string, unknown>;
  worker: { id: string; name: string; mode: string };
  trigger: RunTrigger;
  limits?: Partial<SandboxLimits>;
  /**
   * Handed to the runner-local host module's `createRunnerHost(config)` (see
   * `SupervisorOptions.runnerHost`); must be JSON-serialisable. Without it (or without a
   * runnerHost module) every ctx call goes to the supervisor's host object.
   */
  runnerHostConfig?: unknown;
}

/** Namespaces of async host functions: ctx[ns][fn](...args). */
export type HostApi = Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  level: LogLevel;
  message: string;
  at: number;
}

export interface RunError {
  name: string;
  message: string;
  code?: string;
  /** Only frames in the user's own source, mapped to its original lines. */
  stack?: string;
}

export interface RunResult {
  status: 'ok' | 'error' | 'timeout' | 'crashed';
  error?: RunError;
  logs: LogEntry[];
  /** State after the run (also after a throw); on timeout/crash/memory kill: the input state. */
  state: Record<string, unknown>;
  stateChanged: boolean;
  /** JSON copy of the value setup/tick resolved to, if any. */
  returnValue?: unknown;
  cpuMs: number;
  wallMs: number;
  hostCalls: number;
  /** ctx calls refused because their tick had already finished. */
  lateCalls: number;
}

/** Per-run options of SandboxSupervisor.run(). */
export interface RunOptions {
  /**
   * Called with each log entry of this run as it is produced, while the run is still going (in
   * order; the same entries, after the same caps and truncation, as `RunResult.logs`, including
   * the sandbox's own trailing notes, which arrive just before run() resolves). Exceptions
   * thrown by the callback are reported to the supervisor's logger and otherwise ignored.
   */
  onLog?: (entry: LogEntry) => void;
}

/** pino-compatible: (details, message). `console` works too. */
export interface SandboxLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface SupervisorOptions {
  /** Runner child processes (default 1). A worker always goes to the same runner (by workerKey). */
  runners?: number;
  limits?: Partial<SandboxLimits>;
  /** Warm isolates kept per runner, least recently used evicted first (default 100). */
  maxIsolatesPerRunner?: number;
  /** A warm isolate unused for this long is disposed (default 5 minutes). */
  idleEvictMs?: number;
  logger?: SandboxLogger;
  /**
   * Optional runner-local host: an ES module (absolute path or file: URL) that each runner
   * imports once; it exports `createRunnerHost(config)` returning namespaces of async functions
   * (a `HostApi`). For a run with a `runnerHostConfig`, a ctx call whose function exists in the
   * runner-local host created for that config runs inside the runner (no process hop); any
   * other call goes to the host object given to run(). Runner processes run untrusted code:
   * never put anything secret in this module or its config.
   */
  runnerHost?: { module: string };
}

/** What a `SupervisorOptions.runnerHost` module exports. */
export interface RunnerHostModule {
  createRunnerHost(config: unknown): HostApi | Promise<HostApi>;
}

export interface SupervisorStats {
  runners: number;
  restarts: number;
  isolates: number;
}
