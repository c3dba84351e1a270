import Type from 'typebox';
import type { Static } from 'typebox';

/** Scheduled ticks and run-now requests use separate queues so a manual run never waits behind a backlog; order reconciliation has its own. */
export const QUEUE_NAMES = { ticks: 'tickbox-ticks', manual: 'tickbox-manual', reconcile: 'tickbox-reconcile' } as const;

export const TickJobSchema = Type.Object({
  workerId: Type.String(),
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('manual')]),
});
export type TickJob = Static<typeof TickJobSchema>;

/** What a manual run returns to the api (the job's return value). */
export interface ManualRunResult {
  status: 'ok' | 'error' | 'timeout' | 'crashed' | 'skipped';
  durationMs: number;
  logs: { level: string; message: string; at: string }[];
  error?: { name: string; message: string; code?: string };
  tickRunId?: string;
}

// Ticks are never retried by the queue: a retried tick could place an order twice.
export const JOB_CATALOG = {
  tick: { queue: QUEUE_NAMES.ticks, opts: { attempts: 1, removeOnComplete: { count: 200 }, removeOnFail: { count: 1000 } } },
  run: { queue: QUEUE_NAMES.manual, opts: { attempts: 1, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: { age: 3600, count: 1000 } } },
  // Order reconciliation (scheduler-internal, one job scheduler): a failed pass is simply redone by the next one.
  reconcile: { queue: QUEUE_NAMES.reconcile, everyMs: 15_000, opts: { attempts: 1, removeOnComplete: { count: 20 }, removeOnFail: { count: 100 } } },
} as const;
