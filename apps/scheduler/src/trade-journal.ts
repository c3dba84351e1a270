import type { Logger } from 'pino';
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
 *
 * Only `beforeSend` may fail the call (then nothing is sent). Once the exchange has answered,
 * a failed journal write must not turn a placed order (or a done cancel) into an error the
 * worker sees — its code could retry and order twice. Such a write is logged and the row stays
 * `pending`, which reconciliation resolves by clientOid after its grace period.
 */
export function createTradeJournal(db: Db, ctx: JournalContext, logger: Pick<Logger, 'error'>): OrderHooks {
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
      try {
        await db.$transaction(outcomes.map((o) => db.tradeLog.update({
          where: { clientOid: o.clientOid },
          data: {
            status: o.status, orderId: o.orderId ?? null, errorCode: o.errorCode ?? null,
            errorMessage: o.errorMessage ?? null, response: json(o.response),
          },
        })));
      } catch (err) {
        logger.error({ err: safeError(err), workerId: ctx.workerId, clientOids: outcomes.map((o) => o.clientOid) }, 'trade journal: could not record an order outcome; reconciliation will resolve the pending row');
      }
    },
    async onChange(change: OrderChange) {
      if (!change.ok || (!change.orderId && !change.clientOid)) return;
      const status = change.action === 'modify' ? 'modified' : 'cancelled';
      try {
        await db.tradeLog.updateMany({
          where: {
            // Orders of this key only: order ids are only unique within one exchange account.
            userId: ctx.userId, keyId: ctx.keyId,
            OR: [...(change.orderId ? [{ orderId: change.orderId }] : []), ...(change.clientOid ? [{ clientOid: change.clientOid }] : [])],
            status: { in: ['accepted', 'pending'] },
          },
          data: { status },
        });
      } catch (err) {
        logger.error({ err: safeError(err), workerId: ctx.workerId, orderId: change.orderId, clientOid: change.clientOid }, 'trade journal: could not record an order change');
      }
    },
  };
}

const safeError = (e: unknown) => ({ name: (e as Error)?.name, code: (e as { code?: unknown })?.code, message: (e as Error)?.message });
