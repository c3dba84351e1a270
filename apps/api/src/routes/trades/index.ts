import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TradesQuery } from '@tickbox/contract';
import type { TradeLog } from '@tickbox/db';
import { tradeFilter } from './trade-filter.ts';
import { tradeView } from './trade-view.ts';
import { tradesCsvRoutes } from './csv.ts';
import { tradesSummaryRoutes } from './summary.ts';
import type { AppDeps } from '../../app.ts';
import { badRequest } from '../../api-error.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Keyset cursor: the (createdAt, id) of the last row seen, newest first.
const encodeCursor = (t: TradeLog) => Buffer.from(`${t.createdAt.toISOString()}|${t.id}`).toString('base64url');
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || !UUID.test(id) || Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) throw badRequest('query.cursor is not a cursor returned by this endpoint');
  return { at: date, id };
}

export function tradeRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/trades', { schema: { querystring: TradesQuery } }, async (request) => {
      const q = request.query;
      const limit = q.limit ?? 50;
      const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
      const rows = await deps.db.tradeLog.findMany({
        where: {
          ...tradeFilter(request.user.id, q),
          ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      return { items: page.map(tradeView), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
    });
    await app.register(tradesCsvRoutes(deps));
    await app.register(tradesSummaryRoutes(deps));
  };
}
