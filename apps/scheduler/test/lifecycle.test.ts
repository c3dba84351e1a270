// Worker status against the api's changes while a run is in progress, on the real stack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, until } from './stack.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
const http: Stack['http'] = (...args) => stack.http(...args);
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.stop());

describe('worker lifecycle', () => {
  it('a worker deleted while its tick runs stays deleted (the run does not overwrite its status)', async () => {
    const w = (await http('POST', '/api/workers', {
      name: 'slow', enabled: false, schedule: { every: '1h' },
      code: 'export async function tick(ctx) { await ctx.sleep(1500); }',
    })).json;
    const run = http('POST', `/api/workers/${w.id}/run`);
    await until('the tick to start', async () => (await stack.db.tickRun.findFirst({ where: { workerId: w.id, phase: 'tick', status: 'running' } })) ?? undefined);
    expect((await http('DELETE', `/api/workers/${w.id}`)).status).toBe(204);
    expect((await run).json.status).toBe('ok');
    const row = await stack.db.worker.findUniqueOrThrow({ where: { id: w.id } });
    expect(row).toMatchObject({ status: 'deleted', enabled: false });
    expect(await stack.queues.isDeployed(w.id)).toBe(false);
  });

  it('a run-now whose setup succeeds on a worker that had failed setup puts it back on its schedule', async () => {
    const w = (await http('POST', '/api/workers', {
      name: 'flaky-setup', enabled: true, schedule: { every: '1h' },
      code: 'export async function setup(ctx) { if (!ctx.state.get("ready")) throw new Error("not ready"); }\nexport async function tick(ctx) {}',
    })).json;
    await until('setup to fail', async () => {
      const r = (await http('POST', `/api/workers/${w.id}/run`)).json;
      return r.status === 'error' ? r : undefined;
    });
    expect(await stack.db.worker.findUniqueOrThrow({ where: { id: w.id } })).toMatchObject({ status: 'error', enabled: true });
    expect(await stack.queues.isDeployed(w.id)).toBe(false);
    await stack.db.workerState.upsert({ where: { workerId: w.id }, create: { workerId: w.id, data: { ready: true } }, update: { data: { ready: true } } });
    expect((await http('POST', `/api/workers/${w.id}/run`)).json.status).toBe('ok');
    expect(await stack.db.worker.findUniqueOrThrow({ where: { id: w.id } })).toMatchObject({ status: 'running', lastError: null });
    expect(await stack.queues.isDeployed(w.id)).toBe(true);
  });

  it('a run that arrives while the previous one is still running is skipped and recorded', async () => {
    const w = (await http('POST', '/api/workers', {
      name: 'overlap', enabled: false, schedule: { every: '1h' },
      code: 'export async function tick(ctx) { await ctx.sleep(1500); }',
    })).json;
    const first = http('POST', `/api/workers/${w.id}/run`);
    await until('the first tick to start', async () => (await stack.db.tickRun.findFirst({ where: { workerId: w.id, phase: 'tick', status: 'running' } })) ?? undefined);
    const second = await http('POST', `/api/workers/${w.id}/run`);
    expect(second.json).toMatchObject({ status: 'skipped', error: { message: 'the previous run of this worker is still in progress' } });
    expect((await first).json.status).toBe('ok');
    const runs = (await http('GET', `/api/workers/${w.id}/runs`)).json as { phase: string; status: string }[];
    expect(runs.filter((r) => r.phase === 'tick').map((r) => r.status).sort()).toEqual(['ok', 'skipped']);
  });

  it('starts even when a worker row has a schedule it cannot deploy (skipped and logged, not fatal)', async () => {
    const user = await stack.db.user.create({ data: { name: `bad-schedule-${Date.now()}` } });
    const bad = await stack.db.worker.create({ data: { userId: user.id, name: 'bad', schedule: { hourly: true }, enabled: true } });
    try {
      const second = await startStack();
      try {
        expect(await second.queues.isDeployed(bad.id)).toBe(false);
        expect((await second.http('GET', '/health')).status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await stack.db.worker.delete({ where: { id: bad.id } });
      await stack.db.user.delete({ where: { id: user.id } });
    }
  });
});
