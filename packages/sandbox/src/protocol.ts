/** Messages between the supervisor (parent) and a runner child process (framed by channel.ts). */
import type { SandboxLimits } from './limits.ts';
import type { LogEntry, RunError } from './types.ts';

/** Host function names per namespace, as ctx is built from them inside the isolate. */
export type HostShape = Record<string, string[]>;

export interface RunnerConfig {
  maxIsolates: number;
  idleEvictMs: number;
  /** file: URL of the runner-local host module (SupervisorOptions.runnerHost). */
  runnerHostModule?: string;
}

export interface RunMessage {
  t: 'run';
  runId: number;
  isolateKey: string;
  workerKey: string;
  /** Omitted when the supervisor believes the runner has this isolate warm (saves IPC bytes). */
  compiled?: string;
  entry: 'setup' | 'tick';
  limits: SandboxLimits;
  shape: HostShape;
  /** {limits, state: [key, json][], worker, trigger, shape} as JSON, handed to the isolate unparsed. */
  payloadJson: string;
  /** Send each log entry as it is produced (`log` messages), not only with the result. */
  streamLogs?: boolean;
  /** JSON of RunRequest.runnerHostConfig: the runner-local host to use (only with a runnerHostModule). */
  runnerHostConfig?: string;
}

export interface CallResultMessage {
  t: 'callResult';
  runId: number;
  callId: number;
  ok: boolean;
  /** JSON of the value (ok) or of the sanitised error (not ok); undefined for an undefined value. */
  payload?: string;
}

export type ToRunner = RunMessage | CallResultMessage | { t: 'shutdown' };

export interface RunnerOutcome {
  status: 'ok' | 'error' | 'timeout';
  error?: RunError;
  /** [key, json] pairs after the run; null when the isolate died and the state is lost. */
  state: [string, string][] | null;
  returnJson?: string;
  logs: LogEntry[];
  cpuMs: number;
  wallMs: number;
  hostCalls: number;
  lateCalls: number;
  /** Runner-local ctx calls still in flight when the run settled (the runner waited for them before reporting). */
  localPending?: number;
  /** Why the runner-local host could not be created (for the supervisor's logger; not shown to users). */
  hostFailure?: string;
}

export type FromRunner =
  | { t: 'ready'; pid: number }
  | { t: 'call'; runId: number; callId: number; ns: string; fn: string; args: (string | null)[] }
  | { t: 'result'; runId: number; outcome: RunnerOutcome; isolates: number }
  | { t: 'stats'; isolates: number }
  /** A log entry of a run that asked for streamLogs, exactly as it will appear in the outcome's logs. */
  | { t: 'log'; runId: number; entry: LogEntry }
  /** The runner no longer has the isolate a code-less run message referred to. */
  | { t: 'needCode'; runId: number };
