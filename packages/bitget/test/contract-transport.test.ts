import { describe, expect, it } from 'vitest';
import { BitgetNetworkError, BitgetRateLimitError, createRateLimiterRegistry } from '../src/index.ts';
import type { OrderIntent, RateLimiterRegistry } from '../src/index.ts';
import { apiError, type Ack, bodies, MODES, ok, PRICES, rejection, useSimulator } from './support/sim-fixture.ts';

// Contract: modes (paptrading), the no-double-order guarantee, GET retries, 429s, shared rate
// limits and the order of hook calls, end to end against the simulator.

const fx = useSimulator();

type Row = Record<string, unknown>;
const PLACE = '/api/v2/mix/order/place-order';
const SPOT_PLACE = '/api/v2/spot/trade/place-order';
const other = { live: 'demo', demo: 'live' } as const;

describe('demo vs live keys', () => {
  it.each(MODES)('a %s client sends paptrading: 1 exactly in demo mode, on public and private calls', async (mode) => {
    const { client, creds } = await fx.client(mode);
    await fx.admin('DELETE', '/sim/requests');
    await client.futures_tickers(undefined, 'BTCUSDT');
    await client.futures_accounts();
    await client.futures_place_order('BTCUSDT', 'buy', '0.01');
    const reqs = await fx.requests();
    expect(reqs.map((r) => r.path)).toEqual(['/api/v2/mix/market/ticker', '/api/v2/mix/account/accounts', PLACE]);
    for (const r of reqs) expect(r.headers['paptrading']).toBe(mode === 'demo' ? '1' : undefined);
    expect(reqs.slice(1).every((r) => r.headers['access-key'] === creds.apiKey && r.status === 200)).toBe(true);
  });

  it.each(MODES)('a %s-mode client on the other kind of account is refused with 40099', async (mode) => {
    const creds = await fx.account(other[mode]);
    const { client, journal } = await fx.client(mode, { creds });
    ok(await client.futures_ticker('BTCUSDT')); // public data needs no key
    const e = await apiError(client.futures_accounts());
    expect(e.code).toBe('40099');
    expect(e.status).toBe(400);
    expect(e.message).not.toContain(creds.secret);
    expect((await apiError(client.call('futures_place_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '0.01' }]))).code).toBe('40099');
    expect(journal.outcomes.at(-1)).toEqual([expect.objectContaining({ status: 'rejected', errorCode: '40099' })]);
  });
});

describe.each(MODES)('never places an order twice (%s key)', (mode) => {
  it('futures: 502 after processing → looked up by clientOid, one request, hooks "accepted"', async () => {
    const { client, journal, creds } = await fx.client(mode);
    await fx.failNext({ path: PLACE, mode: 'after', status: 502 });
    const r = ok<Ack>(await client.futures_place_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.01', order_type: 'limit', price: '50000' }));
    const clientOid = journal.intents.at(-1)?.[0]?.clientOid;
    expect(r['clientOid']).toBe(clientOid);
    const sent = bodies(await fx.requests(PLACE, creds.apiKey));
    expect(sent.filter((b) => b['clientOid'] === clientOid)).toHaveLength(1);
    expect(sent).toHaveLength(1);
    const detail = ok<Row>(await client.futures_order_detail({ symbol: 'BTCUSDT', client_oid: clientOid }));
    expect(detail['orderId']).toBe(r['orderId']);
    expect(journal.outcomes.at(-1)).toEqual([expect.objectContaining({ clientOid, status: 'accepted', orderId: r['orderId'] })]);
    expect(ok<{ entrustedList: Row[] }>(await client.futures_pending_orders()).entrustedList).toHaveLength(1);
  });

  it('futures: a dropped connection after processing, and a market order that filled', async () => {
    const { client, journal, creds } = await fx.client(mode);
    await fx.failNext({ path: PLACE, mode: 'after', drop: true });
    const r = ok<Ack>(await client.futures_place_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.01', client_oid: `drop-${mode}` }));
    expect(r).toMatchObject({ clientOid: `drop-${mode}`, orderId: expect.stringMatching(/^\d+$/) });
    expect(bodies(await fx.requests(PLACE, creds.apiKey))).toHaveLength(1);
    expect(journal.outcomes.at(-1)?.[0]).toMatchObject({ status: 'accepted', orderId: r['orderId'] });
    expect(ok<Row[]>(await client.futures_position('BTCUSDT'))[0]?.['total']).toBe('0.01');
  });

  it('futures: 502 before processing → not found, BitgetNetworkError, outcome "failed", nothing placed', async () => {
    const { client, journal, creds } = await fx.client(mode);
    await fx.failNext({ path: PLACE, status: 502 });
    const e = await rejection(client.futures_place_order('BTCUSDT', 'buy', '0.01'));
    expect(e).toBeInstanceOf(BitgetNetworkError);
    expect((e as BitgetNetworkError).status).toBe(502);
    expect(bodies(await fx.requests(PLACE, creds.apiKey))).toHaveLength(1);
    expect(journal.outcomes.at(-1)?.[0]).toMatchObject({ status: 'failed', errorCode: 'HTTP_STATUS' });
    expect(ok(await client.futures_position('BTCUSDT'))).toEqual([]);
  });

  it('batch: every item looked up after a 502', async () => {
    const { client, journal, creds } = await fx.client(mode);
    await fx.failNext({ path: '/api/v2/mix/order/batch-place-order', mode: 'after', status: 502 });
    const r = ok<{ successList: Row[]; failureList: Row[] }>(await client.futures_batch_place_orders('BTCUSDT', [
      { side: 'buy', size: '0.01', order_type: 'limit', price: '50000' },
      { side: 'buy', size: '0.01', order_type: 'limit', price: '49000' },
    ]));
    expect(r.successList).toHaveLength(2);
    expect(r.failureList).toEqual([]);
    expect((await fx.requests('/api/v2/mix/order/batch-place-order', creds.apiKey))).toHaveLength(1);
    expect(journal.outcomes.at(-1)?.map((o) => o.status)).toEqual(['accepted', 'accepted']);
  });

  it('plan order: found in orders-plan-pending after a 502', async () => {
    const { client, journal, creds } = await fx.client(mode);
    await fx.failNext({ path: '/api/v2/mix/order/place-plan-order', mode: 'after', status: 502 });
    const r = ok<Ack>(await client.futures_place_plan_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.01', trigger_price: '65000' }));
    expect(await fx.requests('/api/v2/mix/order/place-plan-order', creds.apiKey)).toHaveLength(1);
    expect(journal.outcomes.at(-1)?.[0]).toMatchObject({ status: 'accepted', orderId: r['orderId'] });
    const listed = ok<{ entrustedList: Row[] }>(await client.futures_pending_plan_orders()).entrustedList;
    expect(listed.map((p) => p['orderId'])).toEqual([r['orderId']]);
  });

  it('plan order that fired before the lookup: found in orders-plan-history after a 502', async () => {
    const { client, journal, creds } = await fx.client(mode);
    await fx.failNext({ path: '/api/v2/mix/order/place-plan-order', mode: 'after', status: 502 });
    // Triggered at the current mark price: it fires as soon as the market is next evaluated.
    const r = ok<Ack>(await client.futures_place_plan_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.01', trigger_price: PRICES.BTCUSDT }));
    expect(await fx.requests('/api/v2/mix/order/place-plan-order', creds.apiKey)).toHaveLength(1);
    expect(await fx.requests('/api/v2/mix/order/orders-plan-history', creds.apiKey)).toHaveLength(1);
    expect(journal.outcomes.at(-1)?.[0]).toMatchObject({ status: 'accepted', orderId: r['orderId'] });
    const [fired] = ok<{ entrustedList: Row[] }>(await client.futures_plan_orders_history({ order_id: r['orderId'] })).entrustedList;
    expect(fired).toMatchObject({ clientOid: r['clientOid'], planStatus: 'executed' });
  });

  it('spot: limit (orderInfo) and filled market order (orderInfo/history) after a 502', async () => {
    const { client, journal, creds } = await fx.client(mode);
    await fx.failNext({ path: SPOT_PLACE, mode: 'after', status: 502, times: 2 });
    const lim = ok<Ack>(await client.spot_place_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.001', order_type: 'limit', price: '50000' }));
    const mkt = ok<Ack>(await client.spot_place_order('BTCUSDT', 'buy', '20'));
    const sent = bodies(await fx.requests(SPOT_PLACE, creds.apiKey));
    expect(sent.map((b) => b['clientOid'])).toEqual([lim['clientOid'], mkt['clientOid']]);
    expect(journal.outcomes.slice(-2).map((o) => o[0]?.status)).toEqual(['accepted', 'accepted']);
    // a filled order is not found by clientOid on orderInfo: the client found it in history-orders
    expect((await apiError(client.spot_order_detail({ client_oid: mkt['clientOid'] }))).code).toBe('43001');
    const history = await fx.requests('/api/v2/spot/trade/history-orders', creds.apiKey);
    expect(history).toHaveLength(1);
    expect(new URLSearchParams(history[0]?.query).get('symbol')).toBe('BTCUSDT');
    const [detail] = ok<Row[]>(await client.spot_order_detail({ order_id: mkt['orderId'] }));
    expect(detail).toMatchObject({ clientOid: mkt['clientOid'], status: 'filled' });
    expect(ok<Row[]>(await client.spot_open_orders()).map((o) => o['orderId'])).toEqual([lim['orderId']]);
  });
});

describe('GET retries and 429', () => {
  it('a 500 on tickers is retried once and succeeds (2 requests recorded)', async () => {
    const { client } = await fx.client('live');
    await fx.admin('DELETE', '/sim/requests');
    await fx.failNext({ path: '/api/v2/mix/market/tickers', status: 500, times: 1 });
    const rows = ok<Row[]>(await client.call('futures_tickers', []));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const reqs = await fx.requests('/api/v2/mix/market/tickers');
    expect(reqs.map((r) => r.status)).toEqual([500, 200]);
  });

  it('POSTs are not retried after a 500', async () => {
    const { client, creds, journal } = await fx.client('live');
    await fx.failNext({ path: '/api/v2/mix/account/set-leverage', status: 500 });
    expect(await rejection(client.futures_set_leverage('BTCUSDT', 3))).toBeInstanceOf(BitgetNetworkError);
    expect(await fx.requests('/api/v2/mix/account/set-leverage', creds.apiKey)).toHaveLength(1);
    await fx.failNext({ path: '/api/v2/mix/order/cancel-order', status: 500 });
    await rejection(client.futures_cancel_order('BTCUSDT', '1'));
    expect(journal.changes.at(-1)).toMatchObject({ action: 'cancel', ok: false, errorCode: 'HTTP_STATUS' });
    expect(await fx.requests('/api/v2/mix/order/cancel-order', creds.apiKey)).toHaveLength(1);
  });

  it.each(MODES)('HTTP 429 → BitgetRateLimitError "429", not retried (%s key)', async (mode) => {
    const { client, creds, journal } = await fx.client(mode);
    await fx.failNext({ path: '/api/v2/mix/account/accounts', status: 429 });
    const e = await rejection(client.futures_accounts());
    expect(e).toBeInstanceOf(BitgetRateLimitError);
    expect((e as BitgetRateLimitError).code).toBe('429');
    expect((e as BitgetRateLimitError).status).toBe(429);
    expect(await fx.requests('/api/v2/mix/account/accounts', creds.apiKey)).toHaveLength(1);
    await fx.failNext({ path: PLACE, status: 429 });
    expect(await rejection(client.futures_place_order('BTCUSDT', 'buy', '0.01'))).toBeInstanceOf(BitgetRateLimitError);
    expect(journal.outcomes.at(-1)?.[0]).toMatchObject({ status: 'rejected', errorCode: '429' });
    expect(await fx.requests(PLACE, creds.apiKey)).toHaveLength(1);
  });
});

describe('order hooks', () => {
  it('beforeSend runs before the request reaches the simulator; afterSend after; onChange on changes', async () => {
    const seen: { intents: OrderIntent[]; recordedBefore: number }[] = [];
    const outcomes: unknown[] = [];
    const changes: unknown[] = [];
    const { client, creds } = await fx.client('demo', {
      hooks: {
        beforeSend: async (intents) => {
          const recorded = bodies(await fx.requests(PLACE, creds.apiKey)).filter((b) => b['clientOid'] === intents[0]?.clientOid);
          seen.push({ intents, recordedBefore: recorded.length });
        },
        afterSend: async (o) => void outcomes.push(o),
        onChange: async (c) => void changes.push(c),
      },
    });
    const r = ok<Ack>(await client.futures_place_order({ symbol: 'BTCUSDT', side: 'sell', size: '0.01', order_type: 'limit', price: '70000' }));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.recordedBefore).toBe(0);
    expect(seen[0]?.intents[0]?.clientOid).toMatch(/^tbx[0-9a-f]{32}$/);
    expect(seen[0]?.intents[0]?.clientOid).toBe(r['clientOid']);
    expect(bodies(await fx.requests(PLACE, creds.apiKey)).map((b) => b['clientOid'])).toEqual([r['clientOid']]);
    expect(outcomes).toEqual([[expect.objectContaining({ clientOid: r['clientOid'], status: 'accepted', orderId: r['orderId'] })]]);

    const m = ok<Ack>(await client.futures_modify_order({ symbol: 'BTCUSDT', order_id: r['orderId'], new_size: '0.02', new_price: '71000' }));
    await client.futures_cancel_order({ symbol: 'BTCUSDT', client_oid: m['clientOid'] });
    await client.futures_cancel_all_orders();
    expect(changes).toEqual([
      expect.objectContaining({ action: 'modify', orderId: r['orderId'], newClientOid: m['clientOid'], ok: true }),
      expect.objectContaining({ action: 'cancel', clientOid: m['clientOid'], ok: true }),
      expect.objectContaining({ action: 'cancel_all', ok: true }),
    ]);
  });
});

describe('rate limits against a rate-limited simulator', () => {
  const limited = useSimulator({ rateLimits: true, seed: 3 });
  const noLimiter: RateLimiterRegistry = { acquire: async () => {}, reserve: () => 0 };

  it('two clients of one key share one registry: a burst stays within the exchange limit', async () => {
    const creds = await limited.account('live');
    const registry = createRateLimiterRegistry();
    const a = await limited.client('live', { creds, limiter: registry });
    const b = await limited.client('live', { creds, limiter: registry });
    // set-leverage: 5/s per key at both ends; 8 calls → the last 3 wait for tokens
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).client.futures_set_leverage('BTCUSDT', 2 + i)));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect((await limited.requests('/api/v2/mix/account/set-leverage', creds.apiKey)).map((r) => r.status)).toEqual(Array(8).fill(200));
  });

  it('without a shared limiter the same burst is answered 429 → BitgetRateLimitError', async () => {
    const creds = await limited.account('live');
    const a = await limited.client('live', { creds, limiter: noLimiter });
    const b = await limited.client('live', { creds, limiter: noLimiter });
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).client.futures_set_leverage('BTCUSDT', 2 + i)));
    const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(e).toMatchObject({ name: 'BitgetRateLimitError', code: '429' });
  });
});
