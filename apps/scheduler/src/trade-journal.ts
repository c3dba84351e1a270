import type { Logger } from 'pino';
import { BitgetOrderNotSentError } from '@tickbox/bitget';
import type { OrderChange, OrderHooks, OrderIntent, OrderOutcome } from '@tickbox/bitget';
import { Prisma } from '@tickbox/db';
import type { Db } from '@tickbox/db';

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
 * Only `beforeSend` may fail the call (then nothing is sent), and only with a
 * BitgetOrderNotSentError (see notSentError). Once the exchange has answered, a failed journal
 * write must not turn a placed order (or a done cancel) into an error the worker sees — its code
 * could retry and order twice. Such a write is logged and the row stays `pending`, which
 * reconciliation resolves by clientOid after its grace period.
 *
 * A clientOid is unique per key (as Bitget's are per account), so rows are found by key and
 * clientOid, never by clientOid alone.
 */
export function createTradeJournal(
  db: Db, ctx: JournalContext, logger: Pick<Logger, 'error' | 'warn'>,
  /** Told of every order the exchange refused, as one line (`BTCUSDT buy 0.01: 40762 …`), for alerts. */
  onRejected?: (line: string) => void,
): OrderHooks {
  const sent = new Map<string, OrderIntent>();
  return {
    async beforeSend(intents: OrderIntent[]) {
      if (onRejected) for (const i of intents) sent.set(i.clientOid, i);
      try {
        const filled = await Promise.all(intents.map((i) => (i.replaces ? withReplacedFields(db, ctx, i) : i)));
        await db.tradeLog.createMany({
          data: filled.map((i) => ({
            userId: ctx.userId, workerId: ctx.workerId, tickRunId: ctx.tickRunId, versionId: ctx.versionId, keyId: ctx.keyId,
            mode: ctx.mode, market: i.market, productType: i.productType ?? null, action: i.action, symbol: i.symbol,
            side: i.side ?? null, tradeSide: i.tradeSide ?? null, orderType: i.orderType ?? null, force: i.force ?? null,
            marginMode: i.marginMode ?? null, marginCoin: i.marginCoin ?? null, reduceOnly: i.reduceOnly ?? null,
            size: dec(i.size), price: dec(i.price), clientOid: i.clientOid, status: 'pending', request: json(i.request) as Prisma.InputJsonValue,
          })),
        });
      } catch (err) {
        throw await notSentError(db, ctx, intents.map((i) => i.clientOid), err, logger);
      }
    },
    async afterSend(outcomes: OrderOutcome[]) {
      const clientOids = outcomes.map((o) => o.clientOid);
      for (const o of outcomes) {
        const intent = sent.get(o.clientOid);
        sent.delete(o.clientOid);
        if (o.status === 'rejected' && intent && onRejected) onRejected(rejectionLine(intent, o));
      }
      try {
        const written = await db.$transaction(outcomes.map((o) => db.tradeLog.updateMany({
          where: { userId: ctx.userId, keyId: ctx.keyId, clientOid: o.clientOid },
          data: {
            status: o.status, orderId: o.orderId ?? null, errorCode: o.errorCode ?? null,
            errorMessage: o.errorMessage ?? null, response: json(o.response),
          },
        })));
        const missing = clientOids.filter((_, i) => written[i]!.count !== 1);
        if (missing.length > 0) throw new Error(`no pending row for clientOid ${missing.join(', ')}`);
      } catch (err) {
        logger.error({ err: safeError(err), workerId: ctx.workerId, clientOids }, 'trade journal: could not record an order outcome; reconciliation will resolve the pending row');
      }
    },
    async onChange(change: OrderChange) {
      // A cancel-all with failures is not ok, but the orders in its successList are cancelled.
      if (!change.ok && change.action !== 'cancel_all') return;
      // A modify of only the TP/SL keeps the order live (reconciliation goes on following it); one
      // with a new size and price cancelled it, and its replacement has its own row (action 'replace').
      if (change.action === 'modify' && !change.replaced) return;
      const targets = changedOrders(change);
      if (targets.length === 0) return;
      try {
        await db.tradeLog.updateMany({
          where: {
            // Orders of this key only: order ids are only unique within one exchange account.
            userId: ctx.userId, keyId: ctx.keyId, OR: targets,
            status: { in: ['accepted', 'pending'] },
          },
          data: { status: change.action === 'modify' ? 'replaced' : 'cancelled' },
        });
      } catch (err) {
        logger.error({ err: safeError(err), workerId: ctx.workerId, orderId: change.orderId, clientOid: change.clientOid }, 'trade journal: could not record an order change');
      }
    },
  };
}

/** Row filters for one order named by orderId and/or clientOid (empty and non-string ids ignored). */
function byIds(orderId: unknown, clientOid: unknown): Prisma.TradeLogWhereInput[] {
  return [
    ...(typeof orderId === 'string' && orderId !== '' ? [{ orderId }] : []),
    ...(typeof clientOid === 'string' && clientOid !== '' ? [{ clientOid }] : []),
  ];
}

/** The orders a change touched: the one it named, or for a cancel-all each order in its successList. */
function changedOrders(change: OrderChange): Prisma.TradeLogWhereInput[] {
  if (change.action !== 'cancel_all') return byIds(change.orderId, change.clientOid);
  const data = (change.response as { data?: { successList?: unknown } } | undefined)?.data;
  const list = Array.isArray(data?.successList) ? (data.successList as { orderId?: unknown; clientOid?: unknown }[]) : [];
  return list.slice(0, 1000).flatMap((e) => byIds(e?.orderId, e?.clientOid));
}

/**
 * A replacing order is the replaced one with a new size and price: its side, trade side, margin
 * mode and the rest come from the replaced order's row (this key's), which the request does not
 * repeat. Best effort: without that row the replacement is journalled with what the request says.
 */
async function withReplacedFields(db: Db, ctx: JournalContext, intent: OrderIntent): Promise<OrderIntent> {
  try {
    const row = await db.tradeLog.findFirst({
      where: { userId: ctx.userId, keyId: ctx.keyId, OR: byIds(intent.replaces?.orderId, intent.replaces?.clientOid) },
      orderBy: { createdAt: 'desc' },
    });
    if (!row) return intent;
    const pick = (mine: string | undefined, theirs: string | null) => mine ?? theirs ?? undefined;
    return {
      ...intent,
      productType: pick(intent.productType, row.productType), side: pick(intent.side, row.side), tradeSide: pick(intent.tradeSide, row.tradeSide),
      force: pick(intent.force, row.force), marginMode: pick(intent.marginMode, row.marginMode), marginCoin: pick(intent.marginCoin, row.marginCoin),
      reduceOnly: pick(intent.reduceOnly, row.reduceOnly),
    };
  } catch {
    return intent;
  }
}

const safeError = (e: unknown) => ({ name: (e as Error)?.name, code: (e as { code?: unknown })?.code, message: (e as Error)?.message });

/**
 * What the worker sees when its order's pending row could not be written (so nothing was sent).
 * Never the database's error: its text names host paths and code, and a constraint violation
 * would tell one user about another's orders. The original goes to the host log.
 */
async function notSentError(
  db: Db, ctx: JournalContext, clientOids: string[], err: unknown, logger: Pick<Logger, 'error' | 'warn'>,
): Promise<BitgetOrderNotSentError> {
  const duplicate = isUniqueViolation(err) ? await usedClientOid(db, ctx, clientOids) : undefined;
  const log = { err: safeError(err), workerId: ctx.workerId, keyId: ctx.keyId, clientOids };
  if (duplicate !== undefined) {
    logger.warn(log, 'trade journal: clientOid already used on this key; the order was not sent');
    return new BitgetOrderNotSentError('DUPLICATE_CLIENT_OID', `clientOid '${duplicate}' was already used for an order on this key`);
  }
  logger.error(log, 'trade journal: could not write the pending row; the order was not sent');
  return new BitgetOrderNotSentError('JOURNAL_FAILED', 'the order was not sent: its journal entry could not be written');
}

const isUniqueViolation = (e: unknown) => e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002';

/** The clientOid that is already taken on this key (or twice in one batch); undefined when none is found. */
async function usedClientOid(db: Db, ctx: JournalContext, clientOids: string[]): Promise<string | undefined> {
  const twice = clientOids.find((o, i) => clientOids.indexOf(o) !== i);
  if (twice !== undefined || ctx.keyId === null) return twice;
  try {
    const row = await db.tradeLog.findFirst({ where: { keyId: ctx.keyId, clientOid: { in: clientOids } }, select: { clientOid: true } });
    return row?.clientOid;
  } catch {
    return undefined;
  }
}

/** An order the exchange refused, as alerts show it. */
function rejectionLine(i: OrderIntent, o: OrderOutcome): string {
  const what = [i.symbol, i.side, i.tradeSide, i.size, i.orderType === 'limit' && i.price ? `@ ${i.price}` : undefined].filter(Boolean).join(' ');
  return `${what}: ${[o.errorCode, o.errorMessage].filter(Boolean).join(' ') || 'rejected'}`;
}
