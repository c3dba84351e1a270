import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHarness, createUser } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

const CODE = 'export async function tick(ctx) { ctx.log.info("hi"); }';

describe('/api/workers', () => {
  it('stores an enabled worker and creates its job scheduler', async () => {
    const { auth } = await createUser(h.db);
    const res = await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', code: CODE, schedule: { every: '5s' } } });
    expect(res.statusCode).toBe(201);
    const w = res.json();
    expect(w).toMatchObject({ name: 'w', enabled: true, productType: 'USDT-FUTURES', schedule: { every: '5s' } });
    expect(await h.queues.isDeployed(w.id)).toBe(true);
    const detail = (await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}`, headers: auth })).json();
    expect(detail.code).toBe(CODE);
    expect(typeof detail.nextTickAt).toBe('string');
  });

  it('stores a disabled worker without scheduling it, then enable/disable switch scheduling', async () => {
    const { auth } = await createUser(h.db);
    const w = (await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', code: CODE, schedule: { cron: '*/10 * * * * *' }, enabled: false } })).json();
    expect(w.enabled).toBe(false);
    expect(await h.queues.isDeployed(w.id)).toBe(false);
    expect((await h.app.inject({ method: 'POST', url: `/api/workers/${w.id}/enable`, headers: auth })).json().enabled).toBe(true);
    expect(await h.queues.isDeployed(w.id)).toBe(true);
    expect((await h.app.inject({ method: 'POST', url: `/api/workers/${w.id}/disable`, headers: auth })).json().enabled).toBe(false);
    expect(await h.queues.isDeployed(w.id)).toBe(false);
  });

  it("disable-all stops every enabled worker of the caller, and only the caller's", async () => {
    const a = await createUser(h.db);
    const b = await createUser(h.db);
    const make = async (auth: { authorization: string }, name: string, enabled: boolean) =>
      (await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name, code: CODE, schedule: { every: '5s' }, enabled } })).json();
    const a1 = await make(a.auth, 'a1', true);
    const a2 = await make(a.auth, 'a2', true);
    await make(a.auth, 'a3', false);
    const b1 = await make(b.auth, 'b1', true);
    const res = await h.app.inject({ method: 'POST', url: '/api/workers/disable-all', headers: a.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().disabled.map((w: { name: string }) => w.name).sort()).toEqual(['a1', 'a2']);
    for (const w of [a1, a2]) {
      expect(await h.queues.isDeployed(w.id)).toBe(false);
      expect(await h.db.worker.findUniqueOrThrow({ where: { id: w.id } })).toMatchObject({ enabled: false, status: 'disabled' });
    }
    expect(await h.queues.isDeployed(b1.id)).toBe(true);
    expect((await h.app.inject({ method: 'POST', url: '/api/workers/disable-all', headers: a.auth })).json()).toEqual({ disabled: [] });
  });

  it('answers a syntax error with 400, line and column', async () => {
    const { auth } = await createUser(h.db);
    const res = await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', code: 'export function tick(ctx) {\n  const x = ;\n}', schedule: { every: '5s' } } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'syntax_error', details: { line: 2, column: expect.any(Number) } });
  });

  it('names what is wrong with a schedule', async () => {
    const { auth } = await createUser(h.db);
    for (const [schedule, msg] of [[{ every: 'often' }, /schedule.every "often"/], [{ every: '10ms' }, /at least 1s/], [{ cron: 'not cron' }, /schedule.cron/], [{}, /exactly one of/]] as const) {
      const res = await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', code: CODE, schedule } });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(msg);
    }
  });

  it("refuses another user's key and hides another user's worker", async () => {
    const a = await createUser(h.db);
    const b = await createUser(h.db);
    const key = (await h.app.inject({ method: 'POST', url: '/api/keys', headers: a.auth, payload: { name: 'k', mode: 'sim' } })).json();
    const res = await h.app.inject({ method: 'POST', url: '/api/workers', headers: b.auth, payload: { name: 'w', code: CODE, schedule: { every: '5s' }, keyId: key.id } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/keyId .* is not one of your keys/);
    const w = (await h.app.inject({ method: 'POST', url: '/api/workers', headers: a.auth, payload: { name: 'w', code: CODE, schedule: { every: '5s' }, enabled: false } })).json();
    expect((await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}`, headers: b.auth })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: `/api/workers/not-a-uuid`, headers: b.auth })).statusCode).toBe(400);
  });

  it('a code change makes a new version and resets setup; delete keeps the worker row', async () => {
    const { auth } = await createUser(h.db);
    const w = (await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', code: CODE, schedule: { every: '5s' } } })).json();
    await h.db.worker.update({ where: { id: w.id }, data: { setupDoneFor: w.versionId } });
    const patched = (await h.app.inject({ method: 'PATCH', url: `/api/workers/${w.id}`, headers: auth, payload: { code: 'export function tick(){}' } })).json();
    expect(patched.versionId).not.toBe(w.versionId);
    expect((await h.db.worker.findUniqueOrThrow({ where: { id: w.id } })).setupDoneFor).toBeNull();
    expect((await h.app.inject({ method: 'DELETE', url: `/api/workers/${w.id}`, headers: auth })).statusCode).toBe(204);
    expect(await h.queues.isDeployed(w.id)).toBe(false);
    expect((await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}`, headers: auth })).statusCode).toBe(404);
    expect(await h.db.worker.findUnique({ where: { id: w.id } })).not.toBeNull();
  });

  it('lists the code versions newest first and returns one with its code; another user sees neither', async () => {
    const { auth } = await createUser(h.db);
    const other = await createUser(h.db);
    const w = (await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'v', code: CODE, schedule: { every: '5s' }, enabled: false } })).json();
    const v2 = 'export function tick(ctx: unknown): void { }';
    expect((await h.app.inject({ method: 'PATCH', url: `/api/workers/${w.id}`, headers: auth, payload: { code: v2, language: 'ts' } })).statusCode).toBe(200);
    const list = await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}/versions`, headers: auth });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { id: string; language: string; current: boolean; runs: number; trades: number }[];
    expect(items.map((v) => [v.language, v.current, v.runs, v.trades])).toEqual([['ts', true, 0, 0], ['js', false, 0, 0]]);
    const first = await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}/versions/${items[1]!.id}`, headers: auth });
    expect(first.json()).toMatchObject({ id: items[1]!.id, language: 'js', current: false, code: CODE });
    // Rolling back is a PATCH with the old code: a third version, the current one.
    await h.app.inject({ method: 'PATCH', url: `/api/workers/${w.id}`, headers: auth, payload: { code: first.json().code, language: 'js' } });
    const after = (await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}/versions?limit=1`, headers: auth })).json().items;
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ language: 'js', current: true });

    expect((await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}/versions`, headers: other.auth })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}/versions/${items[1]!.id}`, headers: other.auth })).statusCode).toBe(404);
    const missing = await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}/versions/00000000-0000-4000-8000-000000000000`, headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('version not found');
    expect((await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}/versions/nope`, headers: auth })).statusCode).toBe(400);
    expect((await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}/versions?limit=0`, headers: auth })).statusCode).toBe(400);
  });

  it('run-now without a scheduler answers 503 after the timeout, not a hang', async () => {
    const quick = await createHarness({ runTimeoutMs: 1000, prefix: h.prefix });
    const { auth } = await createUser(h.db);
    const w = (await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', code: CODE, schedule: { every: '5s' }, enabled: false } })).json();
    const res = await quick.app.inject({ method: 'POST', url: `/api/workers/${w.id}/run`, headers: auth });
    await quick.close();
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toBe('scheduler_unavailable');
    // The abandoned run is withdrawn: a scheduler starting later must not tick (and order) for it.
    const { Queue } = await import('bullmq');
    const { createRedis, QUEUE_NAMES } = await import('@tickbox/queue');
    const connection = createRedis(inject('redisUrl'));
    const manual = new Queue(QUEUE_NAMES.manual, { connection, prefix: h.prefix });
    const waiting = await manual.getJobs(['waiting', 'delayed', 'prioritized']);
    await manual.close();
    await connection.quit();
    expect(waiting.filter((j) => j.data.workerId === w.id)).toEqual([]);
  });

  it('new code without a language keeps the worker\'s language; a disabled worker stays `disabled`', async () => {
    const { auth } = await createUser(h.db);
    const ts = 'export async function tick(ctx: { log: { info(m: string): void } }): Promise<void> { ctx.log.info("ts"); }';
    const w = (await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'w', language: 'ts', code: ts, schedule: { every: '5s' }, enabled: false } })).json();
    expect(w.status).toBe('disabled');
    const res = await h.app.inject({ method: 'PATCH', url: `/api/workers/${w.id}`, headers: auth, payload: { code: ts.replace('"ts"', '"ts2"') } });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('disabled');
    const detail = (await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}`, headers: auth })).json();
    expect(detail).toMatchObject({ language: 'ts', status: 'disabled', enabled: false });
    const js = (await h.app.inject({ method: 'PATCH', url: `/api/workers/${w.id}`, headers: auth, payload: { code: CODE, language: 'js' } })).json();
    expect(js.versionId).not.toBe(detail.versionId);
    expect((await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}`, headers: auth })).json().language).toBe('js');
  });
});
