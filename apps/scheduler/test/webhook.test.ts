// A TradingView-style alert end to end, over real HTTP and real parts: POST /hooks/… on the api
// → BullMQ/Redis → scheduler → isolated-vm runner → ctx.trigger → TickRun and logs → api.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, until } from './stack.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
const http: Stack['http'] = (...args) => stack.http(...args);
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.stop());

// Far-away schedule: the only runs in these tests are the ones the alerts cause.
const YEARLY = { cron: '0 0 1 1 *' };

const ECHO = `
export async function setup(ctx) { ctx.log.info("setup", ctx.trigger.type); }
export async function tick(ctx) {
  const t = ctx.trigger;
  ctx.log.info(JSON.stringify({ type: t.type, payload: t.payload, receivedAt: t.receivedAt }));
  if (t.type === "webhook" && t.payload && t.payload.action === "buy") {
    const r = await ctx.bitget.futures_place_order(t.payload.ticker, "buy", t.payload.size);
    ctx.log.info("order", r.data.orderId);
  }
}`;

async function hooked(name: string, code: string, keyId?: string): Promise<{ id: string; hook: string }> {
  const worker = await http('POST', '/api/workers', { name, code, schedule: YEARLY, ...(keyId ? { keyId } : {}) });
  expect(worker.status).toBe(201);
  const created = await http('POST', `/api/workers/${worker.json.id}/webhook`);
  expect(created.status).toBe(201);
  expect(created.json.absoluteUrl).toBe(`${stack.base}${created.json.url}`);
  return { id: worker.json.id, hook: created.json.absoluteUrl };
}

const alert = async (url: string, body: string, contentType: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, json: await res.json() as { queued: boolean; runId: string } };
};

const finishedRun = (runId: string) => until(`run ${runId} finished`, async () => {
  const run = await stack.db.tickRun.findUnique({ where: { id: runId } });
  return run && run.status !== 'running' ? run : undefined;
});

describe('webhook alert → scheduler → ctx.trigger', () => {
  it('a JSON alert runs setup, then the tick with ctx.trigger = {type: "webhook", payload, receivedAt}, which trades on it', async () => {
    const key = await http('POST', '/api/keys', { name: 'sim-hook', mode: 'sim' });
    const w = await hooked('tv-alerts', ECHO, key.json.id);
    const sentAt = Date.now();
    const res = await alert(w.hook, JSON.stringify({ ticker: 'BTCUSDT', action: 'buy', size: '0.001' }), 'application/json');
    expect(res.status).toBe(202);
    expect(res.json).toEqual({ queued: true, runId: expect.any(String) });

    const run = await finishedRun(res.json.runId);
    expect(run).toMatchObject({ workerId: w.id, phase: 'tick', trigger: 'webhook', status: 'ok', triggerPayload: { ticker: 'BTCUSDT', action: 'buy', size: '0.001' } });
    const lines = await stack.db.logEntry.findMany({ where: { tickRunId: run.id }, orderBy: { id: 'asc' } });
    const seen = JSON.parse(lines[0]!.message) as { type: string; payload: unknown; receivedAt: number };
    expect(seen).toMatchObject({ type: 'webhook', payload: { ticker: 'BTCUSDT', action: 'buy', size: '0.001' } });
    expect(seen.receivedAt).toBeGreaterThanOrEqual(sentAt - 5);
    expect(seen.receivedAt).toBeLessThanOrEqual(run.startedAt.getTime());
    expect(run.scheduledAt?.getTime()).toBe(seen.receivedAt);

    // Setup ran first (a new deploy), with the same trigger.
    const runs = await http('GET', `/api/workers/${w.id}/runs`);
    expect(runs.json.map((r: { phase: string; trigger: string }) => `${r.phase}/${r.trigger}`).sort()).toEqual(['setup/webhook', 'tick/webhook']);
    expect(runs.json.find((r: { id: string }) => r.id === run.id).payload).toEqual({ ticker: 'BTCUSDT', action: 'buy', size: '0.001' });

    // The alert's order reached the journal, tied to the webhook run.
    const trades = await http('GET', `/api/trades?workerId=${w.id}`);
    expect(trades.json.items).toHaveLength(1);
    expect(trades.json.items[0]).toMatchObject({ symbol: 'BTCUSDT', side: 'buy', size: '0.001', status: 'accepted', tickRunId: run.id });
  });

  it('a text alert reaches the tick as the text', async () => {
    const w = await hooked('tv-text', ECHO);
    const res = await alert(w.hook, 'BTCUSDT crossing 67000', 'text/plain; charset=utf-8');
    expect(res.status).toBe(202);
    const run = await finishedRun(res.json.runId);
    expect(run).toMatchObject({ trigger: 'webhook', status: 'ok', triggerPayload: 'BTCUSDT crossing 67000' });
    const line = await stack.db.logEntry.findFirstOrThrow({ where: { tickRunId: run.id } });
    expect(JSON.parse(line.message)).toMatchObject({ type: 'webhook', payload: 'BTCUSDT crossing 67000' });
  });

  it('an alert that arrives while the previous run is still running is recorded as skipped, with its payload', async () => {
    const w = await hooked('tv-slow', 'export async function tick(ctx) { await ctx.sleep(1500); ctx.log.info("done", ctx.trigger.payload); }');
    const first = await alert(w.hook, 'first', 'text/plain');
    await until('the first run to start', async () => (await stack.db.tickRun.findUnique({ where: { id: first.json.runId } })) ?? undefined);
    const second = await alert(w.hook, 'second', 'text/plain');
    expect(second.status).toBe(202);
    const skipped = await finishedRun(second.json.runId);
    expect(skipped).toMatchObject({ trigger: 'webhook', status: 'skipped', error: 'the previous run of this worker is still in progress', triggerPayload: 'second' });
    expect(await finishedRun(first.json.runId)).toMatchObject({ status: 'ok', triggerPayload: 'first' });
  });

  it('an alert queued just before its worker was disabled is recorded as skipped, not run', async () => {
    const w = await hooked('tv-race', ECHO);
    await http('POST', `/api/workers/${w.id}/disable`);
    // What the api had queued a moment before the disable (it refuses alerts for a disabled worker).
    const queued = await stack.queues.queueWebhook(w.id, { payload: { action: 'buy' }, receivedAt: Date.now() });
    expect(queued.queued).toBe(true);
    const run = await finishedRun((queued as { runId: string }).runId);
    expect(run).toMatchObject({ trigger: 'webhook', status: 'skipped', error: 'worker is disabled', triggerPayload: { action: 'buy' } });
    expect(await stack.db.logEntry.count({ where: { workerId: w.id } })).toBe(0);
  });
});
