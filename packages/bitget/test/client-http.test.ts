import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BitgetAPIError,
  BitgetCredentialsError,
  BitgetNetworkError,
  BitgetRateLimitError,
  BitgetValidationError,
  createBitgetClient,
  createRateLimiterRegistry,
} from '../src/index.ts';
import type { BitgetClient, BitgetClientOptions, OrderChange, OrderIntent, OrderOutcome } from '../src/index.ts';
import { ok, startFakeBitget } from './support/fake-bitget.ts';
import type { FakeBitget, Recorded } from './support/fake-bitget.ts';

const NOW = 1_700_000_000_000;
const creds = { apiKey: 'key-AAAA', secret: 'secret-BBBB', passphrase: 'pass-CCCC' };

let server: FakeBitget;
const clients: BitgetClient[] = [];
let journal: { intents: OrderIntent[][]; outcomes: OrderOutcome[][]; changes: OrderChange[] };

function make(extra: Partial<BitgetClientOptions> = {}): BitgetClient {
  const c = createBitgetClient({
    baseUrl: server.url,
    mode: 'live',
    credentials: creds,
    now: () => NOW,
    sleep: async () => {},
    lookupDelaysMs: [0],
    timeouts: { headersMs: 300, bodyMs: 300 },
    hooks: {
      beforeSend: async (i) => void journal.intents.push(i),
      afterSend: async (o) => void journal.outcomes.push(o),
      onChange: async (c) => void journal.changes.push(c),
    },
    ...extra,
  });
  clients.push(c);
  return c;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

const count = (path: string) => server.requests.filter((r) => r.path === path).length;
/** Our own prehash per CONTRACT §2.2, independent of the client's signer. */
const expectedSign = (r: Recorded) =>
  createHmac('sha256', creds.secret)
    .update(`${String(r.headers['access-timestamp'])}${r.method}${r.path}${r.query ? `?${r.query}` : ''}${r.body}`)
    .digest('base64');

beforeEach(async () => {
  server = await startFakeBitget();
  journal = { intents: [], outcomes: [], changes: [] };
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server.close();
});

describe('signing and modes', () => {
  it('signs GET query and POST body exactly as sent', async () => {
    const c = make();
    await c.futures_pending_orders(undefined, 'BTCUSDT');
    await c.futures_place_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.01', client_oid: 'my-1' });
    const [get, post] = server.requests;
    if (!get || !post) throw new Error('missing requests');
    expect(get.query).toBe('productType=USDT-FUTURES&symbol=BTCUSDT');
    expect(get.headers['access-timestamp']).toBe(String(NOW));
    expect(get.headers['access-sign']).toBe(expectedSign(get));
    expect(get.headers['access-key']).toBe(creds.apiKey);
    expect(get.headers['access-passphrase']).toBe(creds.passphrase);
    expect(post.headers['content-type']).toBe('application/json');
    expect(post.headers['access-sign']).toBe(expectedSign(post));
    expect(JSON.parse(post.body)).toMatchObject({ clientOid: 'my-1' });
  });

  it('adds paptrading: 1 only in demo mode, on public and private calls', async () => {
    await make({ mode: 'demo' }).futures_tickers();
    await make({ mode: 'demo' }).futures_positions();
    await make({ mode: 'live' }).futures_positions();
    await make({ mode: 'sim' }).futures_positions();
    expect(server.requests.map((r) => r.headers['paptrading'])).toEqual(['1', '1', undefined, undefined]);
  });

  it('sends no auth headers on public endpoints', async () => {
    await make().spot_tickers('BTCUSDT');
    expect(server.requests[0]?.headers['access-key']).toBeUndefined();
  });
});

describe('credentials and validation', () => {
  it('throws NO_KEY for private methods without a key, public ones still work', async () => {
    const c = make({ credentials: undefined });
    const e = await rejection(c.futures_accounts());
    expect(e).toBeInstanceOf(BitgetCredentialsError);
    expect((e as BitgetCredentialsError).code).toBe('NO_KEY');
    expect(e.message).toBe("No Bitget key bound to this worker. Bind one: the key field in the dashboard's worker editor, tickbox workers deploy FILE --key NAME, or PATCH /api/workers/:id {keyId}.");
    const custom = make({ credentials: undefined, missingKeyMessage: 'connect a key' });
    expect((await rejection(custom.call('spot_place_order', ['BTCUSDT', 'buy', '1']))).message).toBe('connect a key');
    await c.futures_tickers();
    expect(server.requests.map((r) => r.path)).toEqual(['/api/v2/mix/market/tickers']);
  });

  it('rejects bad arguments and unknown methods before any request', async () => {
    const c = make();
    const e = await rejection(c.call('futures_place_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '1', order_type: 'limit' }]));
    expect(e).toBeInstanceOf(BitgetValidationError);
    expect(e.message).toBe("futures_place_order: price is required when order_type is 'limit'");
    expect(await rejection(c.call('futures_teleport', []))).toBeInstanceOf(BitgetValidationError);
    expect(server.requests).toHaveLength(0);
    expect(journal.intents).toHaveLength(0);
  });
});

describe('errors', () => {
  it('raises BitgetAPIError with code, detail and context; no secrets in the message', async () => {
    server.on(() => ({ status: 400, json: { code: '40762', msg: 'The order amount exceeds the balance', requestTime: NOW, data: null } }));
    const e = await rejection(make().futures_place_order('BTCUSDT', 'buy', '100'));
    expect(e).toBeInstanceOf(BitgetAPIError);
    const err = e as BitgetAPIError;
    expect(err.code).toBe('40762');
    expect(err.detail).toBe('The order amount exceeds the balance');
    expect(err.context.method).toBe('futures_place_order');
    expect(err.context.path).toBe('/api/v2/mix/order/place-order');
    expect(err.context.params).toMatchObject({ symbol: 'BTCUSDT', size: '100' });
    const text = `${err.message} ${JSON.stringify(err.context)}`;
    for (const secret of [creds.apiKey, creds.secret, creds.passphrase, String(server.requests[0]?.headers['access-sign'])]) {
      expect(text).not.toContain(secret);
    }
    expect(journal.outcomes[0]?.[0]).toMatchObject({ status: 'rejected', errorCode: '40762', errorMessage: 'The order amount exceeds the balance' });
  });

  it('maps HTTP 429 to BitgetRateLimitError without retrying', async () => {
    server.on(() => ({ status: 429, json: { code: '429', msg: 'Too Many Requests' } }));
    const e = await rejection(make().futures_tickers());
    expect(e).toBeInstanceOf(BitgetRateLimitError);
    expect((e as BitgetRateLimitError).code).toBe('429');
    expect(server.requests).toHaveLength(1);
  });

  it('maps a non-JSON body to BitgetNetworkError with the status', async () => {
    server.on(() => ({ status: 403, text: '<html>forbidden</html>' }));
    const e = await rejection(make().futures_tickers());
    expect(e).toBeInstanceOf(BitgetNetworkError);
    expect((e as BitgetNetworkError).status).toBe(403);
    expect(server.requests).toHaveLength(1);
  });
});

describe('GET retries', () => {
  it('retries 5xx and network errors, then succeeds', async () => {
    let n = 0;
    server.on(() => {
      n++;
      if (n === 1) return { status: 502, text: 'bad gateway' };
      if (n === 2) return { destroy: true };
      return ok([{ symbol: 'BTCUSDT' }]);
    });
    const r = await make().futures_tickers();
    expect(r.data).toEqual([{ symbol: 'BTCUSDT' }]);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after getRetries and reports the status', async () => {
    server.on(() => ({ status: 503, text: 'unavailable' }));
    const e = await rejection(make({ getRetries: 2 }).futures_accounts());
    expect((e as BitgetNetworkError).status).toBe(503);
    expect(server.requests).toHaveLength(3);
    // each attempt is signed afresh
    expect(server.requests.every((r) => r.headers['access-sign'] === expectedSign(r))).toBe(true);
  });

  it('does not retry exchange errors', async () => {
    server.on(() => ({ status: 400, json: { code: '40034', msg: 'Parameter does not exist', data: null } }));
    await rejection(make().futures_positions());
    expect(server.requests).toHaveLength(1);
  });

  it('retries a headers timeout', async () => {
    let n = 0;
    server.on(() => (++n === 1 ? { delayMs: 3000 } : ok([])));
    await make().spot_assets();
    expect(server.requests).toHaveLength(2);
  });
});

describe('orders after an ambiguous failure', () => {
  it('looks a timed-out futures order up by clientOid and returns a synthesized success', async () => {
    server.on((r) => (r.path === '/api/v2/mix/order/place-order' ? { delayMs: 3000 } : undefined));
    server.on((r) =>
      r.path === '/api/v2/mix/order/detail' ? ok({ orderId: '777', clientOid: new URLSearchParams(r.query).get('clientOid'), state: 'live' }) : undefined,
    );
    const r = await make({ newClientOid: () => 'tbxfixed1' }).futures_place_order('BTCUSDT', 'buy', '0.01');
    expect(r).toEqual({ code: '00000', msg: 'success', requestTime: NOW, data: { orderId: '777', clientOid: 'tbxfixed1' } });
    expect(count('/api/v2/mix/order/place-order')).toBe(1);
    const detail = server.requests.find((q) => q.path === '/api/v2/mix/order/detail');
    expect(Object.fromEntries(new URLSearchParams(detail?.query))).toEqual({ clientOid: 'tbxfixed1', productType: 'USDT-FUTURES', symbol: 'BTCUSDT' });
    expect(journal.intents[0]?.[0]).toMatchObject({ clientOid: 'tbxfixed1', action: 'place', market: 'futures', symbol: 'BTCUSDT', size: '0.01' });
    expect(journal.outcomes[0]).toEqual([expect.objectContaining({ clientOid: 'tbxfixed1', status: 'accepted', orderId: '777' })]);
  });

  it('reports failed and throws when a 5xx order is not found, never resending it', async () => {
    server.on((r) => (r.path === '/api/v2/mix/order/place-order' ? { status: 500, text: 'oops' } : undefined));
    server.on((r) => (r.path === '/api/v2/mix/order/detail' ? { status: 400, json: { code: '40109', msg: 'order data not found', data: null } } : undefined));
    const e = await rejection(make({ lookupDelaysMs: [0, 0] }).futures_place_order('BTCUSDT', 'buy', '0.01'));
    expect(e).toBeInstanceOf(BitgetNetworkError);
    expect((e as BitgetNetworkError).status).toBe(500);
    expect(count('/api/v2/mix/order/place-order')).toBe(1);
    expect(count('/api/v2/mix/order/detail')).toBe(2);
    expect(journal.outcomes[0]?.[0]).toMatchObject({ status: 'failed', errorCode: 'HTTP_STATUS' });
  });

  it('finds a filled spot order in recent history when orderInfo does not know it', async () => {
    server.on((r) => (r.path === '/api/v2/spot/trade/place-order' ? { destroy: true } : undefined));
    server.on((r) => (r.path === '/api/v2/spot/trade/orderInfo' ? ok([]) : undefined));
    server.on((r) => (r.path === '/api/v2/spot/trade/history-orders' ? ok([{ orderId: '55', clientOid: 'mine-1', status: 'filled' }]) : undefined));
    const r = await make().spot_place_order({ symbol: 'BTCUSDT', side: 'buy', size: '20', client_oid: 'mine-1' });
    expect(r.data).toEqual({ orderId: '55', clientOid: 'mine-1' });
    expect(count('/api/v2/spot/trade/place-order')).toBe(1);
    const hist = server.requests.find((q) => q.path === '/api/v2/spot/trade/history-orders');
    expect(new URLSearchParams(hist?.query).get('startTime')).toBe(String(NOW - 60_000));
  });

  it('does not look up when the connection was refused (nothing was sent)', async () => {
    const c = make({ baseUrl: 'http://127.0.0.1:1' });
    const e = await rejection(c.futures_place_order('BTCUSDT', 'buy', '0.01'));
    expect((e as BitgetNetworkError).maybeSent).toBe(false);
    expect(journal.outcomes[0]?.[0]).toMatchObject({ status: 'failed', errorCode: 'CONNECTION' });
  });

  it('sends nothing when beforeSend throws', async () => {
    const c = make({ hooks: { beforeSend: async () => { throw new Error('db down'); } } });
    expect((await rejection(c.futures_place_order('BTCUSDT', 'buy', '0.01'))).message).toBe('db down');
    expect(server.requests).toHaveLength(0);
  });
});

describe('order hooks', () => {
  it('reports one intent per batch item and outcomes from success/failure lists', async () => {
    let i = 0;
    const c = make({ newClientOid: () => `tbxgen${++i}` });
    server.on(() =>
      ok({
        successList: [{ orderId: '1', clientOid: 'tbxgen1' }],
        failureList: [{ orderId: '', clientOid: 'own-2', errorCode: '40762', errorMsg: 'balance' }],
      }),
    );
    await c.futures_batch_place_orders('BTCUSDT', [
      { side: 'buy', size: '0.01' },
      { side: 'sell', size: '0.02', order_type: 'limit', price: 70000, client_oid: 'own-2' },
    ]);
    const body = JSON.parse(server.requests[0]?.body ?? '{}') as { orderList: { clientOid: string }[] };
    expect(body.orderList.map((o) => o.clientOid)).toEqual(['tbxgen1', 'own-2']);
    expect(journal.intents[0]?.map((x) => [x.clientOid, x.action, x.side, x.price])).toEqual([
      ['tbxgen1', 'batch_place', 'buy', undefined],
      ['own-2', 'batch_place', 'sell', '70000'],
    ]);
    expect(journal.outcomes[0]?.map((o) => [o.clientOid, o.status, o.orderId, o.errorCode])).toEqual([
      ['tbxgen1', 'accepted', '1', undefined],
      ['own-2', 'rejected', undefined, '40762'],
    ]);
  });

  it('gives close-position a host reference and reads its successList', async () => {
    server.on(() => ok({ successList: [{ orderId: '9', clientOid: 'x' }], failureList: [] }));
    await make().futures_close_position('BTCUSDT', 'long');
    const intent = journal.intents[0]?.[0];
    expect(intent?.clientOid).toMatch(/^tbxclose[0-9a-f]{24}$/);
    expect(intent).toMatchObject({ action: 'close_position', tradeSide: 'close', orderType: 'market', request: { holdSide: 'long' } });
    expect(journal.outcomes[0]?.[0]).toMatchObject({ clientOid: intent?.clientOid, status: 'accepted', orderId: '9' });
    expect(JSON.parse(server.requests[0]?.body ?? '{}')).not.toHaveProperty('clientOid');
  });

  it('reports cancels and modifies through onChange', async () => {
    const c = make({ newClientOid: () => 'tbxnew' });
    await c.futures_cancel_order('BTCUSDT', '42');
    await c.futures_modify_order({ symbol: 'BTCUSDT', client_oid: 'o-1', new_size: '1', new_price: '2' });
    server.on(() => ({ status: 400, json: { code: '43001', msg: 'order does not exist', data: null } }));
    await rejection(c.spot_cancel_order('BTCUSDT', undefined, 'gone'));
    expect(journal.changes).toEqual([
      expect.objectContaining({ method: 'futures_cancel_order', action: 'cancel', orderId: '42', ok: true }),
      expect.objectContaining({ method: 'futures_modify_order', action: 'modify', clientOid: 'o-1', newClientOid: 'tbxnew', ok: true }),
      expect.objectContaining({ method: 'spot_cancel_order', action: 'cancel', clientOid: 'gone', ok: false, errorCode: '43001' }),
    ]);
    expect(JSON.parse(server.requests[1]?.body ?? '{}')).toMatchObject({ newClientOid: 'tbxnew' });
  });

  it('a modify with a new size and price is an order: journalled before the request, its outcome after, then onChange', async () => {
    server.on(() => ok({ orderId: '901', clientOid: 'tbxnew' }));
    await make({ newClientOid: () => 'tbxnew' }).futures_modify_order({ symbol: 'BTCUSDT', order_id: '42', new_size: '0.5', new_price: '61000' });
    expect(journal.intents).toEqual([[expect.objectContaining({
      clientOid: 'tbxnew', action: 'replace', method: 'futures_modify_order', market: 'futures', productType: 'USDT-FUTURES',
      symbol: 'BTCUSDT', orderType: 'limit', size: '0.5', price: '61000', replaces: { orderId: '42' },
    })]]);
    expect(journal.outcomes).toEqual([[expect.objectContaining({ clientOid: 'tbxnew', status: 'accepted', orderId: '901' })]]);
    expect(journal.changes).toEqual([expect.objectContaining({ action: 'modify', orderId: '42', newClientOid: 'tbxnew', replaced: true, ok: true })]);
  });

  it('a TP/SL-only modify places nothing: no intent, onChange without replaced', async () => {
    await make().futures_modify_order({ symbol: 'BTCUSDT', order_id: '42', new_preset_stop_loss_price: '50000' });
    expect(journal.intents).toEqual([]);
    expect(journal.changes).toEqual([expect.objectContaining({ action: 'modify', orderId: '42', ok: true })]);
    expect(journal.changes[0]).not.toHaveProperty('replaced');
    expect(JSON.parse(server.requests[0]?.body ?? '{}')).not.toHaveProperty('newClientOid');
  });

  it('a modify that timed out is settled by looking the replacing order up, never by sending it again', async () => {
    server.on((r) => (r.path === '/api/v2/mix/order/modify-order' ? { delayMs: 3000 } : undefined));
    server.on((r) => (r.path === '/api/v2/mix/order/detail' ? ok({ orderId: '902', clientOid: new URLSearchParams(r.query).get('clientOid'), state: 'live' }) : undefined));
    const r = await make().futures_modify_order({ symbol: 'BTCUSDT', client_oid: 'grid-1', new_size: '1', new_price: '2', new_client_oid: 'grid-1b' });
    expect(r.data).toEqual({ orderId: '902', clientOid: 'grid-1b' });
    expect(count('/api/v2/mix/order/modify-order')).toBe(1);
    expect(new URLSearchParams(server.requests.find((q) => q.path === '/api/v2/mix/order/detail')?.query).get('clientOid')).toBe('grid-1b');
    expect(journal.outcomes).toEqual([[expect.objectContaining({ clientOid: 'grid-1b', status: 'accepted', orderId: '902' })]]);
    expect(journal.changes).toEqual([expect.objectContaining({ clientOid: 'grid-1', replaced: true, ok: true })]);
  });

  it('a rejected modify reports the replacing order rejected and the change failed', async () => {
    server.on(() => ({ status: 400, json: { code: '40768', msg: 'Order does not exist', data: null } }));
    await rejection(make({ newClientOid: () => 'tbxnew' }).futures_modify_order({ symbol: 'BTCUSDT', order_id: '42', new_size: '1', new_price: '2' }));
    expect(journal.outcomes).toEqual([[expect.objectContaining({ clientOid: 'tbxnew', status: 'rejected', errorCode: '40768' })]]);
    expect(journal.changes).toEqual([expect.objectContaining({ orderId: '42', replaced: true, ok: false, errorCode: '40768' })]);
  });

  it('sends no modify when the replacing order cannot be journalled', async () => {
    const c = make({ hooks: { beforeSend: async () => { throw new Error('db down'); } } });
    expect((await rejection(c.futures_modify_order({ symbol: 'BTCUSDT', order_id: '42', new_size: '1', new_price: '2' }))).message).toBe('db down');
    expect(server.requests).toHaveLength(0);
  });
});

describe('shared rate limits', () => {
  it('two clients on the same key share buckets; the limit names the class', async () => {
    const limiter = createRateLimiterRegistry({ now: () => NOW });
    const a = make({ limiter, maxRateLimitWaitMs: 0 });
    const b = make({ limiter, maxRateLimitWaitMs: 0 });
    for (let i = 0; i < 5; i++) await (i % 2 ? a : b).futures_set_leverage('BTCUSDT', 3);
    const e = await rejection(a.futures_set_leverage('BTCUSDT', 3));
    expect(e).toBeInstanceOf(BitgetRateLimitError);
    expect((e as BitgetRateLimitError).code).toBe('RATE_LIMITED');
    expect(e.message).toContain("'account-settings'");
    expect(server.requests).toHaveLength(5);
    // another key is unaffected
    await make({ limiter, maxRateLimitWaitMs: 0, credentials: { ...creds, apiKey: 'other' } }).futures_set_leverage('BTCUSDT', 3);
    expect(server.requests).toHaveLength(6);
  });
});

describe('response shaping', () => {
  it('trims the futures book to the requested depth after fetching the next tier', async () => {
    const level = (p: number) => [p, 1];
    server.on(() => ok({ asks: [1, 2, 3, 4, 5, 6].map(level), bids: [6, 5, 4, 3, 2, 1].map(level), ts: '1' }));
    const r = await make().futures_orderbook('BTCUSDT', undefined, 3);
    expect(new URLSearchParams(server.requests[0]?.query).get('limit')).toBe('5');
    expect(r.data).toEqual({ asks: [[1, 1], [2, 1], [3, 1]], bids: [[6, 1], [5, 1], [4, 1]], ts: '1' });
  });
});
