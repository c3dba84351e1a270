import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import type { Job } from 'bullmq';
import { JOB_CATALOG, QUEUE_NAMES } from './catalog.ts';
import type { AccountJob, AccountSnapshot, AlertJob, ManualRunResult, TickJob } from './catalog.ts';
import { scheduleToRepeat } from './schedule.ts';
import { createRedis } from './redis.ts';
import { takeRateSlot } from './rate-limit.ts';
import type { WorkerSchedule } from './schedule.ts';

export interface Queues {
  /** Creates or replaces the worker's job scheduler (idempotent). */
  deploy(workerId: string, schedule: WorkerSchedule): Promise<void>;
  undeploy(workerId: string): Promise<void>;
  isDeployed(workerId: string): Promise<boolean>;
  nextRunAt(workerId: string): Promise<number | null>;
  /** Queues a run-now and waits for the scheduler's answer; on timeout a run not yet started is withdrawn. */
  runNow(workerId: string, timeoutMs: number): Promise<ManualRunResult>;
  /**
   * Queues one run for a webhook alert without waiting for it, unless the worker's alert budget
   * (JOB_CATALOG.webhook: a burst, then one per interval) is spent.
   */
  queueWebhook(workerId: string, alert: { payload: unknown; receivedAt: number }): Promise<WebhookQueued>;
  /** Asks a scheduler for a key's balances and positions and waits for the answer (rejects on timeout). */
  accountSnapshot(job: AccountJob, timeoutMs: number): Promise<AccountSnapshot>;
  /** Queues a failure alert for delivery by a scheduler (never waits for it). */
  queueAlert(job: AlertJob): Promise<void>;
  /** Queues a test alert the user asked for, unless their test budget (JOB_CATALOG.alert) is spent. */
  queueTestAlert(userId: string): Promise<{ queued: true } | { queued: false; retryAfterMs: number }>;
  close(): Promise<void>;
}

export type WebhookQueued = { queued: true; runId: string } | { queued: false; retryAfterMs: number };

const schedulerId = (workerId: string) => `worker:${workerId}`;

/**
 * A job's return value once a scheduler finished it. When the caller gives up (timeout), a job no
 * scheduler has taken yet is withdrawn, so it cannot run (and order) later, after the user was told
 * it did not. A job already running cannot be removed (BullMQ refuses while it is locked) and finishes.
 */
async function finishedOrWithdrawn(job: Job, events: QueueEvents, timeoutMs: number): Promise<unknown> {
  try {
    return await job.waitUntilFinished(events, timeoutMs);
  } catch (err) {
    if (/timed out/i.test((err as Error).message)) await job.remove().catch(() => undefined);
    throw err;
  }
}

export function createQueues(redisUrl: string, options: { prefix?: string } = {}): Queues {
  const prefix = options.prefix ?? 'tickbox';
  // BullMQ does not close connections it was handed, so we own and close them.
  const clients: ReturnType<typeof createRedis>[] = [];
  const connection = () => { const c = createRedis(redisUrl); clients.push(c); return c; };
  const ticks = new Queue<TickJob>(QUEUE_NAMES.ticks, { connection: connection(), prefix });
  const manual = new Queue<TickJob>(QUEUE_NAMES.manual, { connection: connection(), prefix });
  const account = new Queue<AccountJob>(QUEUE_NAMES.account, { connection: connection(), prefix });
  const alerts = new Queue<AlertJob>(QUEUE_NAMES.alerts, { connection: connection(), prefix });
  let events: QueueEvents | undefined;
  let accountEvents: QueueEvents | undefined;
  let limiter: ReturnType<typeof createRedis> | undefined;
  return {
    async deploy(workerId, schedule) {
      await ticks.upsertJobScheduler(schedulerId(workerId), scheduleToRepeat(schedule), {
        name: 'tick',
        data: { workerId, trigger: 'schedule' },
        opts: JOB_CATALOG.tick.opts,
      });
    },
    async undeploy(workerId) {
      await ticks.removeJobScheduler(schedulerId(workerId));
    },
    async isDeployed(workerId) {
      return (await ticks.getJobScheduler(schedulerId(workerId))) != null;
    },
    async nextRunAt(workerId) {
      const s = await ticks.getJobScheduler(schedulerId(workerId));
      return s?.next ?? null;
    },
    async runNow(workerId, timeoutMs) {
      events ??= new QueueEvents(QUEUE_NAMES.manual, { connection: connection(), prefix });
      await events.waitUntilReady();
      const job = await manual.add('run', { workerId, trigger: 'manual' }, JOB_CATALOG.run.opts);
      return (await finishedOrWithdrawn(job, events, timeoutMs)) as ManualRunResult;
    },
    async queueWebhook(workerId, alert) {
      limiter ??= connection();
      const { burst, intervalMs, opts } = JOB_CATALOG.webhook;
      const { retryAfterMs } = await takeRateSlot(limiter, `${prefix}:webhook-rate:${workerId}`, { burst, intervalMs });
      if (retryAfterMs > 0) return { queued: false, retryAfterMs };
      const runId = randomUUID();
      await manual.add('webhook', { workerId, trigger: 'webhook', payload: alert.payload, receivedAt: alert.receivedAt, runId }, opts);
      return { queued: true, runId };
    },
    async accountSnapshot(job, timeoutMs) {
      accountEvents ??= new QueueEvents(QUEUE_NAMES.account, { connection: connection(), prefix });
      await accountEvents.waitUntilReady();
      const added = await account.add('account', job, JOB_CATALOG.account.opts);
      return (await finishedOrWithdrawn(added, accountEvents, timeoutMs)) as AccountSnapshot;
    },
    async queueAlert(job) {
      await alerts.add(job.kind, job, JOB_CATALOG.alert.opts);
    },
    async queueTestAlert(userId) {
      limiter ??= connection();
      const { testBurst: burst, testIntervalMs: intervalMs, opts } = JOB_CATALOG.alert;
      const { retryAfterMs } = await takeRateSlot(limiter, `${prefix}:alert-test-rate:${userId}`, { burst, intervalMs });
      if (retryAfterMs > 0) return { queued: false, retryAfterMs };
      await alerts.add('test', { userId, kind: 'test', at: new Date().toISOString() }, opts);
      return { queued: true };
    },
    async close() {
      await Promise.all([ticks.close(), manual.close(), account.close(), alerts.close(), events?.close(), accountEvents?.close()]);
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    },
  };
}
