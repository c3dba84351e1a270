import { SandboxError } from '../errors.ts';
import { DEFAULT_LIMITS, resolveLimits, type SandboxLimits } from '../limits.ts';
import type { FromRunner, RunMessage, RunnerOutcome } from '../protocol.ts';
import type { HostApi, LogEntry, RunRequest, RunResult, SandboxLogger, SupervisorOptions, SupervisorStats } from '../types.ts';
import { hostShape, invokeHost } from './host-calls.ts';
import { RunnerProcess } from './runner-process.ts';

/** Extra time the supervisor grants a runner past the wall deadline before it kills the runner. */
const BACKSTOP_GRACE_MS = 5_000;

interface ActiveRun {
  runId: number;
  runner: RunnerProcess;
  request: RunRequest;
  host: HostApi;
  limits: SandboxLimits;
  inputEntries: [string, string][];
  startedAt: number;
  hostCalls: number;
  pending: Set<Promise<void>>;
  backstop: NodeJS.Timeout;
  unresponsive: boolean;
  message?: RunMessage;
  resolve(result: RunResult): void;
  reject(error: Error): void;
}

const silentLogger: SandboxLogger = { info() {}, warn() {}, error() {} };

/**
 * Owns the runner child processes that host all isolates: starts them, routes each worker to
 * the same runner (so its isolate stays warm), relays ctx calls to the host object, restarts
 * runners that die and turns their in-flight runs into `crashed` results.
 */
export class SandboxSupervisor {
  readonly #limits: SandboxLimits;
  readonly #logger: SandboxLogger;
  readonly #runners: RunnerProcess[] = [];
  readonly #ready = new Map<RunnerProcess, Promise<void>>();
  readonly #runs = new Map<number, ActiveRun>();
  readonly #lanes = new Map<string, Promise<unknown>>();
  readonly #recentCrashes: number[] = [];
  #nextRunId = 1;
  #restarts = 0;
  #state: 'new' | 'started' | 'stopped' = 'new';

  constructor(options: SupervisorOptions = {}) {
    this.#limits = resolveLimits(DEFAULT_LIMITS, options.limits);
    this.#logger = options.logger ?? silentLogger;
    const count = Math.max(1, Math.trunc(options.runners ?? 1));
    const config = {
      maxIsolates: options.maxIsolatesPerRunner ?? 100,
      idleEvictMs: options.idleEvictMs ?? 5 * 60_000,
    };
    for (let i = 0; i < count; i++) {
      this.#runners.push(
        new RunnerProcess(i, config, {
          onMessage: (runner, message) => this.#onMessage(runner, message),
          onExit: (runner, detail) => this.#onRunnerExit(runner, detail),
        }),
      );
    }
  }

  async start(): Promise<void> {
    if (this.#state === 'stopped') throw new SandboxError('SUPERVISOR_STOPPED', 'the sandbox supervisor was stopped');
    if (this.#state === 'started') return;
    this.#state = 'started';
    const starts = this.#runners.map((runner) => {
      const ready = runner.start();
      this.#ready.set(runner, ready);
      return ready;
    });
    try {
      await Promise.all(starts);
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.#state === 'stopped') return;
    this.#state = 'stopped';
    for (const run of this.#runs.values()) {
      clearTimeout(run.backstop);
      run.reject(new SandboxError('SUPERVISOR_STOPPED', 'the sandbox supervisor was stopped during the run'));
    }
    this.#runs.clear();
    await Promise.all(this.#runners.map((runner) => runner.stop()));
  }

  stats(): SupervisorStats {
    return {
      runners: this.#runners.filter((r) => r.alive).length,
      restarts: this.#restarts,
      isolates: this.#runners.reduce((sum, r) => sum + r.isolates, 0),
    };
  }

  /** Process ids of the runners, for operators and tests. */
  runnerPids(): number[] {
    return this.#runners.map((r) => r.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Runs setup or tick. Never rejects for user-code problems; rejects once the supervisor is stopped. */
  run(request: RunRequest, host: HostApi): Promise<RunResult> {
    if (this.#state === 'stopped') return Promise.reject(new SandboxError('SUPERVISOR_STOPPED', 'the sandbox supervisor was stopped'));
    if (this.#state === 'new') {
      return Promise.reject(new SandboxError('SUPERVISOR_NOT_STARTED', 'call start() before run()'));
    }
    // Runs of one worker never overlap: setup finishes before the first tick, versions swap between ticks.
    const previous = this.#lanes.get(request.workerKey) ?? Promise.resolve();
    const result = previous.then(() => this.#dispatch(request, host));
    const lane = result.then(
      () => undefined,
      () => undefined,
    );
    this.#lanes.set(request.workerKey, lane);
    void lane.then(() => {
      if (this.#lanes.get(request.workerKey) === lane) this.#lanes.delete(request.workerKey);
    });
    return result;
  }

  async #dispatch(request: RunRequest, host: HostApi): Promise<RunResult> {
    validateRequest(request);
    const limits = resolveLimits(this.#limits, request.limits);
    const shape = hostShape(host);
    const runner = this.#runners[hashKey(request.workerKey) % this.#runners.length]!;
    await this.#ready.get(runner);
    if (this.#state === 'stopped') throw new SandboxError('SUPERVISOR_STOPPED', 'the sandbox supervisor was stopped');

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
    const runId = this.#nextRunId++;
    return new Promise<RunResult>((resolve, reject) => {
      const run: ActiveRun = {
        runId,
        runner,
        request,
        host,
        limits,
        inputEntries,
        startedAt: performance.now(),
        hostCalls: 0,
        pending: new Set(),
        unresponsive: false,
        backstop: setTimeout(() => {
          run.unresponsive = true;
          this.#logger.error({ runId, workerKey: request.workerKey, pid: runner.pid }, 'sandbox runner missed a run deadline; killing it');
          runner.kill();
        }, limits.wallTimeoutMs + BACKSTOP_GRACE_MS),
        resolve,
        reject,
      };
      this.#runs.set(runId, run);
      const message: RunMessage = {
        t: 'run',
        runId,
        isolateKey: request.isolateKey,
        workerKey: request.workerKey,
        entry: request.entry,
        limits,
        shape,
        payloadJson,
      };
      run.message = message;
      if (!runner.knownKeys.has(request.isolateKey)) message.compiled = request.compiled;
      if (!runner.send(message)) this.#finishCrashed(run, 'the sandbox runner was not reachable');
    });
  }

  #onMessage(runner: RunnerProcess, message: FromRunner): void {
    if (message.t === 'stats') {
      runner.isolates = message.isolates;
    } else if (message.t === 'result') {
      runner.isolates = message.isolates;
      const run = this.#runs.get(message.runId);
      if (!run) return;
      if (message.outcome.status === 'ok' || message.outcome.status === 'error') runner.knownKeys.add(run.request.isolateKey);
      else runner.knownKeys.delete(run.request.isolateKey);
      void this.#complete(run, message.outcome);
    } else if (message.t === 'needCode') {
      const run = this.#runs.get(message.runId);
      if (!run?.message) return;
      runner.knownKeys.delete(run.request.isolateKey);
      runner.send({ ...run.message, compiled: run.request.compiled });
    } else if (message.t === 'call') {
      const run = this.#runs.get(message.runId);
      if (!run) return;
      run.hostCalls++;
      const call = invokeHost(run.host, message.ns, message.fn, message.args).then((reply) => {
        runner.send({ t: 'callResult', runId: message.runId, callId: message.callId, ...reply });
      });
      run.pending.add(call);
      void call.finally(() => run.pending.delete(call));
    }
  }

  async #complete(run: ActiveRun, outcome: RunnerOutcome): Promise<void> {
    clearTimeout(run.backstop);
    const logs: LogEntry[] = outcome.logs;
    if (run.pending.size > 0) {
      // The host finishes what the tick started (an order in flight is not abandoned half-way),
      // but the tick's code never sees the results.
      logs.push({
        level: 'warn',
        message: `[sandbox] ${run.pending.size} ctx call(s) were still pending when the run finished (missing await?); their results were discarded`,
        at: Date.now(),
      });
      const remaining = Math.max(0, run.limits.wallTimeoutMs - (performance.now() - run.startedAt));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...run.pending]),
        new Promise((resolve) => (timer = setTimeout(resolve, remaining))),
      ]);
      clearTimeout(timer);
    }
    if (this.#runs.get(run.runId) !== run) return;
    this.#runs.delete(run.runId);

    const result: RunResult = {
      status: outcome.status,
      logs,
      state: run.request.state,
      stateChanged: false,
      cpuMs: outcome.cpuMs,
      wallMs: performance.now() - run.startedAt,
      hostCalls: run.hostCalls,
      lateCalls: outcome.lateCalls,
    };
    if (outcome.error) result.error = outcome.error;
    if (outcome.state) {
      const bytes = outcome.state.reduce((sum, [k, j]) => sum + Buffer.byteLength(k) + Buffer.byteLength(j) + 4, 2);
      if (bytes > run.limits.maxStateBytes) {
        result.status = 'error';
        result.error = { name: 'RangeError', code: 'STATE_TOO_LARGE', message: `ctx.state is ${bytes} bytes, above the limit of ${run.limits.maxStateBytes} bytes; it was not saved` };
      } else {
        result.state = Object.fromEntries(outcome.state.map(([k, j]) => [k, JSON.parse(j) as unknown]));
        result.stateChanged = !sameEntries(run.inputEntries, outcome.state);
      }
    }
    if (outcome.returnJson !== undefined && Buffer.byteLength(outcome.returnJson) <= run.limits.maxReturnBytes) {
      result.returnValue = JSON.parse(outcome.returnJson) as unknown;
    }
    run.resolve(result);
  }

  #finishCrashed(run: ActiveRun, message: string): void {
    clearTimeout(run.backstop);
    this.#runs.delete(run.runId);
    run.resolve({
      status: 'crashed',
      error: { name: 'SandboxError', code: run.unresponsive ? 'RUNNER_UNRESPONSIVE' : 'RUNNER_CRASHED', message },
      logs: [],
      state: run.request.state,
      stateChanged: false,
      cpuMs: 0,
      wallMs: performance.now() - run.startedAt,
      hostCalls: run.hostCalls,
      lateCalls: 0,
    });
  }

  #onRunnerExit(runner: RunnerProcess, detail: { code: number | null; signal: NodeJS.Signals | null; stderr: string }): void {
    const how = detail.signal ? `signal ${detail.signal}` : `exit code ${detail.code}`;
    this.#logger.error({ runner: runner.index, ...detail, stderr: detail.stderr.slice(-1_000) }, `sandbox runner died (${how}); restarting it`);
    for (const run of [...this.#runs.values()]) {
      if (run.runner !== runner) continue;
      this.#finishCrashed(
        run,
        run.unresponsive
          ? `The sandbox runner stopped responding (${how}) and was restarted; this run was lost`
          : `The sandbox runner crashed (${how}) during this run and was restarted`,
      );
    }
    runner.isolates = 0;
    if (this.#state !== 'started') return;
    this.#restarts++;
    // Back off when a runner keeps dying (a crash loop must not become a fork bomb).
    const now = Date.now();
    this.#recentCrashes.push(now);
    while (this.#recentCrashes.length && now - this.#recentCrashes[0]! > 60_000) this.#recentCrashes.shift();
    const delay = this.#recentCrashes.length <= 3 ? 0 : Math.min(5_000, 100 * 2 ** (this.#recentCrashes.length - 3));
    const ready = new Promise<void>((resolve) => setTimeout(resolve, delay)).then(() => this.#restart(runner));
    this.#ready.set(runner, ready);
  }

  async #restart(runner: RunnerProcess): Promise<void> {
    for (;;) {
      if (this.#state !== 'started') return;
      try {
        await runner.start();
        return;
      } catch (error) {
        this.#logger.error({ runner: runner.index, error: String(error) }, 'sandbox runner failed to restart; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }
}

function validateRequest(request: RunRequest): void {
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
function hashKey(key: string): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return hash >>> 0;
}
