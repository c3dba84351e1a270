import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Prisma } from '@tickbox/db';
import type { Db } from '@tickbox/db';
import { publishLog } from '@tickbox/queue';
import type { ManualRunResult, Queues, TickJob } from '@tickbox/queue';
import type { RunResult, SandboxSupervisor } from '@tickbox/sandbox';
import { bitgetHostApi } from './bitget-host.ts';
import type { BitgetHost } from './bitget-host.ts';
import { createTradeJournal } from './trade-journal.ts';
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
  const worker = await db.worker.findUnique({ where: { id: job.workerId }, include: { key: true } });
  if (!worker || worker.deletedAt || !worker.versionId) {
    await deps.queues.undeploy(job.workerId);
    return skipped('worker does not exist or was deleted');
  }
  if (job.trigger === 'schedule' && (!worker.enabled || worker.status === 'error')) {
    // A stale schedule (disabled, or setup failed): stop it rather than tick.
    await deps.queues.undeploy(worker.id);
    return skipped(worker.enabled ? 'setup failed; fix the code or re-enable the worker' : 'worker is disabled');
  }
  const locked = await withWorkerLock(deps.redis, deps.prefix, worker.id, deps.wallTimeoutMs * 2 + 5000, async () => {
    const version = await db.workerVersion.findUniqueOrThrow({ where: { id: worker.versionId! } });
    const stateRow = await db.workerState.findUnique({ where: { workerId: worker.id } });
    let state = (stateRow?.data ?? {}) as Record<string, unknown>;
    const runPhase = async (phase: Phase) => {
      const result = await runOnce(deps, { worker, version, phase, trigger: job.trigger, scheduledAt, state });
      state = result.result.state;
      return result;
    };
    if (worker.setupDoneFor !== version.id) {
      const setup = await runPhase('setup');
      if (setup.result.status !== 'ok') {
        const message = `setup failed: ${setup.result.error?.message ?? setup.result.status}`;
        await db.worker.update({ where: { id: worker.id }, data: { status: 'error', lastError: message } });
        await deps.queues.undeploy(worker.id);
        return toManual(setup.result, setup.tickRunId);
      }
      await db.worker.update({ where: { id: worker.id }, data: { setupDoneFor: version.id } });
    }
    const tick = await runPhase('tick');
    await db.worker.update({
      where: { id: worker.id },
      // A failing tick does not stop the worker (the next one may succeed); lastError tells why.
      data: {
        status: worker.enabled ? 'running' : 'disabled',
        lastError: tick.result.status === 'ok' ? null : tick.result.error?.message ?? tick.result.status,
      },
    });
    return toManual(tick.result, tick.tickRunId);
  });
  return locked.locked ? locked.value : skipped('the previous run of this worker is still in progress');
}

interface RunInput {
  worker: { id: string; userId: string; name: string; productType: string; keyId: string | null; key: Parameters<BitgetHost['clientFor']>[0] };
  version: { id: string; compiledCode: string };
  phase: Phase;
  trigger: TickJob['trigger'];
  scheduledAt: number | undefined;
  state: Record<string, unknown>;
}

async function runOnce(deps: TickDeps, input: RunInput): Promise<{ result: RunResult; tickRunId: string }> {
  const { db, worker, version } = { db: deps.db, ...input };
  const mode = worker.key?.mode ?? 'none';
  const run = await db.tickRun.create({
    data: {
      workerId: worker.id, versionId: version.id, phase: input.phase, trigger: input.trigger,
      scheduledAt: input.scheduledAt ? new Date(input.scheduledAt) : null, startedAt: new Date(), status: 'running',
    },
  });
  const journal = createTradeJournal(db, { userId: worker.userId, workerId: worker.id, tickRunId: run.id, versionId: version.id, keyId: worker.keyId, mode });
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
    trigger: input.trigger === 'manual' ? { type: 'manual' } : { type: 'schedule', scheduledAt: input.scheduledAt ?? Date.now() },
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
  await db.$transaction([
    db.tickRun.update({
      where: { id: run.id },
      data: { status: result.status, error: result.error ? `${result.error.name}: ${result.error.message}` : null, finishedAt, cpuMs: result.cpuMs, wallMs: result.wallMs },
    }),
    ...(result.logs.length > 0
      ? [db.logEntry.createMany({ data: result.logs.map((l) => ({ workerId: worker.id, tickRunId: run.id, level: l.level, message: l.message, at: new Date(l.at) })) })]
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
  if (result.status !== 'ok') deps.logger.info({ workerId: worker.id, phase: input.phase, status: result.status }, 'run did not succeed');
  return { result, tickRunId: run.id };
}

function toManual(result: RunResult, tickRunId: string): ManualRunResult {
  return {
    status: result.status,
    durationMs: Math.round(result.wallMs * 100) / 100,
    logs: result.logs.map((l) => ({ level: l.level, message: l.message, at: new Date(l.at).toISOString() })),
    ...(result.error ? { error: { name: result.error.name, message: result.error.message, ...(result.error.code ? { code: result.error.code } : {}) } } : {}),
    tickRunId,
  };
}
