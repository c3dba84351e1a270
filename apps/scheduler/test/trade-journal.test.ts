// The journal's order hooks on the real test PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { BitgetOrderNotSentError } from '@tickbox/bitget';
import { createDb } from '@tickbox/db';
import type { Db } from '@tickbox/db';
import { createTradeJournal } from '../src/trade-journal.ts';
import type { JournalContext } from '../src/trade-journal.ts';

let db: Db;
beforeAll(() => { db = createDb(inject('databaseUrl'), { max: 2 }); });
afterAll(() => db.$disconnect());

async function context(): Promise<JournalContext> {
  const user = await db.user.create({ data: { name: `j-${randomUUID()}` } });
  return { userId: user.id, workerId: null as unknown as string, tickRunId: null as unknown as string, versionId: null as unknown as string, keyId: randomUUID(), mode: 'sim' };
}
/** The context with a real worker (TradeLog.workerId is a foreign key), so logs can be checked for its id. */
async function withWorker(ctx: JournalContext): Promise<JournalContext> {
  const worker = await db.worker.create({ data: { userId: ctx.userId, name: 'w', schedule: { every: '1h' }, enabled: false } });
  return { ...ctx, workerId: worker.id };
}
const intent = (clientOid: string) => ({ clientOid, method: 'futures_place_order', action: 'place' as const, market: 'futures' as const, symbol: 'BTCUSDT', side: 'buy', size: '0.001', request: {} });

describe('trade journal', () => {
  it('a failed write of the exchange answer does not fail the order call; the row stays pending for reconciliation', async () => {
    const ctx = await context();
    const errors: unknown[] = [];
    const logger = { error: (obj: unknown) => { errors.push(obj); } };
    // The database goes away between the two writes (the order has already been placed).
    const flaky = new Proxy(db, { get: (t, p) => (p === '$transaction' ? () => Promise.reject(new Error('connection terminated')) : Reflect.get(t, p)) });
    const journal = createTradeJournal(flaky as Db, ctx, logger as never);
    const clientOid = `c-${randomUUID()}`;
    await journal.beforeSend!([intent(clientOid)]);
    await expect(journal.afterSend!([{ clientOid, status: 'accepted', orderId: '123' }])).resolves.toBeUndefined();
    expect((await db.tradeLog.findUniqueOrThrow({ where: { keyId_clientOid: { keyId: ctx.keyId!, clientOid } } })).status).toBe('pending');
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain(clientOid);
  });

  it('a cancel marks only the rows of the key it was made with (order ids are per exchange account)', async () => {
    const ctx = await context();
    const other = { ...ctx, keyId: randomUUID() };
    const logger = { error: () => undefined };
    const mine = `c-${randomUUID()}`;
    const theirs = `c-${randomUUID()}`;
    await createTradeJournal(db, ctx, logger as never).beforeSend!([intent(mine)]);
    await createTradeJournal(db, other, logger as never).beforeSend!([intent(theirs)]);
    await db.tradeLog.updateMany({ where: { clientOid: { in: [mine, theirs] } }, data: { status: 'accepted', orderId: '777' } });
    await createTradeJournal(db, ctx, logger as never).onChange!({ method: 'futures_cancel_order', action: 'cancel', orderId: '777', ok: true });
    expect((await db.tradeLog.findUniqueOrThrow({ where: { keyId_clientOid: { keyId: ctx.keyId!, clientOid: mine } } })).status).toBe('cancelled');
    expect((await db.tradeLog.findUniqueOrThrow({ where: { keyId_clientOid: { keyId: other.keyId!, clientOid: theirs } } })).status).toBe('accepted');
  });

  it('a cancel-all marks the orders in its successList (this key only), not the ones it did not cancel', async () => {
    const ctx = await context();
    const other = { ...ctx, keyId: randomUUID() };
    const logger = { error: () => undefined };
    const [a, b, c] = [`a-${randomUUID()}`, `b-${randomUUID()}`, `c-${randomUUID()}`];
    await createTradeJournal(db, ctx, logger as never).beforeSend!([intent(a), intent(b), intent(c)]);
    await createTradeJournal(db, other, logger as never).beforeSend!([intent(a)]);
    await db.tradeLog.updateMany({ where: { clientOid: { in: [a, b, c] } }, data: { status: 'accepted' } });
    await db.tradeLog.updateMany({ where: { clientOid: b }, data: { orderId: '8001' } });
    await createTradeJournal(db, ctx, logger as never).onChange!({
      // Not ok: one order could not be cancelled; the others were.
      method: 'futures_cancel_all_orders', action: 'cancel_all', symbol: 'BTCUSDT', ok: false, errorCode: '40001',
      response: { code: '00000', msg: 'success', requestTime: 1, data: { successList: [{ orderId: '', clientOid: a }, { orderId: '8001', clientOid: '' }], failureList: [{ orderId: '9', clientOid: c }] } },
    });
    const status = async (keyId: string, clientOid: string) => (await db.tradeLog.findUniqueOrThrow({ where: { keyId_clientOid: { keyId, clientOid } } })).status;
    expect([await status(ctx.keyId!, a), await status(ctx.keyId!, b), await status(ctx.keyId!, c), await status(other.keyId, a)])
      .toEqual(['cancelled', 'cancelled', 'accepted', 'accepted']);
  });

  it('a replacing order takes side and margin fields from the replaced row of its own key only; the replaced row becomes replaced', async () => {
    const ctx = await context();
    const other = { ...ctx, keyId: randomUUID() };
    const logger = { error: () => undefined };
    const oid = `g-${randomUUID()}`;
    await createTradeJournal(db, other, logger as never).beforeSend!([{ ...intent(oid), side: 'sell', marginMode: 'isolated' }]);
    await createTradeJournal(db, ctx, logger as never).beforeSend!([{ ...intent(oid), marginMode: 'crossed', tradeSide: 'open' }]);
    await db.tradeLog.updateMany({ where: { clientOid: oid }, data: { status: 'accepted', orderId: '555' } });
    const journal = createTradeJournal(db, ctx, logger as never);
    const newOid = `g2-${randomUUID()}`;
    await journal.beforeSend!([{
      clientOid: newOid, method: 'futures_modify_order', action: 'replace', market: 'futures', symbol: 'BTCUSDT', orderType: 'limit',
      size: '0.5', price: '61000', request: {}, replaces: { orderId: '555' },
    }]);
    await journal.onChange!({ method: 'futures_modify_order', action: 'modify', orderId: '555', newClientOid: newOid, replaced: true, ok: true });
    const row = (keyId: string, clientOid: string) => db.tradeLog.findUniqueOrThrow({ where: { keyId_clientOid: { keyId, clientOid } } });
    expect(await row(ctx.keyId!, newOid)).toMatchObject({ action: 'replace', status: 'pending', side: 'buy', marginMode: 'crossed', tradeSide: 'open', orderType: 'limit' });
    expect((await row(ctx.keyId!, newOid)).size?.toString()).toBe('0.5');
    expect((await row(ctx.keyId!, oid)).status).toBe('replaced');
    expect((await row(other.keyId, oid)).status).toBe('accepted');
  });

  it('a clientOid is unique per key: another key may use it, the same key gets DUPLICATE_CLIENT_OID and its row is untouched', async () => {
    const ctx = await withWorker(await context());
    const other = await context(); // another user, another key
    const logs: { level: string; obj: Record<string, unknown> }[] = [];
    const logger = { error: (obj: Record<string, unknown>) => logs.push({ level: 'error', obj }), warn: (obj: Record<string, unknown>) => logs.push({ level: 'warn', obj }) };
    const oid = `dca-${randomUUID().slice(0, 8)}`;
    await createTradeJournal(db, ctx, logger as never).beforeSend!([intent(oid)]);
    await createTradeJournal(db, other, logger as never).beforeSend!([intent(oid)]);
    await createTradeJournal(db, ctx, logger as never).afterSend!([{ clientOid: oid, status: 'accepted', orderId: '1' }]);
    expect(logs).toEqual([]);

    const err = await createTradeJournal(db, ctx, logger as never).beforeSend!([intent(`x-${randomUUID().slice(0, 8)}`), intent(oid)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BitgetOrderNotSentError);
    expect(err).toMatchObject({ name: 'BitgetOrderNotSentError', code: 'DUPLICATE_CLIENT_OID', message: `clientOid '${oid}' was already used for an order on this key` });
    expect((err as Error).cause).toBeUndefined();
    // The original (Prisma's unique violation) is logged on the host with the worker id.
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: 'warn', obj: { workerId: ctx.workerId, keyId: ctx.keyId, err: { code: 'P2002' } } });
    const rows = await db.tradeLog.findMany({ where: { clientOid: oid }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => [r.keyId, r.status])).toEqual([[ctx.keyId, 'accepted'], [other.keyId, 'pending']]);
    // The batch was all or nothing: its other item was not written either.
    expect(await db.tradeLog.count({ where: { keyId: ctx.keyId } })).toBe(1);
  });

  it('the same clientOid twice in one batch is a duplicate too', async () => {
    const ctx = await context();
    const logger = { error: () => undefined, warn: () => undefined };
    const err = await createTradeJournal(db, ctx, logger as never).beforeSend!([intent('twice'), intent('twice')]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'DUPLICATE_CLIENT_OID', message: "clientOid 'twice' was already used for an order on this key" });
  });

  it('any other failed pending-row write reaches the worker as JOURNAL_FAILED, without the database error', async () => {
    const ctx = await withWorker(await context());
    const logs: Record<string, unknown>[] = [];
    const logger = { error: (obj: Record<string, unknown>) => logs.push(obj), warn: () => undefined };
    // A user that does not exist: the insert fails on its foreign key (a Prisma error naming host paths).
    const journal = createTradeJournal(db, { ...ctx, userId: randomUUID() }, logger as never);
    const err = await journal.beforeSend!([intent(`c-${randomUUID()}`)]).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'BitgetOrderNotSentError', code: 'JOURNAL_FAILED', message: 'the order was not sent: its journal entry could not be written' });
    expect(Object.keys(err as object).sort()).toEqual(['code', 'name']);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ workerId: ctx.workerId });
    expect(JSON.stringify(logs[0])).toMatch(/tradeLog\.createMany|Foreign key/i);
  });
});
