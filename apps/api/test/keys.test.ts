import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, createUser } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

describe('/api/keys', () => {
  it('stores a key encrypted and never returns a secret', async () => {
    const { auth } = await createUser(h.db);
    const res = await h.app.inject({ method: 'POST', url: '/api/keys', headers: auth, payload: { name: 'main', mode: 'demo', apiKey: 'bg_abcdef1234', secret: 'SUPERSECRET-value', passphrase: 'PASSPHRASE-value' } });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ name: 'main', mode: 'demo', apiKeyHint: '1234' });
    expect(res.body).not.toMatch(/SUPERSECRET|PASSPHRASE|bg_abcdef/);
    const row = await h.db.apiKey.findUniqueOrThrow({ where: { id: body.id } });
    expect(row.ciphertext).not.toMatch(/SUPERSECRET|PASSPHRASE|bg_abcdef/);
    expect(JSON.parse(h.keyring.decrypt(row.ciphertext, `apikey:${row.id}`))).toEqual({ apiKey: 'bg_abcdef1234', secret: 'SUPERSECRET-value', passphrase: 'PASSPHRASE-value' });
    const list = await h.app.inject({ method: 'GET', url: '/api/keys', headers: auth });
    expect(list.json()).toEqual([body]);
    expect(list.body).not.toMatch(/SUPERSECRET|PASSPHRASE|ciphertext/);
  });

  it('names the missing field of a live key', async () => {
    const { auth } = await createUser(h.db);
    const res = await h.app.inject({ method: 'POST', url: '/api/keys', headers: auth, payload: { name: 'x', mode: 'live', apiKey: 'k', secret: 's' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_request', message: 'body.passphrase is required for a live key' });
  });

  it('rejects unknown modes and fields with a message naming them', async () => {
    const { auth } = await createUser(h.db);
    const bad = await h.app.inject({ method: 'POST', url: '/api/keys', headers: auth, payload: { name: 'x', mode: 'paper' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/mode/);
    const extra = await h.app.inject({ method: 'POST', url: '/api/keys', headers: auth, payload: { name: 'x', mode: 'sim', colour: 'red' } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().message).toMatch(/colour/);
  });

  it('PATCH renames a key or replaces its credentials (rotation); never returns them; names what is wrong', async () => {
    const a = await createUser(h.db);
    const b = await createUser(h.db);
    const key = (await h.app.inject({ method: 'POST', url: '/api/keys', headers: a.auth, payload: { name: 'main', mode: 'live', apiKey: 'bg_old_key_0001', secret: 'OLD-SECRET', passphrase: 'OLD-PASS' } })).json();
    expect(key.rotatedAt).toBeNull();
    const patch = (payload: unknown, auth = a.auth) => h.app.inject({ method: 'PATCH', url: `/api/keys/${key.id}`, headers: auth, payload: payload as object });

    const renamed = await patch({ name: 'main account' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ id: key.id, name: 'main account', apiKeyHint: '0001', rotatedAt: null });

    const partial = await patch({ apiKey: 'bg_new_key_0002', secret: 'NEW-SECRET' });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().message).toBe("body.passphrase is required to replace a live key's credentials (apiKey, secret and passphrase go together)");
    expect((await patch({ mode: 'demo', name: 'x' })).json().message).toBe('body.mode cannot be changed (this is a live key): add a new demo key and bind the workers to it');
    expect((await patch({})).json().message).toBe('body must contain name, or apiKey, secret and passphrase');
    expect((await patch({ colour: 'red' })).json().message).toMatch(/colour/);
    expect((await patch({ name: 'theirs' }, b.auth)).statusCode).toBe(404);

    const rotated = await patch({ apiKey: 'bg_new_key_0002', secret: 'NEW-SECRET', passphrase: 'NEW-PASS' });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json()).toMatchObject({ id: key.id, name: 'main account', mode: 'live', apiKeyHint: '0002' });
    expect(Number.isNaN(Date.parse(rotated.json().rotatedAt))).toBe(false);
    expect(rotated.body).not.toMatch(/SECRET|PASS|bg_new/);
    const row = await h.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.ciphertext).not.toMatch(/SECRET|PASS|bg_new/);
    expect(JSON.parse(h.keyring.decrypt(row.ciphertext, `apikey:${key.id}`))).toEqual({ apiKey: 'bg_new_key_0002', secret: 'NEW-SECRET', passphrase: 'NEW-PASS' });

    // A sim key may replace any one of its credentials; the others stay.
    const sim = (await h.app.inject({ method: 'POST', url: '/api/keys', headers: a.auth, payload: { name: 's', mode: 'sim', apiKey: 'sim_key_abcd1234', secret: 's1', passphrase: 'p1' } })).json();
    const simPatched = await h.app.inject({ method: 'PATCH', url: `/api/keys/${sim.id}`, headers: a.auth, payload: { secret: 's2' } });
    expect(simPatched.statusCode).toBe(200);
    const simRow = await h.db.apiKey.findUniqueOrThrow({ where: { id: sim.id } });
    expect(JSON.parse(h.keyring.decrypt(simRow.ciphertext, `apikey:${sim.id}`))).toEqual({ apiKey: 'sim_key_abcd1234', secret: 's2', passphrase: 'p1' });
  });

  it('generates credentials for a sim key', async () => {
    const { auth } = await createUser(h.db);
    const res = await h.app.inject({ method: 'POST', url: '/api/keys', headers: auth, payload: { name: 'sim', mode: 'sim' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().apiKeyHint).toHaveLength(4);
  });

  it("hides another user's key (404) and refuses to delete a key in use without force", async () => {
    const a = await createUser(h.db);
    const b = await createUser(h.db);
    const key = (await h.app.inject({ method: 'POST', url: '/api/keys', headers: a.auth, payload: { name: 'k', mode: 'sim' } })).json();
    expect((await h.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, headers: b.auth })).statusCode).toBe(404);
    const worker = await h.app.inject({ method: 'POST', url: '/api/workers', headers: a.auth, payload: { name: 'w', code: 'export function tick(ctx) {}', schedule: { every: '1m' }, keyId: key.id, enabled: false } });
    expect(worker.statusCode).toBe(201);
    const del = await h.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, headers: a.auth });
    expect(del.statusCode).toBe(409);
    expect(del.json().details.workers).toEqual([{ id: worker.json().id, name: 'w' }]);
    for (const no of ['false', '0', 'no']) expect((await h.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}?force=${no}`, headers: a.auth })).statusCode, no).toBe(409);
    const odd = await h.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}?force=maybe`, headers: a.auth });
    expect(odd.statusCode).toBe(400);
    expect(odd.json().message).toBe('query.force must be true or false (got "maybe")');
    expect((await h.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}?force=true`, headers: a.auth })).statusCode).toBe(204);
    const w = (await h.app.inject({ method: 'GET', url: `/api/workers/${worker.json().id}`, headers: a.auth })).json();
    expect(w.keyId).toBeNull();
  });

  it('requires a valid bearer token', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/keys' })).json()).toMatchObject({ error: 'unauthorized' });
    expect((await h.app.inject({ method: 'GET', url: '/api/keys', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
  });
});

describe('/api/keys safety', () => {
  it('never shows a short API key in full', async () => {
    const { auth } = await createUser(h.db);
    const res = await h.app.inject({ method: 'POST', url: '/api/keys', headers: auth, payload: { name: 'short', mode: 'live', apiKey: 'abcd', secret: 's', passphrase: 'p' } });
    expect(res.json().apiKeyHint).toBe('****');
  });

  it('refuses to delete a key whose orders are still open in the journal, unless forced', async () => {
    const { userId, auth } = await createUser(h.db);
    const key = (await h.app.inject({ method: 'POST', url: '/api/keys', headers: auth, payload: { name: 'k', mode: 'sim' } })).json();
    await h.db.tradeLog.create({ data: { userId, keyId: key.id, mode: 'sim', market: 'futures', action: 'place', symbol: 'BTCUSDT', clientOid: `o-${key.id}`, status: 'accepted', request: {} } });
    const res = await h.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, headers: auth });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'conflict', details: { openOrders: 1 } });
    expect((await h.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}?force=true`, headers: auth })).statusCode).toBe(204);
  });
});

describe('POST /api/users', () => {
  it('answers concurrent creations of one name with one 201 and 409s, never a 500', async () => {
    const { auth } = await createUser(h.db, true);
    const name = `race-${Date.now()}`;
    const all = await Promise.all(Array.from({ length: 6 }, () => h.app.inject({ method: 'POST', url: '/api/users', headers: auth, payload: { name } })));
    const codes = all.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409]);
  });
});
