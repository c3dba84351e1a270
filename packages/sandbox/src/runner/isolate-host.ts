import ivm from 'isolated-vm';
import { parseCompiled, type ParsedCompiled } from '../compiled-format.ts';
import type { RunMessage, RunnerOutcome } from '../protocol.ts';
import { SourceMapper } from '../source-map.ts';
import { mapLogText } from '../stack.ts';
import type { LogEntry, RunError } from '../types.ts';
import { callFunction } from '../supervisor/host-calls.ts';
import { killedOutcome, refusal, reportedOutcome, userError, type Kill, type Outcome } from './outcomes.ts';
import type { PreludeSource } from './prelude-source.ts';
import { bootIsolate, loadUserCode, type PreludeApi } from './isolate-boot.ts';
import type { LocalHost, LocalHostFunction } from './runner-host.ts';
import { isArgList, RunSession } from './run-session.ts';
import { entryTimeout } from './entry-timeout.ts';

/** What the runner does with a ctx call the isolate made: forward it to the supervisor. */
export type ForwardCall = (runId: number, callId: number, ns: string, fn: string, args: (string | null)[]) => void;
/** What the runner does with a log entry of a run that streams its logs. */
export type ForwardLog = (runId: number, entry: LogEntry) => void;

/** Runner-local (public) ctx calls one run may have running at once; see #callLocal. */
export const MAX_LOCAL_IN_FLIGHT = 4;

interface Active {
  session: RunSession;
  message: RunMessage;
  cpuStart: bigint;
  /** The runner-local host of this run, if any: its functions run here instead of in the supervisor. */
  local: LocalHost | undefined;
  /** Runner-local calls not finished yet (running or queued), and who to tell when they are all done. */
  localPending: number;
  /** Runner-local calls waiting for one of the run's MAX_LOCAL_IN_FLIGHT slots. */
  localQueue: (() => void)[];
  drained: (() => void) | undefined;
  settle(outcome: Outcome): void;
}

/**
 * One warm isolate: a worker's code version loaded once and reused across ticks.
 *
 * The isolate is entered synchronously on the runner's main thread (Screeps-style): each entry
 * runs user code until it awaits a ctx call again, under a native timeout equal to the CPU time
 * the run has left. That makes the CPU limit exact (also after an await) and avoids a thread hop
 * per ctx call; a wall-clock timer disposes the isolate when a run waits too long.
 */
export class IsolateHost {
  readonly isolateKey: string;
  readonly workerKey: string;
  readonly memoryMb: number;
  lastUsed = Date.now();
  busy = false;
  /** CPU time when the last run ended; growth while idle means code runs between ticks. */
  idleCpuNs = 0n;
  readonly #isolate: ivm.Isolate;
  readonly #compiled: ParsedCompiled | undefined;
  readonly #mapper: SourceMapper | undefined;
  readonly #forward: ForwardCall;
  readonly #forwardLog: ForwardLog;
  #context: ivm.Context | undefined;
  #api: PreludeApi | undefined;
  #active: Active | undefined;
  #killed: Kill | undefined;
  #lateBetweenRuns = 0;

  constructor(options: { isolateKey: string; workerKey: string; compiled: string; memoryMb: number; forward: ForwardCall; forwardLog: ForwardLog }) {
    this.isolateKey = options.isolateKey;
    this.workerKey = options.workerKey;
    this.memoryMb = options.memoryMb;
    this.#forward = options.forward;
    this.#forwardLog = options.forwardLog;
    this.#compiled = parseCompiled(options.compiled);
    this.#mapper = this.#compiled?.sourceMap ? SourceMapper.parse(this.#compiled.sourceMap) : undefined;
    this.#isolate = new ivm.Isolate({ memoryLimit: options.memoryMb });
  }

  get disposed(): boolean {
    return this.#isolate.isDisposed;
  }

  get cpuTimeNs(): bigint {
    return this.#isolate.isDisposed ? this.idleCpuNs : this.#isolate.cpuTime;
  }

  heapBytes(): number {
    if (this.#isolate.isDisposed) return 0;
    const stats = this.#isolate.getHeapStatisticsSync();
    return stats.total_heap_size + stats.externally_allocated_size;
  }

  dispose(reason: Kill = 'evicted'): void {
    this.#killed ??= reason;
    if (!this.#isolate.isDisposed) this.#isolate.dispose();
    this.#active?.settle(this.#failure(undefined));
  }

  /** Results of ctx calls and sleeps, routed back into the isolate (dropped once the run ended). */
  deliver(runId: number, callId: number, ok: boolean, payload: string | undefined): void {
    const active = this.#active;
    const api = this.#api;
    if (!active || active.session.runId !== runId || !api || this.#isolate.isDisposed) return;
    const timeout = this.#reentryTimeout(active);
    if (timeout === undefined) return;
    // The hot path of every ctx call: one synchronous entry, no closure.
    try {
      api.deliver.applySync(undefined, [runId, callId, ok, payload], { timeout });
    } catch (error) {
      this.#entryFailed(error);
    }
  }

  execute(message: RunMessage, prelude: PreludeSource, local?: LocalHost): Promise<RunnerOutcome> {
    const session = new RunSession(message.runId, message.limits, message.shape);
    this.busy = true;
    return new Promise<RunnerOutcome>((resolve) => {
      const wallTimer = setTimeout(() => this.dispose('wall'), message.limits.wallTimeoutMs);
      const active: Active = {
        session,
        message,
        cpuStart: this.#isolate.isDisposed ? 0n : this.#isolate.cpuTime,
        local,
        localPending: 0,
        localQueue: [],
        drained: undefined,
        settle: (outcome) => {
          if (this.#active !== active) return;
          this.#active = undefined;
          clearTimeout(wallTimer);
          session.end();
          this.busy = false;
          this.lastUsed = Date.now();
          const report = this.#report(active, outcome);
          if (active.localPending === 0) {
            resolve(report);
            return;
          }
          // As the supervisor does for forwarded calls: a call the tick started is completed (up
          // to the wall deadline), its result discarded; the supervisor adds the warning line.
          // Calls still queued never started (they are reads): they are dropped, but counted.
          report.localPending = active.localPending;
          active.localPending -= active.localQueue.length;
          active.localQueue.length = 0;
          if (active.localPending === 0) {
            resolve(report);
            return;
          }
          const timer = setTimeout(() => resolve(report), session.remainingWallMs());
          active.drained = () => {
            clearTimeout(timer);
            resolve(report);
          };
        },
      };
      this.#active = active;
      if (this.#lateBetweenRuns > 0) {
        session.lateCalls += this.#lateBetweenRuns;
        this.#lateBetweenRuns = 0;
      }
      const compiled = this.#compiled;
      if (!compiled) {
        active.settle({ status: 'error', state: null, error: { name: 'SandboxError', code: 'INVALID_COMPILED', message: 'compiled worker code is not in the format compileWorker() produces' } });
        return;
      }
      this.#enter(() => {
        if (!this.#api) {
          const api = this.#boot(prelude);
          api.begin.applySync(undefined, [message.runId, message.payloadJson], { timeout: this.#cpuLeft() });
          const loadError = this.#loadUserCode(compiled, api);
          if (loadError) {
            api.abandon.applySync(undefined, [message.runId], { timeout: this.#cpuLeft() });
            // The code never loaded; the next run starts from a fresh isolate.
            this.#killed = 'broken';
            active.settle({ status: 'error', state: null, error: loadError });
            this.#isolate.dispose();
            return;
          }
          api.run.applySync(undefined, [message.runId, message.entry, undefined], { timeout: this.#cpuLeft() });
        } else {
          this.#api.run.applySync(undefined, [message.runId, message.entry, message.payloadJson], { timeout: this.#cpuLeft() });
        }
      });
    });
  }

  /** Runs one synchronous entry into the isolate; any throw here is the sandbox stopping the run. */
  #enter(fn: () => void): void {
    if (this.#isolate.isDisposed) return;
    try {
      fn();
    } catch (error) {
      this.#entryFailed(error);
    }
  }

  /** An entry into the isolate threw: that is the sandbox stopping the run (or the isolate breaking). */
  #entryFailed(error: unknown): void {
    const text = error instanceof Error ? error.message : String(error);
    if (/memory limit/i.test(text)) this.#killed ??= 'memory';
    else if (/timed out/i.test(text)) this.#killed ??= 'cpu';
    else this.#killed ??= 'broken';
    this.#active?.settle(this.#failure(text));
    this.dispose(this.#killed);
  }

  /**
   * The timeout of re-entering a run (a ctx result, a ctx.sleep), or undefined when its CPU budget is
   * spent: the run is then stopped instead, otherwise every later entry would get another grid step.
   */
  #reentryTimeout(active: Active): number | undefined {
    const limit = active.message.limits.cpuTimeoutMs;
    const used = this.#cpuUsedMs(active);
    if (used < limit) return entryTimeout(limit, used);
    this.#killed ??= 'cpu';
    active.settle(this.#failure(undefined));
    this.dispose(this.#killed);
    return undefined;
  }

  #cpuLeft(): number {
    const active = this.#active;
    return active ? entryTimeout(active.message.limits.cpuTimeoutMs, this.#cpuUsedMs(active)) : 1;
  }

  #cpuUsedMs(active: Active): number {
    return Number(this.#isolate.cpuTime - active.cpuStart) / 1e6;
  }

  #boot(prelude: PreludeSource): PreludeApi {
    const { context, api } = bootIsolate(this.#isolate, prelude, (kind, runId, callId, a, b, rest) => this.#onSend(kind, runId, callId, a, b, rest));
    this.#context = context;
    this.#api = api;
    return api;
  }

  /** Evaluates the user's top-level code and hands tick/setup to the prelude. */
  #loadUserCode(compiled: ParsedCompiled, api: PreludeApi): RunError | undefined {
    return loadUserCode(this.#isolate, this.#context!, api, compiled, this.#mapper, () => this.#cpuLeft());
  }

  #report(active: Active, outcome: Outcome): RunnerOutcome {
    const { session, message } = active;
    const alive = !this.#isolate.isDisposed;
    const cpuNs = alive ? this.#isolate.cpuTime - active.cpuStart : 0n;
    this.idleCpuNs = alive ? this.#isolate.cpuTime : 0n;
    if (session.lateCalls > 0) {
      session.logs.push({
        level: 'warn',
        message: `[sandbox] refused ${session.lateCalls} ctx call(s) made after their tick had finished: ${[...session.lateWhat].slice(0, 5).join(', ')}`,
        at: Date.now(),
      });
    }
    return {
      ...outcome,
      logs: session.logs,
      // A disposed isolate reports no CPU time; a CPU kill used the whole budget.
      cpuMs: alive ? Number(cpuNs) / 1e6 : this.#killed === 'cpu' ? message.limits.cpuTimeoutMs : 0,
      wallMs: performance.now() - session.startedAt,
      hostCalls: session.hostCalls,
      lateCalls: session.lateCalls,
    };
  }

  #failure(detail: string | undefined): Outcome {
    return killedOutcome(this.#killed, this.#active?.message.limits, this.memoryMb, detail);
  }

  /**
   * A ctx call served by the runner-local host: the same JSON decoding, sanitised errors and
   * JSON result as a call the supervisor runs, delivered through the same path. The function
   * starts in a microtask, outside the isolate entry that made the call.
   *
   * A run has at most MAX_LOCAL_IN_FLIGHT of them running; more (a Promise.all over many
   * symbols) wait in the run's queue. The runner's share of the per-IP public budget is one
   * first-come queue shared by every worker on the runner, so without this one tick firing a
   * hundred calls at once would take every slot for seconds and the other tenants' calls would
   * fail their wait bound.
   */
  #callLocal(active: Active, callId: number, ns: string, fn: string, target: LocalHostFunction, args: (string | null)[]): void {
    // Inline arrows and methods only: this runs per ctx call, and tsx's keepNames defines a
    // name on every named closure it creates.
    active.localPending++;
    if (active.localPending > MAX_LOCAL_IN_FLIGHT) active.localQueue.push(() => this.#startLocal(active, callId, ns, fn, target, args));
    else queueMicrotask(() => this.#startLocal(active, callId, ns, fn, target, args));
  }

  #startLocal(active: Active, callId: number, ns: string, fn: string, target: LocalHostFunction, args: (string | null)[]): void {
    // A queued call whose turn came after its run ended (or a call of a run killed in the entry
    // that made it) is not started.
    if (this.#active !== active) {
      this.#localDone(active);
      return;
    }
    callFunction(target[0], target[1], ns, fn, args, (reply) => {
      this.deliver(active.session.runId, callId, reply.ok, reply.payload);
      this.#localDone(active);
    });
  }

  #localDone(active: Active): void {
    active.localPending--;
    const next = active.localQueue.shift();
    if (next) queueMicrotask(next);
    else if (active.localPending === 0) active.drained?.();
  }

  /** The bridge callback: everything arriving here is untrusted input from the isolate. */
  #onSend(kind: unknown, runId: unknown, callId: unknown, a: unknown, b: unknown, c: unknown[]): string | undefined {
    const active = this.#active;
    const session = active?.session;
    if (kind === 'late' || !session || session.runId !== runId || session.finished) {
      if (session && !session.finished) {
        session.lateCalls++;
        if (typeof a === 'string') session.lateWhat.add(a.slice(0, 80));
      } else {
        this.#lateBetweenRuns++;
      }
      return kind === 'call' ? refusal('TICK_FINISHED', 'the call was made after its tick finished and was refused') : undefined;
    }
    switch (kind) {
      case 'log': {
        const entry = session.addLog(a, b);
        if (!entry) return undefined;
        entry.message = mapLogText(entry.message, this.#mapper, this.#compiled?.fileName ?? 'worker.js');
        if (active!.message.streamLogs) this.#forwardLog(session.runId, entry);
        return undefined;
      }
      case 'call': {
        if (typeof callId !== 'number') return refusal('INVALID_CALL', 'invalid call');
        if (!session.isHostFunction(a, b) || !isArgList(c)) return refusal('INVALID_CALL', 'unknown ctx function');
        if (session.hostCalls >= session.limits.maxHostCalls) {
          return refusal('HOST_CALL_LIMIT', `ctx.${a}.${String(b)}() refused: at most ${session.limits.maxHostCalls} ctx calls per tick`);
        }
        session.hostCalls++;
        const target = active!.local?.get(a)?.get(b as string);
        if (target) this.#callLocal(active!, callId, a, b as string, target, c as (string | null)[]);
        else this.#forward(session.runId, callId, a, b as string, c as (string | null)[]);
        return undefined;
      }
      case 'sleep':
        if (typeof callId !== 'number' || typeof a !== 'number' || !(a >= 0)) return undefined;
        // The prelude refuses a longer sleep; this holds even if the message was forged.
        // Past the deadline the watchdog disposes the isolate; no need to wake later than that.
        session.timer(Math.min(a, session.limits.maxSleepMs ?? Infinity, session.remainingWallMs() + 50), () => this.deliver(session.runId, callId, true, undefined));
        return undefined;
      case 'done': {
        if (typeof a !== 'string' || typeof b !== 'string') return undefined;
        const compiled = this.#compiled!;
        const { outcome, droppedLogs } = reportedOutcome(a, b, (raw) => userError(raw, this.#mapper, compiled.fileName));
        session.closeLogs(droppedLogs);
        // Settle after the current isolate entry unwinds, not from inside it.
        queueMicrotask(() => active!.settle(outcome));
        return undefined;
      }
      default:
        return undefined;
    }
  }
}

