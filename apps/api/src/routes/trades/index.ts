import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TradesQuery } from '@tickbox/contract';
import type { TradeLog } from '@tickbox/db';
import type { AppDeps } from '../../app.ts';
import { badRequest } from '../../api-error.ts';

const dec = (v: { toString(): string } | null) => (v === null ? null : v.toString());

export function tradeView(t: TradeLog) {
  return {
    id: t.id, workerId: t.workerId, tickRunId: t.tickRunId, mode: t.mode, market: t.market, productType: t.productType,
    action: t.action, symbol: t.symbol, side: t.side, tradeSide: t.tradeSide, orderType: t.orderType,
    size: dec(t.size), price: dec(t.price), clientOid: t.clientOid, orderId: t.orderId, status: t.status,
    errorCode: t.errorCode, errorMessage: t.errorMessage, fillSize: dec(t.fillSize), fillPrice: dec(t.fillPrice),
    fee: dec(t.fee), realizedPnl: dec(t.realizedPnl), createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString(),
  };
}

// Keyset cursor: the (createdAt, id) of the last row seen, newest first.
const encodeCursor = (t: TradeLog) => Buffer.from(`${t.createdAt.toISOString()}|${t.id}`).toString('base64url');
function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime())) throw badRequest('query.cursor is not a cursor returned by this endpoint');
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
          userId: request.user.id,
          ...(q.workerId ? { workerId: q.workerId } : {}),
          ...(q.symbol ? { symbol: q.symbol.toUpperCase() } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.from || q.to ? { createdAt: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lt: new Date(q.to) } : {}) } } : {}),
          ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      });
      const page = rows.slice(0, limit);
      return { items: page.map(tradeView), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]!) : null };
    });
  };
}
