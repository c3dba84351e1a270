import { SandboxError } from '../errors.ts';
import type { SandboxLimits } from '../limits.ts';
import type { HostShape, RunnerOutcome } from '../protocol.ts';
import type { RunRequest, RunResult } from '../types.ts';

/** The input state as [key, json] pairs and the JSON the isolate's prelude starts a run from. */
export function runPayload(request: RunRequest, limits: SandboxLimits, shape: HostShape): { inputEntries: [string, string][]; payloadJson: string } {
  const inputEntries: [string, string][] = [];
  for (const [key, value] of Object.entries(request.state ?? {})) {
    const json = JSON.stringify(value);
    if (json !== undefined) inputEntries.push([key, json]);
  }
  const payloadJson = JSON.stringify({
    limits,
    state: inputEntries,
    worker: { id: request.worker.id, name: request.worker.name, mode: request.worker.mode },
    trigger: request.trigger,
    shape,
  });
  return { inputEntries, payloadJson };
}

/** A run lost with its runner: input state unchanged, no logs. */
export function crashedResult(request: RunRequest, code: string, message: string, extra: { wallMs: number; hostCalls: number }): RunResult {
  return {
    status: 'crashed',
    error: { name: 'SandboxError', code, message },
    logs: [],
    state: request.state,
    stateChanged: false,
    cpuMs: 0,
    wallMs: extra.wallMs,
    hostCalls: extra.hostCalls,
    lateCalls: 0,
  };
}

/** Restart delays: none for the first 3 crashes a minute, then exponential up to 5 s (a crash loop must not become a fork bomb). */
export class CrashBackoff {
  readonly #recent: number[] = [];

  next(now = Date.now()): number {
    this.#recent.push(now);
    while (this.#recent.length && now - this.#recent[0]! > 60_000) this.#recent.shift();
    return this.#recent.length <= 3 ? 0 : Math.min(5_000, 100 * 2 ** (this.#recent.length - 3));
  }
}

/** The caller-facing result of a run the runner reported on (state and return value decoded and re-checked). */
export function resultFromOutcome(
  request: RunRequest,
  limits: SandboxLimits,
  inputEntries: [string, string][],
  outcome: RunnerOutcome,
  extra: { wallMs: number; hostCalls: number },
): RunResult {
  const result: RunResult = {
    status: outcome.status,
    logs: outcome.logs,
    state: request.state,
    stateChanged: false,
    cpuMs: outcome.cpuMs,
    wallMs: extra.wallMs,
    hostCalls: extra.hostCalls,
    lateCalls: outcome.lateCalls,
  };
  if (outcome.error) result.error = outcome.error;
  if (outcome.state) {
    const bytes = outcome.state.reduce((sum, [k, j]) => sum + Buffer.byteLength(k) + Buffer.byteLength(j) + 4, 2);
    if (bytes > limits.maxStateBytes) {
      result.status = 'error';
      result.error = { name: 'RangeError', code: 'STATE_TOO_LARGE', message: `ctx.state is ${bytes} bytes, above the limit of ${limits.maxStateBytes} bytes; it was not saved` };
    } else {
      const parsed = parseEntries(outcome.state);
      if (parsed) {
        result.state = parsed;
        result.stateChanged = !sameEntries(inputEntries, outcome.state);
      } else {
        result.status = 'error';
        result.error = { name: 'SandboxError', code: 'BAD_RESULT', message: 'the sandbox runner reported a state that is not JSON; it was not saved' };
      }
    }
  }
  if (outcome.returnJson !== undefined && Buffer.byteLength(outcome.returnJson) <= limits.maxReturnBytes) {
    try {
      result.returnValue = JSON.parse(outcome.returnJson) as unknown;
    } catch {
      // The runner checks this; a runner that did not is not believed (the value is dropped).
    }
  }
  return result;
}

/** The runner is untrusted: a state entry that is not JSON fails the run instead of the supervisor. */
function parseEntries(entries: [string, string][]): Record<string, unknown> | null {
  try {
    // fromEntries defines own properties: a key named "__proto__" stays a plain key.
    return Object.fromEntries(entries.map(([k, j]) => [k, JSON.parse(j) as unknown]));
  } catch {
    return null;
  }
}

export function validateRequest(request: RunRequest): void {
  const fail = (what: string) => {
    throw new SandboxError('INVALID_REQUEST', `invalid run request: ${what}`);
  };
  if (typeof request !== 'object' || request === null) fail('not an object');
  if (typeof request.isolateKey !== 'string' || !request.isolateKey) fail('isolateKey must be a non-empty string');
  if (typeof request.workerKey !== 'string' || !request.workerKey) fail('workerKey must be a non-empty string');
  if (typeof request.compiled !== 'string') fail('compiled must be a string');
  if (request.entry !== 'setup' && request.entry !== 'tick') fail('entry must be "setup" or "tick"');
  if (typeof request.worker !== 'object' || request.worker === null) fail('worker must be an object');
  if (typeof request.trigger !== 'object' || request.trigger === null) fail('trigger must be an object');
}

function sameEntries(a: [string, string][], b: [string, string][]): boolean {
  if (a.length !== b.length) return false;
  const before = new Map(a);
  return b.every(([k, j]) => before.get(k) === j);
}

/** Stable routing: a worker always lands on the same runner, where its isolate is warm. */
export function hashKey(key: string): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return hash >>> 0;
}
