import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { IdParams, LogsQuery } from '@tickbox/contract';
import type { AppDeps } from '../../app.ts';
import { badRequest, notFound } from '../../api-error.ts';

/** LogEntry ids are PostgreSQL bigint. */
const MAX_LOG_ID = 2n ** 63n - 1n;

const VersionParams = Type.Object({ id: Type.String({ format: 'uuid' }), versionId: Type.String({ format: 'uuid' }) });

/**
 * Read side of a worker: tick runs, logs, state, and its code history. Every PATCH with code
 * stores a version and the worker runs the newest; rolling back is a PATCH with an older
 * version's code and language (a new version, so the history stays in order and setup runs
 * again, as for any deploy).
 */
export function workerActivityRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const { db } = deps;
  const own = async (userId: string, id: string) => {
    const w = await db.worker.findFirst({ where: { id, userId }, select: { id: true, versionId: true } });
    if (!w) throw notFound('worker');
    return w;
  };
  return async (app) => {
    app.get('/:id/runs', { schema: { params: IdParams, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }) } }, async (request) => {
      await own(request.user.id, request.params.id);
      const runs = await db.tickRun.findMany({ where: { workerId: request.params.id }, orderBy: { startedAt: 'desc' }, take: request.query.limit ?? 50 });
      return runs.map((r) => ({
        id: r.id, versionId: r.versionId, phase: r.phase, trigger: r.trigger, status: r.status, error: r.error, errorStack: r.errorStack,
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

    app.get('/:id/versions', { schema: { params: IdParams, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }) } }, async (request) => {
      const w = await own(request.user.id, request.params.id);
      const rows = await db.workerVersion.findMany({
        where: { workerId: w.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: request.query.limit ?? 50,
        select: { id: true, language: true, hash: true, createdAt: true, _count: { select: { runs: true, trades: true } } },
      });
      return {
        items: rows.map((v) => ({
          id: v.id, language: v.language, hash: v.hash, createdAt: v.createdAt.toISOString(), current: v.id === w.versionId,
          runs: v._count.runs, trades: v._count.trades,
        })),
      };
    });

    app.get('/:id/versions/:versionId', { schema: { params: VersionParams } }, async (request) => {
      const w = await own(request.user.id, request.params.id);
      const v = await db.workerVersion.findFirst({ where: { id: request.params.versionId, workerId: w.id } });
      if (!v) throw notFound('version');
      return { id: v.id, language: v.language, hash: v.hash, createdAt: v.createdAt.toISOString(), current: v.id === w.versionId, code: v.code };
    });
  };
}
