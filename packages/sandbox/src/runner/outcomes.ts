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
  const name = typeof raw?.name === 'string' ? cap(raw.name, MAX_ERROR_NAME) : 'Error';
  const message = typeof raw?.message === 'string' ? cap(raw.message, MAX_ERROR_MESSAGE) : 'unknown error';
  const error: RunError = { name, message };
  if (typeof raw?.code === 'string') error.code = cap(raw.code, MAX_ERROR_NAME);
  const stack = userStack(name, message, typeof raw?.stack === 'string' ? cap(raw.stack, MAX_ERROR_STACK) : undefined, mapper, fileName);
  if (stack) error.stack = cap(stack, MAX_ERROR_STACK);
  return error;
}

/**
 * Caps on an error's text as it leaves the runner: the prelude builds these fields, but worker
 * code can change what it serialises (e.g. an Object.prototype.toJSON), and they are stored with
 * every failed tick (TickRun.error, Worker.lastError).
 */
const MAX_ERROR_NAME = 200;
const MAX_ERROR_MESSAGE = 4_096;
const MAX_ERROR_STACK = 16_384;

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [truncated]`;
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
    return unreadable();
  }
  if (typeof result !== 'object' || result === null || typeof finished !== 'object' || finished === null) return unreadable();
  const droppedLogs = Number.isSafeInteger(finished.droppedLogs) && (finished.droppedLogs as number) >= 0 ? finished.droppedLogs as number : 0;
  // Worker code can tamper with what the prelude serialises (an Object.prototype.toJSON): every
  // state value and the return value must still be JSON, or the result is not believed at all.
  const state = validState(finished.state);
  if (finished.state !== undefined && state === null) return unreadable();
  if (result.ok !== true) return { outcome: { status: 'error', state, error: toError(typeof result.error === 'object' && result.error !== null ? result.error : undefined) }, droppedLogs };
  if (result.ret !== undefined && (typeof result.ret !== 'string' || !isJson(result.ret))) return unreadable();
  return { outcome: { status: 'ok', state, returnJson: result.ret as string | undefined }, droppedLogs };
}

export function refusal(code: string, message: string): string {
  return JSON.stringify({ name: 'SandboxError', code, message });
}

function timeout(code: string, message: string): Outcome {
  return { status: 'timeout', state: null, error: { name: 'TimeoutError', code, message } };
}

function unreadable(): { outcome: Outcome; droppedLogs: number } {
  return { outcome: { status: 'error', state: null, error: { name: 'SandboxError', code: 'BAD_RESULT', message: 'the sandbox could not read the run result (was something the sandbox serialises changed, e.g. Object.prototype.toJSON?)' } }, droppedLogs: 0 };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function validState(state: unknown): [string, string][] | null {
  if (!Array.isArray(state)) return null;
  const keys = new Set<string>();
  for (const entry of state) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') return null;
    if (keys.has(entry[0]) || !isJson(entry[1])) return null;
    keys.add(entry[0]);
  }
  return state as [string, string][];
}
