import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TradesSummaryQuery } from '@tickbox/contract';
import type { AppDeps } from '../../app.ts';
import { queryTime } from './trade-filter.ts';

interface Row { workerId: string | null; symbol: string; orders: bigint; filled: bigint; rejected: bigint; volume: string | null; fees: string | null; realizedPnl: string | null }

/**
 * GET /api/trades/summary — per worker and symbol: order counts, traded volume (Σ fill size ×
 * fill price, in the quote/margin coin), fees and realized P&L. Sums are computed in SQL on
 * NUMERIC and returned as exact decimal strings.
 */
export function tradesSummaryRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/trades/summary', { schema: { querystring: TradesSummaryQuery } }, async (request) => {
      const { workerId } = request.query;
      const from = queryTime('from', request.query.from) ?? null;
      const to = queryTime('to', request.query.to) ?? null;
      const rows = await deps.db.$queryRaw<Row[]>`
        SELECT "workerId", "symbol",
               count(*) AS orders,
               count(*) FILTER (WHERE "status" IN ('filled', 'partially_filled')) AS filled,
               count(*) FILTER (WHERE "status" IN ('rejected', 'failed')) AS rejected,
               sum("fillSize" * "fillPrice")::text AS volume,
               sum("fee")::text AS fees,
               sum("realizedPnl")::text AS "realizedPnl"
          FROM "TradeLog"
         WHERE "userId" = ${request.user.id}::uuid
           AND (${workerId ?? null}::uuid IS NULL OR "workerId" = ${workerId ?? null}::uuid)
           AND (${from}::timestamptz IS NULL OR "createdAt" >= ${from}::timestamptz)
           AND (${to}::timestamptz IS NULL OR "createdAt" < ${to}::timestamptz)
         GROUP BY "workerId", "symbol"
         ORDER BY "workerId", "symbol"`;
      const norm = (v: string | null) => (v === null ? '0' : v.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));
      return rows.map((r) => ({
        workerId: r.workerId, symbol: r.symbol, orders: Number(r.orders), filled: Number(r.filled), rejected: Number(r.rejected),
        volume: norm(r.volume), fees: norm(r.fees), realizedPnl: norm(r.realizedPnl),
      }));
    });
  };
}
