import { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { createBitgetDispatcher } from '@tickbox/bitget';
import type { Db } from '@tickbox/db';
import { createQueues, createRedis, JOB_CATALOG, QUEUE_NAMES } from '@tickbox/queue';
import type { AccountJob, AlertJob, TickJob, WorkerSchedule } from '@tickbox/queue';
import type { SandboxSupervisor } from '@tickbox/sandbox';
import type { Keyring } from '@tickbox/secrets';
import { takeAccountSnapshot } from './account-snapshot.ts';
import { createAlertSender } from './alerts.ts';
import { createBitgetHost } from './bitget-host.ts';
import { createSharedRateLimiter } from './shared-rate-limiter.ts';
import { processTick } from './process-tick.ts';
import { createReconcileState, reconcileOrders } from './reconcile-orders.ts';
import type { ReconcileOptions, ReconcileSummary } from './reconcile-orders.ts';
import { withLock } from './worker-lock.ts';

export interface SchedulerDeps {
  db: Db;
  redisUrl: string;
  keyring: Keyring;
  supervisor: SandboxSupervisor;
  logger: Logger;
  bitgetBaseUrl: string;
  simUrl?: string;
  /** Sandbox runner processes (the supervisor's `runners`): they split the per-IP public rate limit. Default 1. */
  runners?: number;
  concurrency: number;
  queuePrefix: string;
  wallTimeoutMs: number;
  /** Order reconciliation: every `everyMs` (default 15 s; 0 = no job scheduler, reconcileNow only), other options per pass. */
  reconcile?: { everyMs?: number } & Omit<ReconcileOptions, 'now'>;
  /** Alert URLs may point at private addresses (TICKBOX_ALERTS_ALLOW_PRIVATE; a receiver on the same network, tests). Default false. */
  alertsAllowPrivate?: boolean;
}

/** Longest a reconciliation pass may hold the cross-process lock. */
const RECONCILE_LOCK_MS = 10 * 60_000;

/** BullMQ workers for scheduled ticks, run-now jobs and order reconciliation; owns its Redis connections and HTTP pool. */
export function createScheduler(deps: SchedulerDeps) {
  const redis = createRedis(deps.redisUrl);
  const queues = createQueues(deps.redisUrl, { prefix: deps.queuePrefix });
  // One keep-alive pool and one set of rate-limit buckets per process, shared by every worker's client.
  const dispatcher = createBitgetDispatcher();
  const bitget = createBitgetHost({
    keyring: deps.keyring, liveBaseUrl: deps.bitgetBaseUrl, simUrl: deps.simUrl, runners: deps.runners,
    // Per-key buckets in Redis: every scheduler process shares them (Bitget counts per key).
    limiter: createSharedRateLimiter(redis, { prefix: deps.queuePrefix, logger: deps.logger }), dispatcher,
    onHookError: (err, hook) => deps.logger.error({ err, hook }, 'trade journal hook failed after the exchange answered'),
  });
  const alertSender = createAlertSender({ db: deps.db, keyring: deps.keyring, logger: deps.logger, allowPrivate: deps.alertsAllowPrivate ?? false });
  const tickDeps = {
    db: deps.db, redis, queues, supervisor: deps.supervisor, bitget, logger: deps.logger,
    prefix: deps.queuePrefix, wallTimeoutMs: deps.wallTimeoutMs,
  };
  const workers: Worker[] = [];
  const connections: ReturnType<typeof createRedis>[] = [redis];
  const connection = () => { const c = createRedis(deps.redisUrl); connections.push(c); return c; };
  const { everyMs = JOB_CATALOG.reconcile.everyMs, ...reconcileOptions } = deps.reconcile ?? {};
  const reconcileDeps = { db: deps.db, bitget, logger: deps.logger, state: createReconcileState() };
  let reconcileQueue: Queue | undefined;

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
      // Failure alerts to the users' alert URLs (retried by the queue; dropped with a log line after the last try).
      const alertWorker = new Worker<AlertJob>(QUEUE_NAMES.alerts, async (job) => alertSender.deliver(job.data), {
        connection: connection(), prefix: deps.queuePrefix, concurrency: 4,
      });
      // BullMQ reports every failed try; the last one drops the alert.
      alertWorker.on('failed', (job, err) => {
        // An address alerts never go to is not tried again (UnrecoverableError).
        const last = !job || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
        deps.logger.warn({ err: { message: err.message }, userId: job?.data.userId, kind: job?.data.kind, attempt: job?.attemptsMade }, last ? 'alert dropped after its last try' : 'alert not delivered; will retry');
      });
      alertWorker.on('error', (err) => deps.logger.error({ err }, 'alert worker error'));
      workers.push(alertWorker);
      // Account snapshots for the api: reads only, a few at a time.
      const accounts = new Worker<AccountJob>(QUEUE_NAMES.account, async (job) => takeAccountSnapshot({ db: deps.db, bitget, logger: deps.logger }, job.data), {
        connection: connection(), prefix: deps.queuePrefix, concurrency: 4,
      });
      accounts.on('error', (err) => deps.logger.error({ err }, 'account worker error'));
      workers.push(accounts);
      // Order reconciliation: one job scheduler shared by every scheduler process, one pass at a
      // time per process (concurrency 1) and across processes (a Redis lock; a pass that finds it
      // held is skipped — the next one comes 15 s later).
      const reconciler = new Worker(QUEUE_NAMES.reconcile, async () => {
        const r = await withLock(redis, `${deps.queuePrefix}:lock:reconcile`, RECONCILE_LOCK_MS, () => reconcileOrders(reconcileDeps, reconcileOptions));
        return r.locked ? r.value : { skipped: 'another reconciliation pass is running' };
      }, { connection: connection(), prefix: deps.queuePrefix, concurrency: 1 });
      reconciler.on('failed', (job, err) => deps.logger.error({ err: { name: err.name, message: err.message }, jobId: job?.id }, 'reconcile job failed'));
      reconciler.on('error', (err) => deps.logger.error({ err }, 'reconcile worker error'));
      workers.push(reconciler);
      await Promise.all(workers.map((w) => w.waitUntilReady()));
      if (everyMs > 0) {
        reconcileQueue = new Queue(QUEUE_NAMES.reconcile, { connection: connection(), prefix: deps.queuePrefix });
        await reconcileQueue.upsertJobScheduler('reconcile-orders', { every: everyMs }, { name: 'reconcile', data: {}, opts: JOB_CATALOG.reconcile.opts });
      }
      await this.reconcileSchedules();
    },
    /** One reconciliation pass now, in this process (tests, tools); safe next to a running pass (writes are guarded). */
    async reconcileNow(options: ReconcileOptions = {}): Promise<ReconcileSummary> {
      return reconcileOrders(reconcileDeps, { ...reconcileOptions, ...options });
    },
    /** Every enabled worker has a job scheduler, every other has none (heals an api crash between DB and Redis writes). */
    async reconcileSchedules() {
      const rows = await deps.db.worker.findMany({ select: { id: true, enabled: true, status: true, deletedAt: true, schedule: true } });
      for (const w of rows) {
        try {
          if (w.enabled && !w.deletedAt && w.status !== 'error') await queues.deploy(w.id, w.schedule as WorkerSchedule);
          else await queues.undeploy(w.id);
        } catch (err) {
          // One bad row (a schedule edited by hand in the database) must not keep the scheduler from starting.
          deps.logger.error({ err, workerId: w.id }, 'could not deploy the schedule of this worker; it does not tick until it is fixed');
        }
      }
    },
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
      await reconcileQueue?.close();
      await queues.close();
      await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
      await dispatcher.close();
      await alertSender.close();
    },
  };
}
