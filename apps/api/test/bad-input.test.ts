// User mistakes and hostile requests answer 4xx with a message naming what was wrong — never a 5xx,
// and never a route reached without a valid token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, createUser } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

const CODE = 'export async function tick(ctx) { ctx.log.info("hi"); }';
const cursor = (s: string) => Buffer.from(s).toString('base64url');

describe('auth', () => {
  it('a percent-encoded /api path is authenticated like the plain one', async () => {
    const { auth } = await createUser(h.db);
    const w = (await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', code: CODE, schedule: { every: '5s' }, enabled: false } })).json();
    for (const url of ['/%61pi/me', '/%61pi/workers', `/%61pi/workers/${w.id}/logs/stream`, '/%61pi/trades', '/%61%70%69/keys']) {
      const res = await h.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error).toBe('unauthorized');
    }
    // With a token the decoded path is simply the route.
    expect((await h.app.inject({ method: 'GET', url: '/%61pi/me', headers: auth })).statusCode).toBe(200);
  });
});

describe('query values the database cannot take', () => {
  it('a forged trades cursor is a 400', async () => {
    const { auth } = await createUser(h.db);
    for (const c of [cursor('2020-01-01T00:00:00.000Z|not-a-uuid'), cursor('0000-01-01T00:00:00.000Z|00000000-0000-0000-0000-000000000000')]) {
      const res = await h.app.inject({ method: 'GET', url: `/api/trades?cursor=${c}`, headers: auth });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/query\.cursor/);
    }
  });

  it('from/to outside the years 1..9999 are a 400 on the list, CSV and summary', async () => {
    const { auth } = await createUser(h.db);
    for (const path of ['/api/trades', '/api/trades.csv', '/api/trades/summary']) {
      for (const q of ['from=0000-01-01T00:00:00Z', 'to=9999-12-31T23:59:60Z']) {
        const res = await h.app.inject({ method: 'GET', url: `${path}?${q}`, headers: auth });
        expect(res.statusCode, `${path}?${q}`).toBe(400);
        expect(res.json().message).toMatch(/query\.(from|to) must be a date-time between/);
      }
    }
    expect((await h.app.inject({ method: 'GET', url: '/api/trades/summary?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z', headers: auth })).statusCode).toBe(200);
  });

  it('a logs `after` beyond bigint is a 400', async () => {
    const { auth } = await createUser(h.db);
    const w = (await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', code: CODE, schedule: { every: '5s' }, enabled: false } })).json();
    for (const after of ['9223372036854775808', '99999999999999999999999']) {
      const res = await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}/logs?after=${after}`, headers: auth });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/query\.after must be at most/);
    }
    expect((await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}/logs?after=9223372036854775807`, headers: auth })).statusCode).toBe(200);
  });
});

describe('JSON bodies are not type-coerced', () => {
  it('names a field of the wrong type instead of converting it', async () => {
    const { auth } = await createUser(h.db);
    for (const [payload, field] of [
      [{ name: 1, code: 'export function tick(){}', schedule: { every: '5s' } }, 'name'],
      [{ name: 'w', code: 'export function tick(){}', schedule: { every: '5s' }, enabled: null }, 'enabled'],
      [{ name: 'w', code: 'export function tick(){}', schedule: { every: '5s' }, enabled: 'yes' }, 'enabled'],
    ] as const) {
      const res = await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().message).toContain(field);
    }
    const q = await h.app.inject({ method: 'GET', url: '/api/trades?limit=5', headers: auth });
    expect(q.statusCode).toBe(200);
  });

  it('names the allowed values of an enum field', async () => {
    const { auth } = await createUser(h.db);
    const key = await h.app.inject({ method: 'POST', url: '/api/keys', headers: auth, payload: { name: 'k', mode: 'prod', apiKey: 'a', secret: 's', passphrase: 'p' } });
    expect(key.statusCode).toBe(400);
    expect(key.json().message).toBe('body.mode must be one of live, demo, sim');
    const worker = await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', code: CODE, schedule: { every: '5s' }, language: 'py' } });
    expect(worker.statusCode).toBe(400);
    expect(worker.json().message).toBe('body.language must be one of js, ts');
  });
});
