// Failure alerts over the real stack: the scheduler POSTs to the user's alert URL (a local
// receiver here; the stack allows private addresses) when a worker's state changes for the worse
// or better — not on every failing tick.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, until } from './stack.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
let server: Server;
let receiverUrl: string;
const received: { path: string; body: any }[] = [];
/** Answers 500 to this many requests first (a receiver briefly down). */
let failNext = 0;

beforeAll(async () => {
  stack = await startStack();
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (d) => { text += d; });
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end();
        return;
      }
      received.push({ path: req.url ?? '', body: JSON.parse(text) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

const FLAKY = `
export async function tick(ctx) {
  const n = ctx.state.get("n", 0) + 1;
  ctx.state.set("n", n);
  if (n === 2 || n === 3) throw new Error("no price for tick " + n);
}`;

describe('failure alerts', () => {
  it('alerts the first failing tick and the recovery, not every failure; a failed setup; a test', async () => {
    const http = await stack.newUser();
    const set = await http('PUT', '/api/me/alerts', { url: `${receiverUrl}/hook/secret-token-123` });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ enabled: true, host: receiverUrl.replace('http://', '') });
    expect(JSON.stringify(set.json)).not.toContain('secret-token-123');

    const w = (await http('POST', '/api/workers', { name: 'flaky', code: FLAKY, schedule: { every: '1h' }, enabled: false })).json;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await http('POST', `/api/workers/${w.id}/run`)).json.status);
    expect(statuses).toEqual(['ok', 'error', 'error', 'ok']);
    // Delivered by up to 4 jobs at once: ordered by when they were raised.
    const mine = () => received.filter((r) => r.body.worker?.id === w.id).sort((a, b) => a.body.at.localeCompare(b.body.at));
    await until('two alerts', async () => (mine().length >= 2 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(mine().map((r) => r.body.kind)).toEqual(['tick_failed', 'recovered']);
    const [failed, recovered] = mine();
    expect(failed!.path).toBe('/hook/secret-token-123');
    expect(failed!.body).toMatchObject({
      text: 'Tickbox: worker "flaky" tick failed — Error: no price for tick 2',
      content: 'Tickbox: worker "flaky" tick failed — Error: no price for tick 2',
      worker: { id: w.id, name: 'flaky' }, error: 'Error: no price for tick 2',
    });
    expect(recovered!.body.text).toBe('Tickbox: worker "flaky" is ticking normally again');

    const broken = (await http('POST', '/api/workers', {
      name: 'broken', schedule: { every: '1h' }, enabled: true,
      code: 'export async function setup(ctx) { throw new Error("bad config"); }\nexport async function tick(ctx) {}',
    })).json;
    const stopped = await until('the setup alert', async () => received.find((r) => r.body.worker?.id === broken.id));
    expect(stopped.body).toMatchObject({ kind: 'setup_failed', text: 'Tickbox: worker "broken" stopped: its setup failed — Error: bad config' });

    const test = await http('POST', '/api/me/alerts/test');
    expect(test.status).toBe(202);
    await until('the test alert', async () => received.find((r) => r.body.kind === 'test'));
  });

  it('alerts an order the exchange rejected (once per 10 minutes per worker); a worker with alerts off sends none', async () => {
    const http = await stack.newUser();
    await http('PUT', '/api/me/alerts', { url: `${receiverUrl}/rejected` });
    const key = (await http('POST', '/api/keys', { name: 'sim', mode: 'sim' })).json;
    // The worker catches the refusal, so its tick succeeds: only the rejection is worth an alert.
    const code = `export async function tick(ctx) {
      try { await ctx.bitget.futures_place_order({ symbol: "BTCUSDT", side: "buy", size: "5000" }); }
      catch (e) { ctx.log.warn("refused", e.code); }
    }`;
    const loud = (await http('POST', '/api/workers', { name: 'loud', code, schedule: { every: '1h' }, enabled: false, keyId: key.id })).json;
    const quiet = (await http('POST', '/api/workers', { name: 'quiet', code, schedule: { every: '1h' }, enabled: false, keyId: key.id, alerts: false })).json;
    expect([loud.alerts, quiet.alerts]).toEqual([true, false]);
    for (const w of [loud, quiet, loud]) expect((await http('POST', `/api/workers/${w.id}/run`)).json.status).toBe('ok');
    const got = await until('the rejected-order alert', async () => received.find((r) => r.body.worker?.id === loud.id));
    expect(got.body.kind).toBe('order_rejected');
    expect(got.body.text).toMatch(/^Tickbox: worker "loud" had an order rejected by the exchange — BTCUSDT buy 5000: \d{5} /);
    const rows = (await http('GET', `/api/trades?workerId=${loud.id}`)).json.items;
    expect(rows.map((t: { status: string }) => t.status)).toEqual(['rejected', 'rejected']);

    // Turned on later, the quiet worker alerts like the other one.
    expect((await http('PATCH', `/api/workers/${quiet.id}`, { alerts: true })).json.alerts).toBe(true);
    expect((await http('POST', `/api/workers/${quiet.id}/run`)).json.status).toBe('ok');
    await until('the second worker\'s alert', async () => received.find((r) => r.body.worker?.id === quiet.id));
    await new Promise((r) => setTimeout(r, 500));
    // One per worker: the second rejection of "loud" was within its quiet time, the first of "quiet" was muted.
    expect(received.filter((r) => r.path === '/rejected').map((r) => r.body.worker.name).sort()).toEqual(['loud', 'quiet']);
    expect((await http('PATCH', `/api/workers/${quiet.id}`, { alerts: 'no' })).status).toBe(400);
  });

  it('a receiver that answers 500 gets the alert on a later try', async () => {
    const http = await stack.newUser();
    await http('PUT', '/api/me/alerts', { url: `${receiverUrl}/retry` });
    failNext = 1;
    expect((await http('POST', '/api/me/alerts/test')).status).toBe(202);
    const got = await until('the retried alert', async () => received.find((r) => r.path === '/retry'), 15_000);
    expect(got.body.kind).toBe('test');
    expect(failNext).toBe(0);
    // The user sees that it arrived in the end: the failed first try is no longer reported.
    const view = await until('the delivery recorded', async () => {
      const v = (await http('GET', '/api/me/alerts')).json;
      return v.lastSentAt ? v : undefined;
    });
    expect(view).toMatchObject({ lastError: null, lastErrorAt: null });
    // A new URL starts without a delivery history.
    expect((await http('PUT', '/api/me/alerts', { url: `${receiverUrl}/retry2` })).json).toMatchObject({ lastSentAt: null, lastError: null });
  });

  it('nothing is sent for a user without an alert URL, or after it is turned off', async () => {
    const http = await stack.newUser();
    await http('PUT', '/api/me/alerts', { url: `${receiverUrl}/off` });
    expect((await http('DELETE', '/api/me/alerts')).status).toBe(204);
    expect((await http('GET', '/api/me/alerts')).json).toMatchObject({ enabled: false, host: null });
    const w = (await http('POST', '/api/workers', { name: 'fails', code: 'export async function tick() { throw new Error("x"); }', schedule: { every: '1h' }, enabled: false })).json;
    expect((await http('POST', `/api/workers/${w.id}/run`)).json.status).toBe('error');
    await new Promise((r) => setTimeout(r, 1000));
    expect(received.filter((r) => r.path === '/off' || r.body.worker?.id === w.id)).toEqual([]);
  });
});
