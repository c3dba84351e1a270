import type { RunnerOutcome } from '../protocol.ts';
import type { SourceMapper } from '../source-map.ts';
import { userStack } from '../stack.ts';
import type { RunError } from '../types.ts';

/** What ends a run early: the wall timer, the CPU timeout, the heap limit, eviction or a broken isolate. */
export type Kill = 'wall' | 'cpu' | 'memory' | 'evicted' | 'broken';
export type Outcome = Omit<RunnerOutcome, 'logs' | 'cpuMs' | 'wallMs' | 'hostCalls' | 'lateCalls'>;

/** The outcome of a run the sandbox stopped. */
export function killedOutcome(kill: Kill | undefined, limits: { wallTimeoutMs: number; cpuTimeoutMs: number } | undefined, memoryMb: number, detail: string | undefined): Outcome {
  switch (kill) {
    case 'wall':
      return timeout('WALL_TIMEOUT', `Run exceeded the wall-clock limit of ${limits?.wallTimeoutMs} ms and was stopped`);
    case 'cpu':
      return timeout('CPU_TIMEOUT', `Run exceeded the CPU time limit of ${limits?.cpuTimeoutMs} ms and was stopped`);
    case 'memory':
      return {
        status: 'error',
        state: null,
        error: { name: 'RangeError', code: 'MEMORY_LIMIT', message: `Worker exceeded the memory limit of ${memoryMb} MB and was stopped` },
      };
    default:
      return {
        status: 'error',
        state: null,
        error: { name: 'SandboxError', code: 'ISOLATE_DISPOSED', message: `The sandbox stopped unexpectedly${detail ? `: ${detail.slice(0, 200)}` : ''}` },
      };
  }
}

/** An error raised by user code, reduced to plain fields with a stack of the user's own frames only. */
export function userError(raw: RunError | undefined, mapper: SourceMapper | undefined, fileName: string): RunError {
  const name = typeof raw?.name === 'string' ? raw.name : 'Error';
  const message = typeof raw?.message === 'string' ? raw.message : 'unknown error';
  const error: RunError = { name, message };
  if (typeof raw?.code === 'string') error.code = raw.code;
  const stack = userStack(name, message, raw?.stack, mapper, fileName);
  if (stack) error.stack = stack;
  return error;
}

/**
 * The outcome the prelude reported (`done`): untrusted JSON texts from the isolate. Returns the
 * outcome and the prelude's count of dropped log lines.
 */
export function reportedOutcome(resultJson: string, finishJson: string, toError: (raw: RunError | undefined) => RunError): { outcome: Outcome; droppedLogs: number } {
  let result: { ok?: unknown; ret?: unknown; error?: RunError };
  let finished: { state?: unknown; droppedLogs?: unknown };
  try {
    result = JSON.parse(resultJson) as typeof result;
    finished = JSON.parse(finishJson) as typeof finished;
  } catch {
    return { outcome: { status: 'error', state: null, error: { name: 'SandboxError', code: 'INTERNAL', message: 'the sandbox could not read the run result' } }, droppedLogs: 0 };
  }
  const droppedLogs = typeof finished.droppedLogs === 'number' ? finished.droppedLogs : 0;
  const state = validState(finished.state);
  if (result.ok !== true) return { outcome: { status: 'error', state, error: toError(result.error) }, droppedLogs };
  return { outcome: { status: 'ok', state, returnJson: typeof result.ret === 'string' ? result.ret : undefined }, droppedLogs };
}

export function refusal(code: string, message: string): string {
  return JSON.stringify({ name: 'SandboxError', code, message });
}

function timeout(code: string, message: string): Outcome {
  return { status: 'timeout', state: null, error: { name: 'TimeoutError', code, message } };
}

function validState(state: unknown): [string, string][] | null {
  if (!Array.isArray(state)) return null;
  for (const entry of state) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') return null;
  }
  return state as [string, string][];
}
