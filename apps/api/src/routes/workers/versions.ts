import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { IdParams } from '@tickbox/contract';
import type { AppDeps } from '../../app.ts';
import { notFound } from '../../api-error.ts';

const VersionParams = Type.Object({ id: Type.String({ format: 'uuid' }), versionId: Type.String({ format: 'uuid' }) });

/**
 * A worker's code history: every PATCH with code stores a version and the worker runs the newest.
 * Rolling back is a PATCH with an older version's code and language (a new version, so the
 * history stays in order and setup runs again, as for any deploy).
 */
export function workerVersionRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const { db } = deps;
  const own = async (userId: string, id: string) => {
    const w = await db.worker.findFirst({ where: { id, userId }, select: { id: true, versionId: true } });
    if (!w) throw notFound('worker');
    return w;
  };
  return async (app) => {
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
