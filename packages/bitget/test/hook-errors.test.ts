import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBitgetClient } from '../src/index.ts';
import { ok, startFakeBitget } from './support/fake-bitget.ts';
import type { FakeBitget } from './support/fake-bitget.ts';

let server: FakeBitget;
beforeEach(async () => { server = await startFakeBitget(); });
afterEach(() => server.close());

const creds = { apiKey: 'k', secret: 's', passphrase: 'p' };

describe('order hooks that fail after the exchange answered', () => {
  it('still return the placed order (no retry, no double order) and report the failure', async () => {
    server.on((r) => (r.path === '/api/v2/mix/order/place-order' ? ok({ orderId: '42', clientOid: 'x' }) : undefined));
    const reported: [string, string][] = [];
    const client = createBitgetClient({
      baseUrl: server.url, mode: 'live', credentials: creds,
      hooks: { afterSend: async () => { throw new Error('database down'); } },
      onHookError: (e, hook) => reported.push([hook, (e as Error).message]),
    });
    const res = await client.call('futures_place_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '0.001' }]);
    expect(res.data).toEqual({ orderId: '42', clientOid: 'x' });
    expect(reported).toEqual([['afterSend', 'database down']]);
    expect(server.requests.filter((r) => r.path === '/api/v2/mix/order/place-order')).toHaveLength(1);
    await client.close();
  });

  it('a failing beforeSend still vetoes the request', async () => {
    const client = createBitgetClient({
      baseUrl: server.url, mode: 'live', credentials: creds,
      hooks: { beforeSend: async () => { throw new Error('journal unavailable'); } },
    });
    await expect(client.call('futures_place_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '0.001' }])).rejects.toThrow('journal unavailable');
    expect(server.requests).toHaveLength(0);
    await client.close();
  });

  it('a failing onChange does not fail the cancel', async () => {
    server.on((r) => (r.path === '/api/v2/mix/order/cancel-order' ? ok({ orderId: '42', clientOid: 'x' }) : undefined));
    const reported: string[] = [];
    const client = createBitgetClient({
      baseUrl: server.url, mode: 'live', credentials: creds,
      hooks: { onChange: async () => { throw new Error('nope'); } },
      onHookError: (_e, hook) => reported.push(hook),
    });
    const res = await client.call('futures_cancel_order', ['BTCUSDT', '42']);
    expect(res.code).toBe('00000');
    expect(reported).toEqual(['onChange']);
    await client.close();
  });
});
