// API tokens (list, lastUsedAt, revoke) and the admin's user list, on the real database.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashToken } from '@tickbox/secrets';
import { LOG_REDACT } from '../src/log-redact.ts';
import { createHarness, createUser } from './harness.ts';
import type { Harness } from './harness.ts';

const lines: string[] = [];
const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
let h: Harness;
beforeAll(async () => { h = await createHarness({ logger: pino({ level: 'warn', redact: LOG_REDACT, name: 'api' }, sink) }); });
afterAll(() => h.close());

type Auth = { authorization: string };
const tokenOf = (auth: Auth) => auth.authorization.slice('Bearer '.length);
const bearer = (token: string): Auth => ({ authorization: `Bearer ${token}` });
const get = (url: string, auth: Auth) => h.app.inject({ method: 'GET', url, headers: auth });
const newToken = async (auth: Auth, name: string) => {
  const res = await h.app.inject({ method: 'POST', url: '/api/tokens', headers: auth, payload: { name } });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; name: string; token: string };
};
const revoke = (auth: Auth, id: string) => h.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: auth });
const lastUsed = async (tokenHash: string) => (await h.db.apiToken.findUniqueOrThrow({ where: { tokenHash } })).lastUsedAt;
const worker = (userId: string, deleted = false) => h.db.worker.create({ data: { userId, name: `w-${randomUUID()}`, schedule: { every: '5s' }, deletedAt: deleted ? new Date() : null } });

describe('GET /api/tokens', () => {
  it('lists your tokens with the current one marked, and never a token or its hash', async () => {
    const { auth } = await createUser(h.db);
    const first = tokenOf(auth);
    const created = await newToken(auth, 'laptop');
    expect(created.token).toMatch(/^tbx_[A-Za-z0-9_-]{43}$/);
    const res = await get('/api/tokens', auth);
    expect(res.statusCode).toBe(200);
    const list = res.json() as { id: string; name: string; createdAt: string; lastUsedAt: string | null; current: boolean }[];
    expect(list).toEqual([
      { id: expect.any(String), name: 't', createdAt: expect.any(String), lastUsedAt: expect.any(String), current: true },
      { id: created.id, name: 'laptop', createdAt: expect.any(String), lastUsedAt: null, current: false },
    ]);
    expect(new Date(list[0]!.createdAt).toISOString()).toBe(list[0]!.createdAt);
    // The same list seen from the other token marks that one.
    const other = (await get('/api/tokens', bearer(created.token))).json() as typeof list;
    expect(other.map((t) => [t.name, t.current])).toEqual([['t', false], ['laptop', true]]);

    const answers = [res.body, JSON.stringify(other), (await get('/api/me', auth)).body];
    for (const text of answers) {
      for (const secret of [first, created.token, hashToken(first), hashToken(created.token)]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/tokenHash/);
    }
  });

  it('lists only your own tokens', async () => {
    const a = await createUser(h.db);
    const b = await createUser(h.db);
    await newToken(b.auth, 'b-only');
    const names = ((await get('/api/tokens', a.auth)).json() as { name: string }[]).map((t) => t.name);
    expect(names).toEqual(['t']);
  });
});

describe('lastUsedAt', () => {
  it('is set on first use and not written again within 60 s; an older value is refreshed', async () => {
    const { auth } = await createUser(h.db);
    const hash = hashToken(tokenOf(auth));
    expect(await lastUsed(hash)).toBeNull();
    const before = Date.now();
    expect((await get('/api/me', auth)).statusCode).toBe(200);
    const first = await vi.waitFor(async () => {
      const at = await lastUsed(hash);
      expect(at).not.toBeNull();
      return at!;
    });
    expect(first.getTime()).toBeGreaterThanOrEqual(before - 5);

    for (let i = 0; i < 3; i++) expect((await get('/api/me', auth)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect((await lastUsed(hash))?.getTime()).toBe(first.getTime());

    const old = new Date(Date.now() - 61_000);
    await h.db.apiToken.update({ where: { tokenHash: hash }, data: { lastUsedAt: old } });
    expect((await get('/api/me', auth)).statusCode).toBe(200);
    await vi.waitFor(async () => { expect((await lastUsed(hash))!.getTime()).toBeGreaterThan(old.getTime() + 60_000); });
  });

  it('shows in the list of another token once used', async () => {
    const { auth } = await createUser(h.db);
    const second = await newToken(auth, 'ci');
    expect((await get('/api/workers', bearer(second.token))).statusCode).toBe(200);
    await vi.waitFor(async () => {
      const list = (await get('/api/tokens', auth)).json() as { id: string; lastUsedAt: string | null }[];
      expect(list.find((t) => t.id === second.id)!.lastUsedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    });
  });

  it('a failed write never fails the request; it is logged at warn without the token', async () => {
    const { auth } = await createUser(h.db);
    const token = tokenOf(auth);
    const row = await h.db.apiToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } });
    // A real database failure for this one row: a trigger that refuses its updates.
    const fn = `tickbox_test_refuse_${row.id.replace(/-/g, '')}`;
    await h.db.$executeRawUnsafe(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."id" = '${row.id}' THEN RAISE EXCEPTION 'refused by test trigger'; END IF; RETURN NEW; END $$`);
    await h.db.$executeRawUnsafe(`CREATE TRIGGER ${fn} BEFORE UPDATE ON "ApiToken" FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    try {
      lines.length = 0;
      const res = await get('/api/me', auth);
      expect(res.statusCode).toBe(200);
      const warning = await vi.waitFor(() => {
        const found = lines.map((l) => JSON.parse(l) as { level: number; msg: string; tokenId?: string }).find((l) => l.tokenId === row.id);
        expect(found).toBeDefined();
        return found!;
      });
      expect(warning).toMatchObject({ level: 40, msg: 'could not record when the API token was last used' });
      expect(lines.join('')).not.toContain(token);
      expect(lines.join('')).not.toContain(hashToken(token));
      expect(await lastUsed(hashToken(token))).toBeNull();
      expect((await get('/api/tokens', auth)).statusCode).toBe(200);
    } finally {
      await h.db.$executeRawUnsafe(`DROP TRIGGER ${fn} ON "ApiToken"`);
      await h.db.$executeRawUnsafe(`DROP FUNCTION ${fn}()`);
    }
  });
});

describe('DELETE /api/tokens/:id', () => {
  it('refuses to revoke the token making the request when it is your last one', async () => {
    const { auth } = await createUser(h.db);
    const [only] = (await get('/api/tokens', auth)).json() as { id: string }[];
    const res = await revoke(auth, only!.id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'conflict', message: expect.stringMatching(/your only one.*lock yourself out.*create another token first/) });
    expect((await get('/api/me', auth)).statusCode).toBe(200);
  });

  it('revokes another token, which then answers 401; with two, the current one can go too', async () => {
    const { auth } = await createUser(h.db);
    const other = await newToken(auth, 'old');
    expect((await get('/api/me', bearer(other.token))).statusCode).toBe(200);
    expect((await revoke(auth, other.id)).statusCode).toBe(204);
    const gone = await get('/api/me', bearer(other.token));
    expect(gone.statusCode).toBe(401);
    expect(gone.json()).toMatchObject({ error: 'unauthorized', message: 'invalid API token' });
    expect((await revoke(auth, other.id)).statusCode).toBe(404);

    const spare = await newToken(auth, 'spare');
    const [current] = (await get('/api/tokens', auth)).json() as { id: string }[];
    expect((await revoke(auth, current!.id)).statusCode).toBe(204);
    expect((await get('/api/me', auth)).statusCode).toBe(401);
    expect((await get('/api/me', bearer(spare.token))).statusCode).toBe(200);
  });

  it('keeps one token when two tokens revoke each other at once', async () => {
    const { auth } = await createUser(h.db);
    const [first] = (await get('/api/tokens', auth)).json() as { id: string }[];
    const second = await newToken(auth, 'second');
    const codes = (await Promise.all([revoke(auth, second.id), revoke(bearer(second.token), first!.id)])).map((r) => r.statusCode).sort();
    // One wins; the other is refused (409), or finds its own token already gone (401).
    expect(codes[0]).toBe(204);
    expect([401, 409]).toContain(codes[1]);
    expect(await h.db.apiToken.count({ where: { id: { in: [first!.id, second.id] } } })).toBe(1);
  });

  it('bad ids are a 400 naming the parameter; someone else\'s token is a 404', async () => {
    const a = await createUser(h.db);
    const b = await createUser(h.db);
    const bad = await revoke(a.auth, 'not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'invalid_request', message: expect.stringContaining('params.id') });
    const [theirs] = (await get('/api/tokens', b.auth)).json() as { id: string }[];
    const res = await revoke(a.auth, theirs!.id);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found', message: 'token not found' });
    expect((await get('/api/me', b.auth)).statusCode).toBe(200);
  });
});

describe('GET /api/users', () => {
  it('is for admins only', async () => {
    const { auth } = await createUser(h.db);
    const res = await get('/api/users', auth);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: 'forbidden', message: 'only an admin can list users' });
    // POST too, whatever the body.
    const post = await h.app.inject({ method: 'POST', url: '/api/users', headers: auth, payload: { bogus: 1 } });
    expect(post.statusCode).toBe(403);
    expect(post.json()).toEqual({ error: 'forbidden', message: 'only an admin can create users' });
  });

  it('shows every user with their workers (not deleted) and tokens counted, and no secrets', async () => {
    const admin = await createUser(h.db, true);
    const created = await h.app.inject({ method: 'POST', url: '/api/users', headers: admin.auth, payload: { name: `bob-${randomUUID()}` } });
    expect(created.statusCode).toBe(201);
    const bob = created.json() as { id: string; name: string; isAdmin: boolean; token: string };
    expect(Object.keys(bob).sort()).toEqual(['id', 'isAdmin', 'name', 'token']);
    await newToken(bearer(bob.token), 'second');
    await worker(bob.id);
    await worker(bob.id);
    await worker(bob.id, true);

    const res = await get('/api/users', admin.auth);
    expect(res.statusCode).toBe(200);
    const users = res.json() as { id: string }[];
    expect(users.find((u) => u.id === bob.id)).toEqual({ id: bob.id, name: bob.name, isAdmin: false, createdAt: expect.any(String), workers: 2, tokens: 2 });
    expect(users.find((u) => u.id === admin.userId)).toMatchObject({ isAdmin: true, workers: 0, tokens: 1 });
    expect(res.body).not.toContain(bob.token);
    expect(res.body).not.toContain(hashToken(bob.token));
    expect(res.body).not.toMatch(/tokenHash|_count/);
  });
});

describe('OpenAPI', () => {
  it('documents the token and user routes', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/me', '/api/tokens', '/api/tokens/{id}', '/api/users']));
    expect(Object.keys(doc.paths['/api/tokens'].get.responses)).toContain('200');
    expect(Object.keys(doc.paths['/api/users'].get.responses)).toContain('200');
  });
});

describe('/api/me/alerts', () => {
  it('stores the alert URL encrypted, answers only its host, and names what is wrong with a URL', async () => {
    const { auth, userId } = await createUser(h.db);
    expect((await h.app.inject({ method: 'GET', url: '/api/me/alerts', headers: auth })).json()).toEqual({ enabled: false, host: null, updatedAt: null, lastSentAt: null, lastError: null, lastErrorAt: null });
    const url = 'https://hooks.slack.com/services/T000/B000/SECRETTOKEN';
    const set = await h.app.inject({ method: 'PUT', url: '/api/me/alerts', headers: auth, payload: { url } });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ enabled: true, host: 'hooks.slack.com' });
    expect(set.body).not.toContain('SECRETTOKEN');
    const row = await h.db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(row.alertCiphertext).not.toContain('SECRETTOKEN');
    expect(h.keyring.decrypt(row.alertCiphertext!, `alerts:${userId}`)).toBe(url);
    expect((await h.app.inject({ method: 'GET', url: '/api/me/alerts', headers: auth })).body).not.toContain('SECRETTOKEN');

    for (const [bad, message] of [
      ['not a url', 'body.url must be an absolute http(s) URL'],
      ['ftp://example.com/x', 'body.url must be an http(s) URL (got ftp)'],
      ['https://user:pass@example.com/x', 'body.url must not contain a user name or password'],
    ]) {
      const res = await h.app.inject({ method: 'PUT', url: '/api/me/alerts', headers: auth, payload: { url: bad } });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().message, bad).toBe(message);
    }
    // Test alerts: 3, then one a minute.
    const tests = [];
    for (let i = 0; i < 4; i++) tests.push(await h.app.inject({ method: 'POST', url: '/api/me/alerts/test', headers: auth }));
    expect(tests.map((r) => r.statusCode)).toEqual([202, 202, 202, 429]);
    expect(tests[3]!.json().message).toMatch(/^too many test alerts; try again in \d+ s$/);
    expect((await h.app.inject({ method: 'DELETE', url: '/api/me/alerts', headers: auth })).statusCode).toBe(204);
    expect((await h.db.user.findUniqueOrThrow({ where: { id: userId } })).alertCiphertext).toBeNull();
    const test = await h.app.inject({ method: 'POST', url: '/api/me/alerts/test', headers: auth });
    expect(test.statusCode).toBe(400);
    expect(test.json().message).toBe('no alert URL is set (PUT /api/me/alerts {url})');
  });
});
