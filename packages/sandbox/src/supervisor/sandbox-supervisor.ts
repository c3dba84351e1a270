import { SandboxError } from '../errors.ts';
import { DEFAULT_LIMITS, resolveLimits, type SandboxLimits } from '../limits.ts';
import type { FromRunner, RunMessage, RunnerConfig, RunnerOutcome } from '../protocol.ts';
import type { HostApi, LogEntry, RunOptions, RunRequest, RunResult, SandboxLogger, SupervisorOptions, SupervisorStats } from '../types.ts';
import { hostShape, invokeHost } from './host-calls.ts';
import { CrashBackoff, crashedResult, hashKey, resultFromOutcome, runPayload, validateRequest } from './run-result.ts';
import { RunnerProcess } from './runner-process.ts';
import { runnerHostConfigJson, runnerHostUrl } from './runner-host-options.ts';
import { clampCount, type ActiveRun } from './active-run.ts';

/** Extra time the supervisor grants a runner past the wall deadline before it kills the runner. */
const BACKSTOP_GRACE_MS = 5_000;
const LOG_LEVELS = new Set(['debug', 'info', 'warn', 'error']);

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
  /** Runners whose current start has completed (their #ready promise is settled and fulfilled). */
  readonly #started = new WeakSet<RunnerProcess>();
  readonly #runs = new Map<number, ActiveRun>();
  readonly #lanes = new Map<string, Promise<unknown>>();
  readonly #backoff = new CrashBackoff();
  #nextRunId = 1;
  #restarts = 0;
  #state: 'new' | 'started' | 'stopped' = 'new';
  readonly #runnerHostModule: string | undefined;

  constructor(options: SupervisorOptions = {}) {
    this.#limits = resolveLimits(DEFAULT_LIMITS, options.limits);
    this.#logger = options.logger ?? silentLogger;
    const count = Math.max(1, Math.trunc(options.runners ?? 1));
    this.#runnerHostModule = options.runnerHost === undefined ? undefined : runnerHostUrl(options.runnerHost);
    const config: RunnerConfig = {
      maxIsolates: options.maxIsolatesPerRunner ?? 100,
      idleEvictMs: options.idleEvictMs ?? 5 * 60_000,
    };
    if (this.#runnerHostModule !== undefined) config.runnerHostModule = this.#runnerHostModule;
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
    const starts = this.#runners.map((runner) => this.#setReady(runner, runner.start()));
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

  /**
   * Runs setup or tick. Never rejects for user-code problems; rejects once the supervisor is
   * stopped. `options.onLog` streams the run's log entries while it runs (see RunOptions).
   */
  run(request: RunRequest, host: HostApi, options?: RunOptions): Promise<RunResult> {
    if (this.#state === 'stopped') return Promise.reject(new SandboxError('SUPERVISOR_STOPPED', 'the sandbox supervisor was stopped'));
    if (this.#state === 'new') {
      return Promise.reject(new SandboxError('SUPERVISOR_NOT_STARTED', 'call start() before run()'));
    }
    const onLog = options?.onLog;
    if (onLog !== undefined && typeof onLog !== 'function') return Promise.reject(new SandboxError('INVALID_REQUEST', 'invalid run options: onLog must be a function'));
    // Runs of one worker never overlap: setup finishes before the first tick, versions swap between ticks.
    const key = request?.workerKey;
    const previous = this.#lanes.get(key);
    const result = previous ? previous.then(() => this.#dispatch(request, host, onLog)) : this.#dispatch(request, host, onLog);
    const lane = result.then(noop, noop);
    this.#lanes.set(key, lane);
    void lane.then(() => {
      if (this.#lanes.get(key) === lane) this.#lanes.delete(key);
    });
    return result;
  }

  async #dispatch(request: RunRequest, host: HostApi, onLog: ((entry: LogEntry) => void) | undefined): Promise<RunResult> {
    validateRequest(request);
    const limits = resolveLimits(this.#limits, request.limits);
    const shape = hostShape(host);
    const runnerHostConfig = this.#runnerHostConfig(request);
    const runner = this.#runners[hashKey(request.workerKey) % this.#runners.length]!;
    if (!this.#started.has(runner)) {
      await this.#ready.get(runner);
      if (this.#state === 'stopped') throw new SandboxError('SUPERVISOR_STOPPED', 'the sandbox supervisor was stopped');
    }

    const { inputEntries, payloadJson } = runPayload(request, limits, shape);
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
        localHostCalls: 0,
        pending: 0,
        drained: undefined,
        unresponsive: false,
        onLog,
        streamed: 0,
        backstop: setTimeout(() => {
          run.unresponsive = true;
          this.#logger.error({ runId, workerKey: request.workerKey, pid: runner.pid }, 'sandbox runner missed a run deadline; killing it');
          runner.kill();
        }, limits.wallTimeoutMs + BACKSTOP_GRACE_MS),
        resolve,
        reject,
      };
      this.#runs.set(runId, run);
      const { isolateKey, workerKey, entry } = request;
      const message: RunMessage = { t: 'run', runId, isolateKey, workerKey, entry, limits, shape, payloadJson };
      if (onLog) message.streamLogs = true;
      if (runnerHostConfig !== undefined) message.runnerHostConfig = runnerHostConfig;
      run.message = message;
      if (!runner.knownKeys.has(request.isolateKey)) message.compiled = request.compiled;
      if (!runner.send(message)) this.#finishCrashed(run, 'the sandbox runner was not reachable');
    });
  }

  /** JSON of the request's runnerHostConfig, when this supervisor has a runner-local host module. */
  #runnerHostConfig(request: RunRequest): string | undefined {
    return this.#runnerHostModule === undefined ? undefined : runnerHostConfigJson(request);
  }

  #onMessage(runner: RunnerProcess, message: FromRunner): void {
    switch (message.t) {
      case 'call':
        this.#onCall(runner, message);
        return;
      case 'log': {
        const run = this.#runs.get(message.runId);
        if (run?.runner !== runner || !run.onLog) return;
        run.streamed++;
        this.#emitLog(run, message.entry);
        return;
      }
      case 'result': {
        runner.isolates = message.isolates;
        const run = this.#runs.get(message.runId);
        if (run?.runner !== runner) return;
        const { outcome } = message;
        if (typeof outcome.hostFailure === 'string') {
          this.#logger.error({ runId: run.runId, workerKey: run.request.workerKey, runner: runner.index, reason: outcome.hostFailure.slice(0, 1_000) }, 'sandbox runner-local host could not be created; the run failed');
          delete outcome.hostFailure;
        } else if (outcome.status === 'ok' || outcome.status === 'error') runner.knownKeys.add(run.request.isolateKey);
        else runner.knownKeys.delete(run.request.isolateKey);
        this.#complete(run, message.outcome);
        return;
      }
      case 'needCode': {
        const run = this.#runs.get(message.runId);
        if (run?.runner !== runner || !run.message) return;
        runner.knownKeys.delete(run.request.isolateKey);
        runner.send({ ...run.message, compiled: run.request.compiled });
        return;
      }
      case 'stats':
        runner.isolates = message.isolates;
    }
  }

  /** A ctx call relayed by the runner: invoke the host function, send the JSON result back. */
  #onCall(runner: RunnerProcess, message: Extract<FromRunner, { t: 'call' }>): void {
    const run = this.#runs.get(message.runId);
    if (run?.runner !== runner) return;
    const { runId, callId } = message;
    // The runner enforces the budget too; this is the check that does not trust the runner.
    if (run.hostCalls >= run.limits.maxHostCalls) {
      const refusal = { name: 'SandboxError', code: 'HOST_CALL_LIMIT', message: `ctx call refused: at most ${run.limits.maxHostCalls} ctx calls per tick` };
      runner.send({ t: 'callResult', runId, callId, ok: false, payload: JSON.stringify(refusal) });
      return;
    }
    run.hostCalls++;
    run.pending++;
    void invokeHost(run.host, message.ns, message.fn, message.args).then((reply) => {
      runner.send({ t: 'callResult', runId, callId, ok: reply.ok, payload: reply.payload });
      if (--run.pending === 0) run.drained?.();
    });
  }

  #emitLog(run: ActiveRun, entry: LogEntry): void {
    if (typeof entry !== 'object' || entry === null || !LOG_LEVELS.has(entry.level) || typeof entry.message !== 'string') return;
    try {
      run.onLog!(entry);
    } catch (error) {
      this.#logger.warn({ runId: run.runId, workerKey: run.request.workerKey, error: String(error) }, 'sandbox onLog callback threw');
    }
  }

  #complete(run: ActiveRun, outcome: RunnerOutcome): void {
    clearTimeout(run.backstop);
    // Runner-local calls are counted by the runner (clamped: the runner is not trusted).
    const local = clampCount(outcome.localPending, run.limits.maxHostCalls);
    delete outcome.localPending;
    run.localHostCalls = clampCount(outcome.hostCalls, run.limits.maxHostCalls);
    if (run.pending + local === 0) {
      this.#finish(run, outcome);
      return;
    }
    // The host finishes what the tick started (an order in flight is not abandoned half-way),
    // but the tick's code never sees the results. The runner already waited for its local calls.
    outcome.logs.push({
      level: 'warn',
      message: `[sandbox] ${run.pending + local} ctx call(s) were still pending when the run finished (missing await?); their results were discarded`,
      at: Date.now(),
    });
    if (run.pending === 0) {
      this.#finish(run, outcome);
      return;
    }
    const remaining = Math.max(0, run.limits.wallTimeoutMs - (performance.now() - run.startedAt));
    const timer = setTimeout(() => this.#finish(run, outcome), remaining);
    run.drained = () => {
      clearTimeout(timer);
      this.#finish(run, outcome);
    };
  }

  #finish(run: ActiveRun, outcome: RunnerOutcome): void {
    if (this.#runs.get(run.runId) !== run) return;
    this.#runs.delete(run.runId);
    run.drained = undefined;
    const result = resultFromOutcome(run.request, run.limits, run.inputEntries, outcome, {
      wallMs: performance.now() - run.startedAt,
      // The runner's count includes runner-local calls; the supervisor's own count is the floor.
      hostCalls: Math.max(run.hostCalls, run.localHostCalls),
    });
    if (run.onLog) for (let i = run.streamed; i < result.logs.length; i++) this.#emitLog(run, result.logs[i]!);
    run.resolve(result);
  }

  #finishCrashed(run: ActiveRun, message: string): void {
    clearTimeout(run.backstop);
    this.#runs.delete(run.runId);
    run.resolve(crashedResult(run.request, run.unresponsive ? 'RUNNER_UNRESPONSIVE' : 'RUNNER_CRASHED', message, {
      wallMs: performance.now() - run.startedAt,
      hostCalls: run.hostCalls,
    }));
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
    this.#started.delete(runner);
    if (this.#state !== 'started') return;
    this.#restarts++;
    const delay = this.#backoff.next();
    this.#setReady(runner, new Promise<void>((resolve) => setTimeout(resolve, delay)).then(() => this.#restart(runner)));
  }

  #setReady(runner: RunnerProcess, ready: Promise<void>): Promise<void> {
    this.#ready.set(runner, ready);
    ready.then(() => {
      if (this.#ready.get(runner) === ready && runner.alive) this.#started.add(runner);
    }, noop);
    return ready;
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

function noop(): void {}
