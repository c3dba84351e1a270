import { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { createBitgetDispatcher, createRateLimiterRegistry } from '@tickbox/bitget';
import type { Db } from '@tickbox/db';
import { createQueues, createRedis, QUEUE_NAMES } from '@tickbox/queue';
import type { TickJob, WorkerSchedule } from '@tickbox/queue';
import type { SandboxSupervisor } from '@tickbox/sandbox';
import type { Keyring } from '@tickbox/secrets';
import { createBitgetHost } from './bitget-host.ts';
import { processTick } from './process-tick.ts';

export interface SchedulerDeps {
  db: Db;
  redisUrl: string;
  keyring: Keyring;
  supervisor: SandboxSupervisor;
  logger: Logger;
  bitgetBaseUrl: string;
  simUrl?: string;
  concurrency: number;
  queuePrefix: string;
  wallTimeoutMs: number;
}

/** BullMQ workers for scheduled ticks and run-now jobs; owns its Redis connections and HTTP pool. */
export function createScheduler(deps: SchedulerDeps) {
  const redis = createRedis(deps.redisUrl);
  const queues = createQueues(deps.redisUrl, { prefix: deps.queuePrefix });
  // One keep-alive pool and one set of rate-limit buckets per process, shared by every worker's client.
  const dispatcher = createBitgetDispatcher();
  const bitget = createBitgetHost({
    keyring: deps.keyring, liveBaseUrl: deps.bitgetBaseUrl, simUrl: deps.simUrl,
    limiter: createRateLimiterRegistry(), dispatcher,
  });
  const tickDeps = {
    db: deps.db, redis, queues, supervisor: deps.supervisor, bitget, logger: deps.logger,
    prefix: deps.queuePrefix, wallTimeoutMs: deps.wallTimeoutMs,
  };
  const workers: Worker[] = [];
  const connections: ReturnType<typeof createRedis>[] = [redis];
  const connection = () => { const c = createRedis(deps.redisUrl); connections.push(c); return c; };

  return {
    async start() {
      for (const name of [QUEUE_NAMES.ticks, QUEUE_NAMES.manual]) {
        const w = new Worker<TickJob>(name, async (job) => processTick(tickDeps, job.data, job.opts.timestamp ?? job.timestamp), {
          connection: connection(), prefix: deps.queuePrefix, concurrency: deps.concurrency,
        });
        w.on('failed', (job, err) => deps.logger.error({ err, jobId: job?.id, workerId: job?.data.workerId }, 'job failed'));
        w.on('error', (err) => deps.logger.error({ err }, 'queue worker error'));
        workers.push(w);
      }
      await Promise.all(workers.map((w) => w.waitUntilReady()));
      await this.reconcileSchedules();
    },
    /** Every enabled worker has a job scheduler, every other has none (heals an api crash between DB and Redis writes). */
    async reconcileSchedules() {
      const rows = await deps.db.worker.findMany({ select: { id: true, enabled: true, status: true, deletedAt: true, schedule: true } });
      for (const w of rows) {
        if (w.enabled && !w.deletedAt && w.status !== 'error') await queues.deploy(w.id, w.schedule as WorkerSchedule);
        else await queues.undeploy(w.id);
      }
    },
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
      await queues.close();
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
      await dispatcher.close();
    },
  };
}
