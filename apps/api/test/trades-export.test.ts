import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '@tickbox/db';
import { createHarness, createUser } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

const D = (v: string) => new Prisma.Decimal(v);

async function seed(userId: string, workerId: string | null) {
  const base = { userId, workerId, mode: 'sim', market: 'futures', action: 'place', side: 'buy', request: {} };
  await h.db.tradeLog.createMany({ data: [
    { ...base, symbol: 'BTCUSDT', clientOid: `a-${randomUUID()}`, status: 'filled', size: D('0.001'), fillSize: D('0.001'), fillPrice: D('60000.1'), fee: D('-0.03600006'), realizedPnl: D('0'), createdAt: new Date('2026-01-01T00:00:01Z') },
    { ...base, symbol: 'BTCUSDT', clientOid: `b-${randomUUID()}`, status: 'filled', size: D('0.002'), fillSize: D('0.002'), fillPrice: D('60010'), fee: D('-0.072012'), realizedPnl: D('1.25'), createdAt: new Date('2026-01-01T00:00:02Z') },
    { ...base, symbol: 'ETHUSDT', clientOid: `c-${randomUUID()}`, status: 'rejected', size: D('0.0001'), errorCode: '45110', errorMessage: '=HYPERLINK("http://x"), less than "5 USDT"\nsecond line', createdAt: new Date('2026-01-01T00:00:03Z') },
  ] });
}

describe('GET /api/trades.csv', () => {
  it('exports the journal as CSV, exact decimals, quoted text, no formula injection', async () => {
    const { userId, auth } = await createUser(h.db);
    await seed(userId, null);
    const res = await h.app.inject({ method: 'GET', url: '/api/trades.csv', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.body.trimEnd().split('\n');
    expect(lines[0]).toBe('createdAt,id,workerId,mode,market,productType,action,symbol,side,tradeSide,orderType,size,price,status,orderId,clientOid,fillSize,fillPrice,fee,realizedPnl,errorCode,errorMessage,triggeredOrderId');
    expect(lines[1]).toContain(',0.001,,filled,');
    expect(lines[1]).toContain(',60000.1,-0.03600006,0,');
    expect(res.body).toContain(`"'=HYPERLINK(""http://x""), less than ""5 USDT""\nsecond line"`);
    const eth = await h.app.inject({ method: 'GET', url: '/api/trades.csv?symbol=ETHUSDT', headers: auth });
    expect(eth.body.trimEnd().split('\n')).toHaveLength(3); // header + a row spanning two lines
    expect((await h.app.inject({ method: 'GET', url: '/api/trades.csv?limit=5', headers: auth })).statusCode).toBe(400);
  });
});

describe('GET /api/trades/summary', () => {
  it('sums volume, fees and realized P&L exactly, per worker and symbol, for the user only', async () => {
    const a = await createUser(h.db);
    const other = await createUser(h.db);
    await seed(a.userId, null);
    await seed(other.userId, null);
    const res = await h.app.inject({ method: 'GET', url: '/api/trades/summary', headers: a.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      // 0.001 × 60000.1 + 0.002 × 60010 = 60.0001 + 120.02
      { workerId: null, symbol: 'BTCUSDT', orders: 2, filled: 2, rejected: 0, volume: '180.0201', fees: '-0.10801206', realizedPnl: '1.25' },
      { workerId: null, symbol: 'ETHUSDT', orders: 1, filled: 0, rejected: 1, volume: '0', fees: '0', realizedPnl: '0' },
    ]);
    const later = await h.app.inject({ method: 'GET', url: '/api/trades/summary?from=2026-01-01T00:00:02Z', headers: a.auth });
    expect(later.json().map((r: { symbol: string; orders: number }) => [r.symbol, r.orders])).toEqual([['BTCUSDT', 1], ['ETHUSDT', 1]]);
  });
});
