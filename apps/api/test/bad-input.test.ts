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

describe('values PostgreSQL or the queue would refuse later are a 400 up front', () => {
  const URN = 'urn:uuid:00000000-0000-4000-8000-000000000000';

  it('an id written as urn:uuid:… is a 400 naming the field, on every kind of id', async () => {
    const { auth } = await createUser(h.db);
    const w = (await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', code: CODE, schedule: { every: '5s' }, enabled: false } })).json();
    const cases: [string, string, unknown, RegExp][] = [
      ['GET', `/api/workers/${URN}`, undefined, /^params\.id must match format "uuid"$/],
      ['DELETE', `/api/keys/${URN}`, undefined, /^params\.id /],
      ['DELETE', `/api/tokens/${URN}`, undefined, /^params\.id /],
      ['GET', `/api/workers/${w.id}/versions/${URN}`, undefined, /^params\.versionId /],
      ['PATCH', `/api/workers/${w.id}`, { keyId: URN }, /^body\.keyId /],
      ['POST', '/api/workers', { name: 'x', code: CODE, schedule: { every: '5s' }, keyId: URN }, /^body\.keyId /],
      ['GET', `/api/trades?workerId=${URN}`, undefined, /^query\.workerId /],
      ['GET', `/api/trades/summary?workerId=${URN}`, undefined, /^query\.workerId /],
      ['GET', `/api/trades.csv?workerId=${URN}`, undefined, /^query\.workerId /],
    ];
    for (const [method, url, payload, message] of cases) {
      const res = await h.app.inject({ method: method as 'GET', url, headers: auth, ...(payload ? { payload: payload as object } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(res.json().message, `${method} ${url}`).toMatch(message);
    }
  });

  it('a NUL character in a body, query or field name is a 400 naming where it is', async () => {
    const { auth, userId } = await createUser(h.db);
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/workers', { name: 'a\u0000b', code: CODE, schedule: { every: '5s' } }, 'body.name contains a NUL character (\\u0000), which cannot be stored'],
      ['POST', '/api/workers', { name: 'n', code: `${CODE}\u0000`, schedule: { every: '5s' } }, 'body.code contains a NUL character (\\u0000), which cannot be stored'],
      ['POST', '/api/keys', { name: 'a\u0000b', mode: 'sim' }, 'body.name contains a NUL character (\\u0000), which cannot be stored'],
      ['POST', '/api/tokens', { name: 'a\u0000b' }, 'body.name contains a NUL character (\\u0000), which cannot be stored'],
      ['GET', '/api/trades?symbol=a%00b', undefined, 'query.symbol contains a NUL character (\\u0000), which cannot be stored'],
      ['GET', '/api/trades.csv?status=a%00b', undefined, 'query.status contains a NUL character (\\u0000), which cannot be stored'],
    ];
    for (const [method, url, payload, message] of cases) {
      const res = await h.app.inject({ method: method as 'GET', url, headers: auth, ...(payload ? { payload: payload as object } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(res.json(), `${method} ${url}`).toMatchObject({ error: 'invalid_request', message });
    }
    expect(await h.db.worker.count({ where: { userId } })).toBe(0);
    expect(await h.db.apiKey.count({ where: { userId } })).toBe(0);
  });

  it('a webhook alert nested absurdly deep, or with a NUL character, is a 400 and takes no place in the rate limit', async () => {
    const { auth } = await createUser(h.db);
    const w = (await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'hook', code: CODE, schedule: { every: '1h' }, enabled: true } })).json();
    const { url } = (await h.app.inject({ method: 'POST', url: `/api/workers/${w.id}/webhook`, headers: auth })).json();
    const post = (payload: string, type: string) => h.app.inject({ method: 'POST', url, headers: { 'content-type': type }, payload });
    const deep = await post(`${'['.repeat(8000)}${']'.repeat(8000)}`, 'application/json');
    expect(deep.statusCode).toBe(400);
    expect(deep.json().message).toBe('body is nested more than 64 levels deep');
    const nulJson = await post('{"a":"x\\u0000"}', 'application/json');
    expect(nulJson.statusCode).toBe(400);
    expect(nulJson.json().message).toBe('body.a contains a NUL character (\\u0000), which cannot be stored');
    const nulText = await post('buy\u0000', 'text/plain');
    expect(nulText.statusCode).toBe(400);
    // The refused alerts took no slot: the burst of 5 is still whole.
    for (let i = 0; i < 5; i++) expect((await post(`{"n":${i}}`, 'application/json')).statusCode).toBe(202);
  });
});
