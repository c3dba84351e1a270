// The walking skeleton end to end, over real HTTP and real parts: api → PostgreSQL + BullMQ/Redis
// → scheduler → isolated-vm runner process → ctx.bitget → signed request → simulator →
// TradeLog → api.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, until } from './stack.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
let simUrl: string;
const http: Stack['http'] = (...args) => stack.http(...args);
beforeAll(async () => { stack = await startStack(); simUrl = stack.simUrl; });
afterAll(() => stack?.stop());

const DCA = `
export async function setup(ctx) {
  ctx.state.set("ticks", 0);
  await ctx.bitget.futures_set_leverage("BTCUSDT", 3);
}
export async function tick(ctx) {
  const t = await ctx.bitget.futures_tickers({ symbol: "BTCUSDT" });
  const r = await ctx.bitget.futures_place_order("BTCUSDT", "buy", "0.001");
  ctx.state.set("ticks", ctx.state.get("ticks", 0) + 1);
  ctx.log.info("bought at", t.data[0].lastPr, "order", r.data.orderId);
}`;

describe('upload → schedule → sandbox → signed request → TradeLog → API', () => {
  it('a scheduled worker places a signed order on the simulator that the journal shows', async () => {
    const key = await http('POST', '/api/keys', { name: 'sim', mode: 'sim' });
    expect(key.status).toBe(201);
    const worker = await http('POST', '/api/workers', { name: 'dca', code: DCA, schedule: { every: '1s' }, keyId: key.json.id });
    expect(worker.status).toBe(201);
    const trade = await until('an accepted order in /api/trades', async () => {
      const { json } = await http('GET', `/api/trades?workerId=${worker.json.id}`);
      return json.items.find((t: { status: string }) => t.status === 'accepted');
    });
    expect(trade).toMatchObject({ mode: 'sim', market: 'futures', productType: 'USDT-FUTURES', symbol: 'BTCUSDT', side: 'buy', orderType: 'market', size: '0.001' });
    expect(trade.orderId).toMatch(/^\d+$/);

    // The simulator saw a signed request carrying the same host-generated clientOid.
    const recorded = await (await fetch(`${simUrl}/sim/requests`)).json() as { requests?: unknown[] } | unknown[];
    const list = (Array.isArray(recorded) ? recorded : recorded.requests ?? []) as { path: string; body?: unknown; headers: Record<string, string> }[];
    const place = list.find((r) => r.path === '/api/v2/mix/order/place-order' && JSON.stringify(r.body ?? '').includes(trade.clientOid));
    expect(place, 'place-order request with the TradeLog clientOid').toBeDefined();
    expect(place!.headers['access-sign'] ?? place!.headers['ACCESS-SIGN']).not.toMatch(/^[A-Za-z0-9+/]{43}=$/);

    const logs = await until('the tick log line', async () => {
      const { json } = await http('GET', `/api/workers/${worker.json.id}/logs`);
      return json.find((l: { message: string }) => l.message.includes(trade.orderId)) ? json : undefined;
    });
    expect(logs[0]).toMatchObject({ level: 'info' });
    const state = await http('GET', `/api/workers/${worker.json.id}/state`);
    expect(state.json.state.ticks).toBeGreaterThanOrEqual(1);
    const runs = await http('GET', `/api/workers/${worker.json.id}/runs`);
    expect(runs.json.some((r: { phase: string; status: string }) => r.phase === 'setup' && r.status === 'ok')).toBe(true);
    await http('POST', `/api/workers/${worker.json.id}/disable`);
  });

  it('run-now runs a disabled worker once in the scheduler and answers with status, duration and logs', async () => {
    const worker = await http('POST', '/api/workers', {
      name: 'manual', enabled: false, schedule: { every: '1m' },
      code: 'export async function tick(ctx) { const t = await ctx.bitget.futures_tickers({ symbol: "ETHUSDT" }); ctx.log.info("ETH", t.data[0].symbol, ctx.trigger.type); }',
    });
    const run = await http('POST', `/api/workers/${worker.json.id}/run`);
    expect(run.status).toBe(200);
    expect(run.json).toMatchObject({ status: 'ok', logs: [{ level: 'info', message: 'ETH ETHUSDT manual' }] });
    expect(run.json.durationMs).toBeGreaterThan(0);
    expect(await stack.queues.isDeployed(worker.json.id)).toBe(false);
  });

  it('an exchange rejection reaches the worker as BitgetAPIError and the journal as rejected', async () => {
    const key = await http('POST', '/api/keys', { name: 'sim2', mode: 'sim' });
    const worker = await http('POST', '/api/workers', {
      name: 'too-small', enabled: false, schedule: { every: '1m' }, keyId: key.json.id,
      code: `export async function tick(ctx) {
        try { await ctx.bitget.futures_place_order({ symbol: "BTCUSDT", side: "buy", size: "0.0001" }); }
        catch (e) {
          const text = JSON.stringify({ s: e.stack, d: e.detail, c: e.context, m: e.message }).toLowerCase();
          const leaks = ["node_modules", "/src/", "access-", "passphrase", "secret", "sim_"].some((w) => text.includes(w));
          ctx.log.warn(e.name, e.code, leaks ? "leaky" : "clean");
          ctx.log.info(JSON.stringify({ detail: e.detail, context: e.context, isError: e instanceof Error }));
        }
      }`,
    });
    const run = await http('POST', `/api/workers/${worker.json.id}/run`);
    expect(run.json.status).toBe('ok');
    const line = run.json.logs[0].message as string;
    expect(line).toMatch(/^BitgetAPIError \d+ clean$/);
    const { json } = await http('GET', `/api/trades?workerId=${worker.json.id}`);
    expect(json.items).toHaveLength(1);
    expect(json.items[0]).toMatchObject({ status: 'rejected', errorCode: line.split(' ')[1], size: '0.0001' });
    const fields = JSON.parse(run.json.logs[1].message);
    expect(fields).toMatchObject({ isError: true, context: { method: 'futures_place_order', path: '/api/v2/mix/order/place-order' } });
    expect(typeof fields.detail).toBe('string');
    expect(fields.detail.length).toBeGreaterThan(0);
  });

  it('the TradeLog row is pending while the request is in flight', async () => {
    const key = await http('POST', '/api/keys', { name: 'sim3', mode: 'sim' });
    const worker = await http('POST', '/api/workers', {
      name: 'slow', enabled: false, schedule: { every: '1m' }, keyId: key.json.id,
      code: 'export async function tick(ctx) { await ctx.bitget.futures_place_order({ symbol: "BTCUSDT", side: "buy", size: "0.001" }); }',
    });
    await fetch(`${simUrl}/sim/fail-next`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: '/api/v2/mix/order/place-order', delayMs: 1500, status: 200 }) });
    const running = http('POST', `/api/workers/${worker.json.id}/run`);
    const pending = await until('a pending row', async () => {
      const { json } = await http('GET', `/api/trades?workerId=${worker.json.id}`);
      return json.items.find((t: { status: string }) => t.status === 'pending');
    }, 5000);
    expect(pending.orderId).toBeNull();
    await running;
    const { json } = await http('GET', `/api/trades?workerId=${worker.json.id}`);
    expect(json.items[0].clientOid).toBe(pending.clientOid);
    expect(json.items[0].status).not.toBe('pending');
  });
});
