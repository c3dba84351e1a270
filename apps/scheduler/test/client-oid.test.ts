// A worker's own client_oid end to end (api → scheduler → sandbox → journal → simulator): it is
// unique per key, as Bitget's clientOid is per account. Reusing one on the same key reaches the
// worker as a clean BitgetOrderNotSentError, never the database's error, and nothing is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.stop());

const ORDER = '{ symbol: "BTCUSDT", side: "buy", size: "0.001", client_oid: "dca-1" }';
// Reports what the worker sees of the error, stack included, as one log line.
const CATCHING = `export async function tick(ctx) {
  try {
    const r = await ctx.bitget.futures_place_order(${ORDER});
    ctx.log.info("placed", r.data.clientOid);
  } catch (e) {
    ctx.log.warn(JSON.stringify({ name: e.name, code: e.code, message: e.message, keys: Object.keys(e), stack: e.stack, detail: e.detail, context: e.context, status: e.status }));
  }
}`;
const THROWING = `export async function tick(ctx) { await ctx.bitget.futures_place_order(${ORDER}); }`;
const LEAKS = ['/work/', 'prisma', 'invocation', 'unique constraint', 'tradelog', 'node_modules'];

/**
 * A disabled worker of one user on a new sim key (or the given one); `placed` counts the orders with
 * clientOid dca-1 the simulator received for that key.
 */
async function setup(http: Stack['http'], name: string, code: string, keyId?: string) {
  const key = keyId ? { json: { id: keyId } } : await http('POST', '/api/keys', { name, mode: 'sim' });
  const worker = await http('POST', '/api/workers', { name, code, enabled: false, schedule: { every: '1m' }, keyId: key.json.id });
  expect(worker.status).toBe(201);
  const row = await stack.db.apiKey.findUniqueOrThrow({ where: { id: key.json.id } });
  const { apiKey } = JSON.parse(stack.keyring.decrypt(row.ciphertext, `apikey:${row.id}`)) as { apiKey: string };
  return {
    keyId: key.json.id as string,
    workerId: worker.json.id as string,
    run: async () => (await http('POST', `/api/workers/${worker.json.id}/run`)).json,
    trades: async () => (await http('GET', `/api/trades?workerId=${worker.json.id}`)).json.items as Record<string, unknown>[],
    placed: async () => {
      const res = await fetch(`${stack.simUrl}/sim/requests?path=/api/v2/mix/order/place-order`);
      const { requests } = await res.json() as { requests: { headers: Record<string, string>; body: string }[] };
      return requests.filter((r) => r.headers['access-key'] === apiKey && JSON.parse(r.body).clientOid === 'dca-1').length;
    },
  };
}

describe("a worker's own client_oid", () => {
  it('is unique per key: two users both place dca-1; the same key reusing it gets DUPLICATE_CLIENT_OID and sends nothing', async () => {
    const alice = await setup(stack.http, 'alice', CATCHING);
    const bob = await setup(await stack.newUser(), 'bob', CATCHING);

    // Both users' orders are placed and journalled, each on its own simulator account.
    for (const user of [alice, bob]) {
      const run = await user.run();
      expect(run).toMatchObject({ status: 'ok', logs: [{ level: 'info', message: 'placed dca-1' }] });
      const trades = await user.trades();
      expect(trades).toHaveLength(1);
      expect(trades[0]).toMatchObject({ clientOid: 'dca-1', status: 'accepted' });
      expect(trades[0]!.orderId).toMatch(/^\d+$/);
      expect(await user.placed()).toBe(1);
    }
    const rows = await stack.db.tradeLog.findMany({ where: { clientOid: 'dca-1' } });
    expect(rows.map((r) => r.keyId).sort()).toEqual([alice.keyId, bob.keyId].sort());

    // Alice reuses dca-1 on her key: a clean error in the worker, no request, no new row.
    const again = await alice.run();
    expect(again.status).toBe('ok');
    expect(again.logs).toHaveLength(1);
    const seen = JSON.parse(again.logs[0].message) as Record<string, unknown>;
    expect(seen).toMatchObject({
      name: 'BitgetOrderNotSentError', code: 'DUPLICATE_CLIENT_OID', message: "clientOid 'dca-1' was already used for an order on this key",
    });
    expect(seen.detail ?? seen.context ?? seen.status).toBeUndefined();
    const text = JSON.stringify(seen).toLowerCase();
    for (const leak of LEAKS) expect(text, leak).not.toContain(leak);
    expect(await alice.placed()).toBe(1);
    expect(await alice.trades()).toHaveLength(1);
    expect(await bob.placed()).toBe(1);

    // Uncaught, the run fails with the same clean error (also what the run history stores).
    const thrower = await setup(stack.http, 'alice-2', THROWING, alice.keyId);
    const failed = await thrower.run();
    expect(failed).toMatchObject({
      status: 'error', error: { name: 'BitgetOrderNotSentError', code: 'DUPLICATE_CLIENT_OID', message: "clientOid 'dca-1' was already used for an order on this key" },
    });
    const runs = (await stack.http('GET', `/api/workers/${thrower.workerId}/runs`)).json as { error: string | null }[];
    const stored = JSON.stringify([failed, runs]).toLowerCase();
    for (const leak of LEAKS) expect(stored, leak).not.toContain(leak);
    expect(await alice.placed()).toBe(1);
    expect(await thrower.trades()).toHaveLength(0);
  });
});
