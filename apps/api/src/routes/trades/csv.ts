import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { TradesCsvQuery } from '@tickbox/contract';
import type { AppDeps } from '../../app.ts';
import { tradeFilter } from './trade-filter.ts';
import { tradeView } from './trade-view.ts';

const COLUMNS = ['createdAt', 'id', 'workerId', 'mode', 'market', 'productType', 'action', 'symbol', 'side', 'tradeSide', 'orderType',
  'size', 'price', 'status', 'orderId', 'clientOid', 'fillSize', 'fillPrice', 'fee', 'realizedPnl', 'errorCode', 'errorMessage',
  // Added later: new columns go last, so spreadsheets reading columns by position keep working.
  'triggeredOrderId'] as const;
const PAGE = 1000;

// RFC 4180 quoting; a cell starting with = + - @ tab or CR is prefixed with ' so spreadsheets
// never run it as a formula — unless the whole cell is a number (a negative fee or P&L).
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** GET /api/trades.csv — the journal with the same filters, oldest first, streamed in pages. */
export function tradesCsvRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/trades.csv', { schema: { querystring: TradesCsvQuery } }, async (request, reply) => {
      const where = tradeFilter(request.user.id, request.query);
      const page = (cursor?: string) => deps.db.tradeLog.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: PAGE, ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}) });
      // The first page is read before anything is sent, so a failing query is an error status,
      // not a 200 cut short.
      const first = await page();
      reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="tickbox-trades.csv"');
      async function* lines() {
        yield COLUMNS.join(',') + '\n';
        let rows = first;
        for (;;) {
          for (const r of rows) {
            const v = tradeView(r) as Record<string, unknown>;
            yield COLUMNS.map((c) => csvCell(v[c])).join(',') + '\n';
          }
          if (rows.length < PAGE) return;
          rows = await page(rows[rows.length - 1]!.id);
        }
      }
      return reply.send(Readable.from(lines()));
    });
  };
}



