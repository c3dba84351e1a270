import { Prisma } from '@tickbox/db';
import type { TickJob } from '@tickbox/queue';
import type { RunTrigger } from '@tickbox/sandbox';

// What a job says about why it runs, in the two places that keep it: ctx.trigger and the TickRun row.

/** TickRun.triggerPayload: the alert of a webhook run (a JSON null is kept as such). */
export function payloadColumn(job: TickJob): { triggerPayload?: Prisma.InputJsonValue | typeof Prisma.JsonNull } {
  if (job.trigger !== 'webhook') return {};
  return { triggerPayload: job.payload === null || job.payload === undefined ? Prisma.JsonNull : job.payload as Prisma.InputJsonValue };
}

/** ctx.trigger for a run of this job. */
export function runTrigger(job: TickJob, scheduledAt: number | undefined): RunTrigger {
  if (job.trigger === 'manual') return { type: 'manual' };
  if (job.trigger === 'schedule') return { type: 'schedule', scheduledAt: scheduledAt ?? Date.now() };
  // The sandbox's RunTrigger has no receivedAt; the trigger reaches ctx as a JSON copy, so it passes through.
  const webhook = { type: 'webhook' as const, payload: job.payload ?? null, receivedAt: job.receivedAt ?? scheduledAt ?? Date.now() };
  return webhook;
}
