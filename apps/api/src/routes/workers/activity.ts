import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { IdParams, LogsQuery } from '@tickbox/contract';
import type { AppDeps } from '../../app.ts';
import { badRequest, notFound } from '../../api-error.ts';

/** LogEntry ids are PostgreSQL bigint. */
const MAX_LOG_ID = 2n ** 63n - 1n;

/** Read side of a worker: tick runs, logs, state. */
export function workerActivityRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const { db } = deps;
  const own = async (userId: string, id: string) => {
    const w = await db.worker.findFirst({ where: { id, userId }, select: { id: true } });
    if (!w) throw notFound('worker');
  };
  return async (app) => {
    app.get('/:id/runs', { schema: { params: IdParams, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }) } }, async (request) => {
      await own(request.user.id, request.params.id);
      const runs = await db.tickRun.findMany({ where: { workerId: request.params.id }, orderBy: { startedAt: 'desc' }, take: request.query.limit ?? 50 });
      return runs.map((r) => ({
        id: r.id, versionId: r.versionId, phase: r.phase, trigger: r.trigger, status: r.status, error: r.error,
        scheduledAt: r.scheduledAt?.toISOString() ?? null, startedAt: r.startedAt.toISOString(),
        finishedAt: r.finishedAt?.toISOString() ?? null, cpuMs: r.cpuMs, wallMs: r.wallMs,
        ...(r.trigger === 'webhook' ? { payload: r.triggerPayload } : {}),
      }));
    });

    app.get('/:id/logs', { schema: { params: IdParams, querystring: LogsQuery } }, async (request) => {
      await own(request.user.id, request.params.id);
      const { after, level, limit } = request.query;
      if (after !== undefined && BigInt(after) > MAX_LOG_ID) throw badRequest(`query.after must be at most ${MAX_LOG_ID} (got ${after})`);
      const rows = await db.logEntry.findMany({
        where: { workerId: request.params.id, ...(after ? { id: { gt: BigInt(after) } } : {}), ...(level ? { level } : {}) },
        orderBy: { id: after ? 'asc' : 'desc' },
        take: limit ?? 200,
      });
      if (!after) rows.reverse();
      return rows.map((l) => ({ id: l.id.toString(), tickRunId: l.tickRunId, level: l.level, message: l.message, at: l.at.toISOString() }));
    });

    app.get('/:id/state', { schema: { params: IdParams } }, async (request) => {
      await own(request.user.id, request.params.id);
      const row = await db.workerState.findUnique({ where: { workerId: request.params.id } });
      return { state: row?.data ?? {}, updatedAt: row?.updatedAt.toISOString() ?? null };
    });

    app.delete('/:id/state', { schema: { params: IdParams } }, async (request, reply) => {
      await own(request.user.id, request.params.id);
      await db.workerState.deleteMany({ where: { workerId: request.params.id } });
      return reply.code(204).send();
    });
  };
}
