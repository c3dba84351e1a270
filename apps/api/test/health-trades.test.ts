import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '@tickbox/db';
import { createHarness, createUser } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

describe('GET /health', () => {
  it('is 200 when PostgreSQL and Redis are up, without auth', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', api: 'up', postgres: 'up', redis: 'up' });
  });
});

describe('GET /api/trades', () => {
  it('pages newest first with a keyset cursor, keeps decimals exact, and shows only own rows', async () => {
    const a = await createUser(h.db);
    const b = await createUser(h.db);
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 5; i++) {
      await h.db.tradeLog.create({ data: {
        userId: a.userId, mode: 'sim', market: 'futures', action: 'place', symbol: i % 2 ? 'ETHUSDT' : 'BTCUSDT', side: 'buy',
        size: new Prisma.Decimal('0.123456789012345678'), price: new Prisma.Decimal('67010.5'), clientOid: `c-${randomUUID()}`,
        status: 'accepted', request: {}, createdAt: new Date(base + i * 1000),
      } });
    }
    await h.db.tradeLog.create({ data: { userId: b.userId, mode: 'sim', market: 'spot', action: 'place', symbol: 'BTCUSDT', clientOid: `c-${randomUUID()}`, status: 'accepted', request: {} } });
    const p1 = (await h.app.inject({ method: 'GET', url: '/api/trades?limit=2', headers: a.auth })).json();
    expect(p1.items).toHaveLength(2);
    expect(p1.items[0].createdAt).toBe('2026-01-01T00:00:04.000Z');
    expect(p1.items[0].size).toBe('0.123456789012345678');
    expect(p1.items[0].price).toBe('67010.5');
    const p2 = (await h.app.inject({ method: 'GET', url: `/api/trades?limit=2&cursor=${p1.nextCursor}`, headers: a.auth })).json();
    const p3 = (await h.app.inject({ method: 'GET', url: `/api/trades?limit=2&cursor=${p2.nextCursor}`, headers: a.auth })).json();
    expect([...p1.items, ...p2.items, ...p3.items].map((t: { createdAt: string }) => t.createdAt.slice(17, 19))).toEqual(['04', '03', '02', '01', '00']);
    expect(p3.nextCursor).toBeNull();
    const eth = (await h.app.inject({ method: 'GET', url: '/api/trades?symbol=ethusdt', headers: a.auth })).json();
    expect(eth.items).toHaveLength(2);
    expect((await h.app.inject({ method: 'GET', url: '/api/trades?cursor=garbage', headers: a.auth })).statusCode).toBe(400);
    expect((await h.app.inject({ method: 'GET', url: '/api/trades?limit=0', headers: a.auth })).statusCode).toBe(400);
  });
});

describe('decimals on the wire', () => {
  it('writes tiny and huge decimals in plain notation, exactly as stored (list and CSV)', async () => {
    const a = await createUser(h.db);
    await h.db.tradeLog.create({ data: {
      userId: a.userId, mode: 'sim', market: 'futures', action: 'place', symbol: 'BTCUSDT', side: 'sell', clientOid: `c-${randomUUID()}`,
      status: 'filled', request: {}, size: new Prisma.Decimal('0.00000001'), price: new Prisma.Decimal('123456789012345678.5'),
      fee: new Prisma.Decimal('-0.000000012345678901'), realizedPnl: new Prisma.Decimal('-0.0000001'),
    } });
    const [t] = (await h.app.inject({ method: 'GET', url: '/api/trades', headers: a.auth })).json().items;
    expect(t).toMatchObject({ size: '0.00000001', price: '123456789012345678.5', fee: '-0.000000012345678901', realizedPnl: '-0.0000001' });
    const csv = (await h.app.inject({ method: 'GET', url: '/api/trades.csv', headers: a.auth })).body;
    expect(csv).toContain('-0.000000012345678901');
    // no field in exponent form (ids are UUIDs, so look at whole fields)
    expect(csv.split(/[,\n]/).filter((field) => /^-?\d+(\.\d+)?e[-+]?\d+$/i.test(field))).toEqual([]);
    expect(csv).toContain(',0.00000001,');
  });
});

describe('GET /docs', () => {
  it('serves the OpenAPI document without auth, listing the routes', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/keys/', '/api/workers/', '/api/workers/{id}/run', '/api/trades', '/api/trades.csv', '/health']) expect(Object.keys(doc.paths)).toContain(path);
  });
});

describe('security headers', () => {
  it('every answer forbids sniffing and framing; JSON gets a policy that runs nothing; the docs page its own', async () => {
    const { auth } = await createUser(h.db);
    for (const url of ['/health', '/api/me', '/api/nope']) {
      const res = await h.app.inject({ method: 'GET', url, headers: auth });
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
    }
    const docs = await h.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(docs.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(docs.headers['x-frame-options']).toBe('DENY');
  });
});
