import { Prisma } from '@tickbox/db';
import type { Db } from '@tickbox/db';
import type { OrderChange, OrderHooks, OrderIntent, OrderOutcome } from '@tickbox/bitget';

export interface JournalContext {
  userId: string; workerId: string; tickRunId: string; versionId: string; keyId: string | null; mode: string;
}

const dec = (v: string | undefined) => (v === undefined || v === '' ? null : new Prisma.Decimal(v));
const json = (v: unknown) => (v === undefined ? Prisma.DbNull : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue));

/**
 * The client's order hooks, writing TradeLog: a `pending` row is committed before the request
 * leaves (so a crash in between leaves evidence that reconciliation resolves by clientOid),
 * and updated with the exchange's answer after it.
 */
export function createTradeJournal(db: Db, ctx: JournalContext): OrderHooks {
  return {
    async beforeSend(intents: OrderIntent[]) {
      await db.tradeLog.createMany({
        data: intents.map((i) => ({
          userId: ctx.userId, workerId: ctx.workerId, tickRunId: ctx.tickRunId, versionId: ctx.versionId, keyId: ctx.keyId,
          mode: ctx.mode, market: i.market, productType: i.productType ?? null, action: i.action, symbol: i.symbol,
          side: i.side ?? null, tradeSide: i.tradeSide ?? null, orderType: i.orderType ?? null, force: i.force ?? null,
          marginMode: i.marginMode ?? null, marginCoin: i.marginCoin ?? null, reduceOnly: i.reduceOnly ?? null,
          size: dec(i.size), price: dec(i.price), clientOid: i.clientOid, status: 'pending', request: json(i.request) as Prisma.InputJsonValue,
        })),
      });
    },
    async afterSend(outcomes: OrderOutcome[]) {
      await db.$transaction(outcomes.map((o) => db.tradeLog.update({
        where: { clientOid: o.clientOid },
        data: {
          status: o.status, orderId: o.orderId ?? null, errorCode: o.errorCode ?? null,
          errorMessage: o.errorMessage ?? null, response: json(o.response),
        },
      })));
    },
    async onChange(change: OrderChange) {
      if (!change.ok || (!change.orderId && !change.clientOid)) return;
      const status = change.action === 'modify' ? 'modified' : 'cancelled';
      await db.tradeLog.updateMany({
        where: {
          userId: ctx.userId,
          OR: [...(change.orderId ? [{ orderId: change.orderId }] : []), ...(change.clientOid ? [{ clientOid: change.clientOid }] : [])],
          status: { in: ['accepted', 'pending'] },
        },
        data: { status },
      });
    },
  };
}
