// The journal's order hooks on the real test PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
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
    expect((await db.tradeLog.findUniqueOrThrow({ where: { clientOid } })).status).toBe('pending');
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
    expect((await db.tradeLog.findUniqueOrThrow({ where: { clientOid: mine } })).status).toBe('cancelled');
    expect((await db.tradeLog.findUniqueOrThrow({ where: { clientOid: theirs } })).status).toBe('accepted');
  });
});
