// GET /api/keys/:id/account over the real stack: the api asks, a scheduler reads the exchange
// (the simulator) with the key's credentials and answers with balances and positions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from './stack.ts';
import type { Stack } from './stack.ts';

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(() => stack?.stop());

describe('account snapshot', () => {
  it("shows a key's futures balances and the position its worker opened", async () => {
    const { http } = stack;
    const key = (await http('POST', '/api/keys', { name: 'acct', mode: 'sim' })).json;
    const worker = (await http('POST', '/api/workers', {
      name: 'opener', schedule: { every: '1h' }, keyId: key.id, enabled: false,
      code: 'export async function tick(ctx) { await ctx.bitget.futures_place_order({ symbol: "BTCUSDT", side: "buy", size: "0.002" }); }',
    })).json;
    expect((await http('POST', `/api/workers/${worker.id}/run`)).json.status).toBe('ok');

    const res = await http('GET', `/api/keys/${key.id}/account`);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ ok: true, productType: 'USDT-FUTURES', fetchedAt: expect.any(String) });
    const usdt = (res.json.accounts as { marginCoin: string; available: string }[]).find((a) => a.marginCoin === 'USDT');
    expect(usdt?.available).toMatch(/^\d+(\.\d+)?$/);
    expect(res.json.positions).toEqual([expect.objectContaining({ symbol: 'BTCUSDT', holdSide: 'long', total: '0.002' })]);

    const coin = await http('GET', `/api/keys/${key.id}/account?productType=COIN-FUTURES`);
    expect(coin.status).toBe(200);
    expect(coin.json.positions).toEqual([]);
  });

  it('names what is wrong: an unknown product type, a key of another user, credentials the exchange refuses', async () => {
    const { http } = stack;
    const key = (await http('POST', '/api/keys', { name: 'k', mode: 'sim' })).json;
    const bad = await http('GET', `/api/keys/${key.id}/account?productType=SPOT`);
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe('query.productType must be one of USDT-FUTURES, USDC-FUTURES, COIN-FUTURES');
    const other = await stack.newUser();
    expect((await other('GET', `/api/keys/${key.id}/account`)).status).toBe(404);
    // A demo key the exchange does not know (the stack's "live" exchange is the simulator too).
    const unknown = (await http('POST', '/api/keys', { name: 'd', mode: 'demo', apiKey: 'bg_not_registered_1', secret: 's', passphrase: 'p' })).json;
    const refused = await http('GET', `/api/keys/${unknown.id}/account`);
    expect(refused.status).toBe(502);
    expect(refused.json).toMatchObject({ error: 'exchange_error', details: { name: 'BitgetAPIError' } });
    expect(refused.json.message).toMatch(/^the exchange did not give the account: /);
    expect(JSON.stringify(refused.json)).not.toMatch(/bg_not_registered_1|"s"|"p"/);
  });
});
