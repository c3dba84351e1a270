import type { TradeViewT } from '@tickbox/contract';
import { positiveInt, str } from '../args.ts';
import type { Command, Options } from '../context.ts';
import { UsageError } from '../errors.ts';
import { unreachable } from '../http.ts';
import type { Api } from '../http.ts';
import { json, table, time, writeAll } from '../output.ts';
import { workerId, workerNames } from '../refs.ts';

interface SummaryRow { workerId: string | null; symbol: string; orders: number; filled: number; rejected: number; volume: string; fees: string; realizedPnl: string }

const FILTERS = { worker: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } as const;

async function filters(api: Api, opts: Options) {
  const worker = str(opts, 'worker');
  return { workerId: worker === undefined ? undefined : await workerId(api, worker), from: str(opts, 'from'), to: str(opts, 'to') };
}

/** Deleted workers keep their trades but leave the worker list; show their id instead. */
const workerLabel = (names: Map<string, string>, id: string | null) => (id === null ? '-' : names.get(id) ?? id);

/** The journal, newest first. Decimals are printed exactly as the api sends them. */
const list: Command = {
  name: 'trades',
  options: { ...FILTERS, symbol: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' }, csv: { type: 'boolean' } },
  async run(_args, opts, ctx) {
    const limit = positiveInt(opts, 'limit', 'trades');
    const cursor = str(opts, 'cursor');
    if (opts.csv && (ctx.json || limit !== undefined || cursor !== undefined)) {
      throw new UsageError('trades: --csv exports every matching trade; it does not combine with --json, --limit or --cursor', 'trades');
    }
    const api = await ctx.api();
    const query = { ...(await filters(api, opts)), symbol: str(opts, 'symbol'), status: str(opts, 'status') };
    if (opts.csv) {
      const res = await api.open('/api/trades.csv', query, 'text/csv');
      try {
        for await (const chunk of res.body ?? []) await writeAll(ctx.io.stdout, chunk);
      } catch (err) {
        throw unreachable(api.url, err);
      }
      return;
    }
    const page = await api.get<{ items: TradeViewT[]; nextCursor: string | null }>('/api/trades', { ...query, limit, cursor });
    if (ctx.json) return ctx.print(json(page));
    if (page.items.length === 0) return ctx.print('no trades\n');
    const names = await workerNames(api);
    ctx.print(table(['time', 'worker', 'symbol', 'side', 'type', 'size', 'price', 'status', 'filled', 'avg price', 'fee', 'pnl', 'error'],
      page.items.map((t) => [
        time(t.createdAt), workerLabel(names, t.workerId), t.symbol, [t.side, t.tradeSide].filter(Boolean).join('/') || t.action,
        [t.orderType, KIND[t.action]].filter(Boolean).join(' '), t.size, t.price, t.status, t.fillSize, t.fillPrice, t.fee, t.realizedPnl, t.errorMessage,
      ])));
    if (page.nextCursor) ctx.print(`more: add --cursor ${page.nextCursor}\n`);
  },
};

/** Orders that wait for a price (their row follows the order they place once they fire). */
const KIND: Record<string, string> = { plan: 'trigger', tpsl: 'tp/sl' };

const summary: Command = {
  name: 'trades summary',
  options: FILTERS,
  async run(_args, opts, ctx) {
    const api = await ctx.api();
    const rows = await api.get<SummaryRow[]>('/api/trades/summary', await filters(api, opts));
    if (ctx.json) return ctx.print(json(rows));
    if (rows.length === 0) return ctx.print('no trades\n');
    const names = await workerNames(api);
    ctx.print(table(['worker', 'symbol', 'orders', 'filled', 'rejected', 'volume', 'fees', 'realized pnl'],
      rows.map((r) => [workerLabel(names, r.workerId), r.symbol, r.orders, r.filled, r.rejected, r.volume, r.fees, r.realizedPnl])));
  },
};

export const tradeCommands: Command[] = [list, summary];
