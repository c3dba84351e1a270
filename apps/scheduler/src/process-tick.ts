import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Prisma } from '@tickbox/db';
import type { Db } from '@tickbox/db';
import { publishLog } from '@tickbox/queue';
import type { ManualRunResult, Queues, TickJob, WorkerSchedule } from '@tickbox/queue';
import type { LogEntry, RunResult, SandboxSupervisor } from '@tickbox/sandbox';
import { bitgetHostApi } from './bitget-host-api.ts';
import type { BitgetHost } from './bitget-host.ts';
import { createTradeJournal } from './trade-journal.ts';
import { payloadColumn, runTrigger } from './run-trigger.ts';
import { withWorkerLock } from './worker-lock.ts';

export interface TickDeps {
  db: Db;
  redis: Redis;
  queues: Queues;
  supervisor: SandboxSupervisor;
  bitget: BitgetHost;
  logger: Logger;
  /** BullMQ key prefix; also namespaces worker locks and live-log channels. */
  prefix: string;
  wallTimeoutMs: number;
}

type Phase = 'setup' | 'tick';
const skipped = (message: string): ManualRunResult => ({ status: 'skipped', durationMs: 0, logs: [], error: { name: 'Skipped', message } });

/** One job: (setup if this version has not run it yet, then) one tick, recorded in the database. */
export async function processTick(deps: TickDeps, job: TickJob, scheduledAt?: number): Promise<ManualRunResult> {
  const { db } = deps;
  const workerId = job.workerId;
  // A webhook run is "scheduled" for when its alert arrived.
  if (job.trigger === 'webhook' && job.receivedAt) scheduledAt = job.receivedAt;
  // The worker is read once, under the lock: the previous run of this worker has written its
  // state and setup marker by then, so neither is stale (a stale setupDoneFor would run setup twice).
  const locked = await withWorkerLock(deps.redis, deps.prefix, workerId, deps.wallTimeoutMs * 2 + 5000, async () => {
    const worker = await db.worker.findUnique({ where: { id: workerId }, include: { key: true, state: true } });
    if (!worker || worker.deletedAt || !worker.versionId) {
      await deps.queues.undeploy(workerId);
      return skipped('worker does not exist or was deleted');
    }
    if (job.trigger !== 'manual' && (!worker.enabled || worker.status === 'error')) {
      const why = worker.enabled ? 'setup failed; fix the code or re-enable the worker' : 'worker is disabled';
      // A stale schedule (disabled, or setup failed): stop it rather than tick.
      if (job.trigger === 'schedule') await deps.queues.undeploy(worker.id);
      // An alert that arrived just before the worker was disabled: recorded, not run.
      else await recordSkipped(db, job, worker.versionId, scheduledAt, why);
      return skipped(why);
    }
    const version = await db.workerVersion.findUniqueOrThrow({ where: { id: worker.versionId } });
    let state = (worker.state?.data ?? {}) as Record<string, unknown>;
    const runPhase = async (phase: Phase) => {
      const result = await runOnce(deps, { worker, version, phase, job, scheduledAt, state });
      state = result.result.state;
      if (result.rejected.length > 0) await alert(deps, worker, 'order_rejected', rejectedText(result.rejected));
      return result;
    };
    // Status writes only apply while the worker is still what this run started with: a delete,
    // disable or code change made by the api during the run wins over this run's outcome.
    const unchanged = { id: worker.id, deletedAt: null, enabled: worker.enabled, versionId: version.id };
    if (worker.setupDoneFor !== version.id) {
      const setup = await runPhase('setup');
      if (setup.result.status !== 'ok') {
        const message = `setup failed: ${setup.result.error?.message ?? setup.result.status}`;
        const { count } = await db.worker.updateMany({ where: unchanged, data: { status: 'error', lastError: message } });
        if (count > 0) {
          await deps.queues.undeploy(worker.id);
          await alert(deps, worker, 'setup_failed', runError(setup.result));
        }
        return toManual(setup.result, setup.tickRunId);
      }
      await db.worker.updateMany({ where: { id: worker.id, versionId: version.id }, data: { setupDoneFor: version.id } });
    }
    const tick = await runPhase('tick');
    // A failing tick does not stop the worker (the next one may succeed); lastError tells why.
    const status = worker.enabled ? 'running' : 'disabled';
    const lastError = tick.result.status === 'ok' ? null : tick.result.error?.message ?? tick.result.status;
    if (worker.status !== status || worker.lastError !== lastError) {
      const { count } = await db.worker.updateMany({ where: unchanged, data: { status, lastError } });
      // A run-now whose setup succeeded on a worker that had failed setup (and so was
      // undeployed): it is healthy again, so it ticks on its schedule again.
      if (count > 0 && worker.enabled && worker.status === 'error') await deps.queues.deploy(worker.id, worker.schedule as WorkerSchedule);
      // Alerts on changes only, not on every failing tick: the first failure after a good tick,
      // and the first good tick after failures (or after a failed setup).
      if (count > 0 && lastError !== null && worker.lastError === null) await alert(deps, worker, 'tick_failed', runError(tick.result));
      if (count > 0 && lastError === null && worker.lastError !== null) await alert(deps, worker, 'recovered');
    }
    return toManual(tick.result, tick.tickRunId);
  });
  if (locked.locked) return locked.value;
  // Recorded so the run history shows the gap (GET /api/workers/:id/runs) instead of hiding it.
  const message = 'the previous run of this worker is still in progress';
  const worker = await db.worker.findUnique({ where: { id: workerId }, select: { versionId: true } });
  if (worker?.versionId) await recordSkipped(db, job, worker.versionId, scheduledAt, message);
  return skipped(message);
}

/**
 * Each alert kind of a worker is sent at most once per this many seconds. Failures and recoveries
 * are sent on changes only, so this only tames a flapping worker; rejected orders can repeat every
 * tick (a bot retrying with too little margin), so they get a longer quiet time.
 */
const ALERT_COOLDOWN_S = { setup_failed: 60, tick_failed: 60, recovered: 60, order_rejected: 600 } as const;

/** A run's error as one line, as TickRun.error, alerts and the failure log line show it. */
const errorLine = (error: { name: string; message: string }) => `${error.name}: ${error.message}`;

const runError = (result: RunResult) => (result.error ? errorLine(result.error) : undefined);

/** The orders a run had refused, as one alert line: the first, and how many more. */
const rejectedText = (lines: string[]) => `${lines[0]}${lines.length > 1 ? ` (and ${lines.length - 1} more in this run)` : ''}`;

/**
 * Queues an alert to the worker's owner (delivered only if they set an alert URL, and not for a
 * worker whose alerts are off); never fails the run.
 */
async function alert(
  deps: TickDeps, worker: { id: string; name: string; userId: string; alerts: boolean }, kind: 'setup_failed' | 'tick_failed' | 'recovered' | 'order_rejected', error?: string,
): Promise<void> {
  if (!worker.alerts) return;
  try {
    const fresh = await deps.redis.set(`${deps.prefix}:alert-cooldown:${worker.id}:${kind}`, '1', 'EX', ALERT_COOLDOWN_S[kind], 'NX');
    if (fresh === null) return;
    await deps.queues.queueAlert({
      userId: worker.userId, kind, worker: { id: worker.id, name: worker.name }, at: new Date().toISOString(),
      ...(error ? { error: error.slice(0, 1000) } : {}),
    });
  } catch (err) {
    deps.logger.warn({ err, workerId: worker.id, kind }, 'could not queue an alert');
  }
}

/** A run that did not happen, as a `skipped` row (a webhook's keeps its alert and the id the api answered with). */
async function recordSkipped(db: Db, job: TickJob, versionId: string, scheduledAt: number | undefined, message: string): Promise<void> {
  const now = new Date();
  await db.tickRun.create({
    data: {
      ...(job.runId ? { id: job.runId } : {}), workerId: job.workerId, versionId, phase: 'tick', trigger: job.trigger, status: 'skipped', error: message,
      scheduledAt: scheduledAt ? new Date(scheduledAt) : null, startedAt: now, finishedAt: now, ...payloadColumn(job),
    },
  });
}

interface RunInput {
  worker: { id: string; userId: string; name: string; alerts: boolean; productType: string; keyId: string | null; key: Parameters<BitgetHost['clientFor']>[0] };
  version: { id: string; compiledCode: string };
  phase: Phase;
  job: TickJob;
  scheduledAt: number | undefined;
  state: Record<string, unknown>;
}

async function runOnce(deps: TickDeps, input: RunInput): Promise<{ result: RunResult; tickRunId: string; rejected: string[] }> {
  const { db, worker, version } = { db: deps.db, ...input };
  const mode = worker.key?.mode ?? 'none';
  const { job } = input;
  const run = await db.tickRun.create({
    data: {
      // A webhook run's tick gets the id the api answered with (its setup, if any, a fresh one).
      ...(job.runId && input.phase === 'tick' ? { id: job.runId } : {}),
      workerId: worker.id, versionId: version.id, phase: input.phase, trigger: job.trigger,
      scheduledAt: input.scheduledAt ? new Date(input.scheduledAt) : null, startedAt: new Date(), status: 'running', ...payloadColumn(job),
    },
  });
  const rejected: string[] = [];
  const journal = createTradeJournal(db, { userId: worker.userId, workerId: worker.id, tickRunId: run.id, versionId: version.id, keyId: worker.keyId, mode }, deps.logger, (line) => rejected.push(line));
  let result: RunResult;
  try {
    const client = await deps.bitget.clientFor(worker.key, worker.productType, journal);
    result = await deps.supervisor.run({
    isolateKey: `${worker.id}:${version.id}`,
    workerKey: worker.id,
    compiled: version.compiledCode,
    entry: input.phase,
    state: input.state,
    worker: { id: worker.id, name: worker.name, mode },
    trigger: runTrigger(job, input.scheduledAt),
    // Public calls run in the sandbox runner against the same exchange/simulator (clientFor checked the sim URL).
    runnerHostConfig: deps.bitget.publicConfig(worker.key, worker.productType),
  }, { bitget: bitgetHostApi(client) }, {
      // Lines go live to open dashboards as they are produced; the database copy is written at the end.
      onLog: (l) => publishLog(deps.redis, deps.prefix, { workerId: worker.id, tickRunId: run.id, level: l.level, message: l.message, at: new Date(l.at).toISOString() }),
    });
  } catch (err) {
    // The host could not prepare the run (key unreadable, simulator unreachable…): the run
    // is recorded as failed with the reason instead of being left `running`.
    deps.logger.error({ err, workerId: worker.id }, 'could not run worker');
    result = { status: 'error', error: { name: 'HostError', message: (err as Error).message }, logs: [], state: input.state, stateChanged: false, returnValue: undefined, cpuMs: 0, wallMs: 0, hostCalls: 0, lateCalls: 0 };
  }
  const finishedAt = new Date();
  const failure = failureLog(input.phase, result, finishedAt);
  const logs = failure ? [...result.logs, failure] : result.logs;
  await db.$transaction([
    db.tickRun.update({
      where: { id: run.id },
      data: {
        status: result.status, error: result.error ? errorLine(result.error) : null,
        errorStack: result.error?.stack ?? null, finishedAt, cpuMs: result.cpuMs, wallMs: result.wallMs,
      },
    }),
    ...(logs.length > 0
      ? [db.logEntry.createMany({ data: logs.map((l) => ({ workerId: worker.id, tickRunId: run.id, level: l.level, message: l.message, at: new Date(l.at) })) })]
      : []),
    // State is persisted even when the tick threw, so an order's bookkeeping is not lost.
    ...(result.stateChanged
      ? [db.workerState.upsert({
          where: { workerId: worker.id },
          create: { workerId: worker.id, data: result.state as Prisma.InputJsonValue },
          update: { data: result.state as Prisma.InputJsonValue },
        })]
      : []),
  ]);
  if (failure) publishLog(deps.redis, deps.prefix, { workerId: worker.id, tickRunId: run.id, level: failure.level, message: failure.message, at: finishedAt.toISOString() });
  if (result.status !== 'ok') deps.logger.info({ workerId: worker.id, phase: input.phase, status: result.status }, 'run did not succeed');
  return { result, tickRunId: run.id, rejected };
}

/**
 * A failed run ends its log with one error line saying so, with the user's own frames when there
 * are any: whoever follows a worker's logs sees where a tick broke without looking up the run.
 */
function failureLog(phase: Phase, result: RunResult, at: Date): LogEntry | undefined {
  if (result.status === 'ok' || !result.error) return undefined;
  const what = result.error.stack ?? errorLine(result.error);
  return { level: 'error', message: `[${phase} failed] ${what}`, at: at.getTime() };
}

function toManual(result: RunResult, tickRunId: string): ManualRunResult {
  return {
    status: result.status,
    durationMs: Math.round(result.wallMs * 100) / 100,
    logs: result.logs.map((l) => ({ level: l.level, message: l.message, at: new Date(l.at).toISOString() })),
    ...(result.error ? {
      error: {
        name: result.error.name, message: result.error.message,
        ...(result.error.code ? { code: result.error.code } : {}), ...(result.error.stack ? { stack: result.error.stack } : {}),
      },
    } : {}),
    tickRunId,
  };
}
