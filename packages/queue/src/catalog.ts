import Type from 'typebox';
import type { Static } from 'typebox';

/**
 * Scheduled ticks and run-now requests use separate queues so a manual run never waits behind a
 * backlog; order reconciliation has its own, and so do account snapshots (the api asks, the
 * scheduler — which holds the exchange clients and the shared rate limits — answers).
 */
export const QUEUE_NAMES = { ticks: 'tickbox-ticks', manual: 'tickbox-manual', reconcile: 'tickbox-reconcile', account: 'tickbox-account', alerts: 'tickbox-alerts' } as const;

/**
 * A failure alert for a user's alert URL: a worker stopped because its setup failed, a tick
 * failed after one that had not, a worker recovered, or a test from the user.
 */
export interface AlertJob {
  userId: string;
  kind: 'setup_failed' | 'tick_failed' | 'recovered' | 'order_rejected' | 'test';
  worker?: { id: string; name: string };
  /** The error, as `Name: message`. */
  error?: string;
  at: string;
}

/** A key's futures balances and open positions, read on the exchange for the api (GET /api/keys/:id/account). */
export interface AccountJob { keyId: string; userId: string; productType: string }

/** The exchange's answers as it sent them (`data` of futures_accounts and futures_positions), or why there are none. */
export type AccountSnapshot =
  | { ok: true; productType: string; accounts: unknown; positions: unknown; fetchedAt: string }
  | { ok: false; error: { name: string; message: string; code?: string } };

export const TickJobSchema = Type.Object({
  workerId: Type.String(),
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('manual'), Type.Literal('webhook')]),
  /** Webhook runs: the alert (parsed JSON, or the text). */
  payload: Type.Optional(Type.Unknown()),
  /** Webhook runs: when the api received the alert (epoch ms). */
  receivedAt: Type.Optional(Type.Number()),
  /** Webhook runs: the id the api answered with; the run's TickRun row gets it. */
  runId: Type.Optional(Type.String({ format: 'uuid' })),
});
export type TickJob = Static<typeof TickJobSchema>;

/** What a manual run returns to the api (the job's return value). */
export interface ManualRunResult {
  status: 'ok' | 'error' | 'timeout' | 'crashed' | 'skipped';
  durationMs: number;
  logs: { level: string; message: string; at: string }[];
  /** stack: the error's header line and the user's own frames (absent when there are none). */
  error?: { name: string; message: string; code?: string; stack?: string };
  tickRunId?: string;
}

// Ticks are never retried by the queue: a retried tick could place an order twice.
export const JOB_CATALOG = {
  tick: { queue: QUEUE_NAMES.ticks, opts: { attempts: 1, removeOnComplete: { count: 200 }, removeOnFail: { count: 1000 } } },
  run: { queue: QUEUE_NAMES.manual, opts: { attempts: 1, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 3600, count: 1000 } } },
  // A webhook alert takes the run-now path (same queue, same retention; BullMQ trims a queue's
  // finished jobs as a whole). Per worker: a burst of `burst` alerts, then one per `intervalMs`.
  webhook: { queue: QUEUE_NAMES.manual, burst: 5, intervalMs: 1000, opts: { attempts: 1, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 3600, count: 1000 } } },
  // Order reconciliation (scheduler-internal, one job scheduler): a failed pass is simply redone by the next one.
  reconcile: { queue: QUEUE_NAMES.reconcile, everyMs: 15_000, opts: { attempts: 1, removeOnComplete: { count: 20 }, removeOnFail: { count: 100 } } },
  // An alert receiver that is briefly down gets three tries (2 s, then 4 s later); after that the alert is dropped (and logged).
  // Test alerts a user asks for: a burst of 3, then one a minute (they make the scheduler POST to a URL the user chose).
  alert: {
    queue: QUEUE_NAMES.alerts, testBurst: 3, testIntervalMs: 60_000,
    opts: { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } },
  },
  // Reads only; the answer is waited for, so it is kept briefly.
  account: { queue: QUEUE_NAMES.account, opts: { attempts: 1, removeOnComplete: { age: 60, count: 100 }, removeOnFail: { age: 600, count: 100 } } },
} as const;
