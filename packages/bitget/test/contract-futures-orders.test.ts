import { describe, expect, it } from 'vitest';
import { apiError, type Ack, bodies, DECIMAL, expectStrings, MODES, ok, useSimulator } from './support/sim-fixture.ts';

// Contract: futures orders (place, batch, cancel, modify, cancel all, reads) with live and demo keys.

const fx = useSimulator();

type Row = Record<string, unknown>;
interface Page {
  entrustedList: Row[] | null;
  endId: string | null;
}
const ORDER = ['symbol', 'size', 'orderId', 'clientOid', 'baseVolume', 'price', 'priceAvg', 'side', 'tradeSide', 'orderType',
  'force', 'marginMode', 'reduceOnly', 'cTime', 'uTime'];
const HOST_OID = /^tbx[0-9a-f]{32}$/;

describe.each(MODES)('futures orders with a %s key', (mode) => {
  it('futures_place_order (limit): in pending and detail, then cancelled and gone', async () => {
    const { client, journal } = await fx.client(mode);
    const placed = ok<Ack>(await client.call('futures_place_order', [
      { symbol: 'BTCUSDT', side: 'buy', size: '0.01', order_type: 'limit', price: '50000', client_oid: `lim-${mode}` },
    ]));
    expectStrings(placed, ['orderId', 'clientOid']);
    expect(placed['clientOid']).toBe(`lim-${mode}`);
    const orderId = placed['orderId'] as string;

    const pending = ok<Page>(await client.futures_pending_orders(undefined, 'BTCUSDT'));
    expect(pending.entrustedList).toHaveLength(1);
    expectStrings(pending.entrustedList?.[0], [...ORDER, 'status']);
    expect(pending.entrustedList?.[0]).toMatchObject({ orderId, price: '50000', size: '0.01', status: 'live', orderType: 'limit' });
    expect(pending.endId).toBe(orderId);

    const byOid = ok<Row>(await client.futures_order_detail({ symbol: 'BTCUSDT', client_oid: `lim-${mode}` }));
    expectStrings(byOid, [...ORDER, 'state']);
    expect(byOid).toMatchObject({ orderId, state: 'live' });
    const byId = ok<Row>(await client.call('futures_order_detail', ['BTCUSDT', orderId]));
    expect(byId['clientOid']).toBe(`lim-${mode}`);

    const cancelled = ok<Ack>(await client.futures_cancel_order('BTCUSDT', orderId));
    expect(cancelled).toMatchObject({ orderId, clientOid: `lim-${mode}` });
    // an empty page is null, passed through unchanged
    expect(ok(await client.futures_pending_orders({ symbol: 'BTCUSDT' }))).toEqual({ entrustedList: null, endId: null });
    expect(ok<Row>(await client.futures_order_detail('BTCUSDT', orderId))['state']).toBe('canceled');
    expect(journal.changes.at(-1)).toMatchObject({ action: 'cancel', method: 'futures_cancel_order', symbol: 'BTCUSDT', orderId, ok: true });
    expect(journal.outcomes.at(-1)).toEqual([expect.objectContaining({ clientOid: `lim-${mode}`, status: 'accepted', orderId })]);
  });

  it('futures_place_order (market, positional): host clientOid, fills, position and fill rows', async () => {
    const { client, journal } = await fx.client(mode);
    const placed = ok<Ack>(await client.futures_place_order('ETHUSDT', 'buy', '0.5'));
    expect(placed['clientOid']).toMatch(HOST_OID);
    expect(journal.intents.at(-1)).toEqual([expect.objectContaining({
      clientOid: placed['clientOid'], action: 'place', market: 'futures', symbol: 'ETHUSDT', side: 'buy', size: '0.5', orderType: 'market',
      marginCoin: 'USDT', marginMode: 'isolated', productType: 'USDT-FUTURES',
    })]);
    const detail = ok<Row>(await client.futures_order_detail({ symbol: 'ETHUSDT', order_id: placed['orderId'] }));
    expect(detail).toMatchObject({ state: 'filled', baseVolume: '0.5', priceAvg: '3000.01' });
    const fills = ok<{ fillList: Row[] | null; endId: string | null }>(await client.call('futures_fills', [undefined, 'ETHUSDT', placed['orderId']]));
    expect(fills.fillList).toHaveLength(1);
    expectStrings(fills.fillList?.[0], ['tradeId', 'symbol', 'orderId', 'price', 'baseVolume', 'side', 'quoteVolume', 'profit', 'tradeSide', 'cTime']);
    expect(fills.fillList?.[0]).toMatchObject({ orderId: placed['orderId'], price: '3000.01', baseVolume: '0.5', side: 'buy' });
    expect(Array.isArray(fills.fillList?.[0]?.['feeDetail'])).toBe(true);
    expect(ok(await client.futures_fills({ symbol: 'SOLUSDT' }))).toEqual({ fillList: null, endId: null });
    expect(ok<Row[]>(await client.futures_position('ETHUSDT'))[0]).toMatchObject({ total: '0.5', holdSide: 'long' });
  });

  it('futures_batch_place_orders: one intent per item, outcomes from successList/failureList', async () => {
    const { client, journal, creds } = await fx.client(mode);
    const r = ok<{ successList: Row[]; failureList: Row[] }>(await client.call('futures_batch_place_orders', ['BTCUSDT', [
      { side: 'buy', size: '0.01', order_type: 'limit', price: '50000', client_oid: `b1-${mode}` },
      { side: 'buy', size: '0.01', order_type: 'limit', price: '50000.05' }, // price scale error → failureList
      { side: 'sell', size: '0.02', order_type: 'limit', price: '70000' },
    ]]));
    expect(r.successList).toHaveLength(2);
    expect(r.failureList).toHaveLength(1);
    const intents = journal.intents.at(-1) ?? [];
    expect(intents.map((i) => i.action)).toEqual(['batch_place', 'batch_place', 'batch_place']);
    expect(intents[0]?.clientOid).toBe(`b1-${mode}`);
    expect(intents[1]?.clientOid).toMatch(HOST_OID);
    expect(r.failureList[0]).toMatchObject({ clientOid: intents[1]?.clientOid, errorCode: '41103' });
    expect((journal.outcomes.at(-1) ?? []).map((o) => o.status)).toEqual(['accepted', 'rejected', 'accepted']);
    // the wire body carries a clientOid on every item
    const sent = bodies(await fx.requests('/api/v2/mix/order/batch-place-order', creds.apiKey))[0];
    expect((sent?.['orderList'] as Row[]).map((i) => i['clientOid'])).toEqual(intents.map((i) => i.clientOid));

    const named = ok<{ successList: Row[] }>(await client.futures_batch_place_orders({
      symbol: 'ETHUSDT', order_list: [{ side: 'buy', size: '0.1', order_type: 'limit', price: '2000' }], margin_mode: 'isolated',
    }));
    expect(named.successList).toHaveLength(1);
    const open = ok<Page>(await client.futures_pending_orders());
    expect(open.entrustedList?.map((o) => o['price']).sort()).toEqual(['2000', '50000', '70000']);
  });

  it('futures_modify_order: replaced under a new clientOid; onChange reports it', async () => {
    const { client, journal } = await fx.client(mode);
    const placed = ok<Ack>(await client.futures_place_order({
      symbol: 'BTCUSDT', side: 'buy', size: '0.01', order_type: 'limit', price: '50000', client_oid: `m1-${mode}`,
    }));
    const r = ok<Ack>(await client.call('futures_modify_order', [
      { symbol: 'BTCUSDT', client_oid: `m1-${mode}`, new_size: '0.02', new_price: '51000' },
    ]));
    expect(r['clientOid']).toMatch(HOST_OID);
    expect(r['orderId']).not.toBe(placed['orderId']);
    expect(journal.changes.at(-1)).toMatchObject({
      action: 'modify', method: 'futures_modify_order', clientOid: `m1-${mode}`, newClientOid: r['clientOid'], ok: true,
    });
    const open = ok<Page>(await client.futures_pending_orders()).entrustedList ?? [];
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ orderId: r['orderId'], size: '0.02', price: '51000' });
    // positional: symbol, order_id, client_oid, new_size, new_price, new_client_oid
    const again = ok<Ack>(await client.futures_modify_order('BTCUSDT', r['orderId'] as string, undefined, '0.03', '52000', `m2-${mode}`));
    expect(again['clientOid']).toBe(`m2-${mode}`);
    expect(ok<Row>(await client.futures_order_detail({ symbol: 'BTCUSDT', client_oid: `m2-${mode}` }))).toMatchObject({ size: '0.03', price: '52000' });
  });

  it('futures_cancel_all_orders: every open order of the symbol; onChange cancel_all', async () => {
    const { client, journal } = await fx.client(mode);
    await client.futures_place_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.01', order_type: 'limit', price: '50000' });
    await client.futures_place_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.01', order_type: 'limit', price: '49000' });
    await client.futures_place_order({ symbol: 'ETHUSDT', side: 'buy', size: '0.1', order_type: 'limit', price: '2000' });
    const r = ok<{ successList: Row[]; failureList: Row[] }>(await client.call('futures_cancel_all_orders', [undefined, 'BTCUSDT']));
    expect(r.successList).toHaveLength(2);
    expect(r.failureList).toEqual([]);
    expect(journal.changes.at(-1)).toMatchObject({ action: 'cancel_all', symbol: 'BTCUSDT', ok: true });
    expect(ok<Page>(await client.call('futures_pending_orders', [])).entrustedList?.map((o) => o['symbol'])).toEqual(['ETHUSDT']);
    const rest = ok<{ successList: Row[] }>(await client.futures_cancel_all_orders({ product_type: 'USDT-FUTURES' }));
    expect(rest.successList).toHaveLength(1);
    expect(ok(await client.futures_pending_orders())).toEqual({ entrustedList: null, endId: null });
  });

  it('futures_orders_history: cancelled and filled orders, limit and cursor', async () => {
    const { client } = await fx.client(mode);
    expect(ok(await client.futures_orders_history())).toEqual({ entrustedList: null, endId: null });
    const a = ok<Ack>(await client.futures_place_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.01', order_type: 'limit', price: '50000' }));
    ok(await client.call('futures_cancel_order', [{ symbol: 'BTCUSDT', order_id: a['orderId'] }]));
    const b = ok<Ack>(await client.futures_place_order('BTCUSDT', 'buy', '0.01'));
    const h = ok<Page>(await client.call('futures_orders_history', [undefined, 'BTCUSDT']));
    expect(h.entrustedList).toHaveLength(2);
    for (const o of h.entrustedList ?? []) expectStrings(o, [...ORDER, 'status']);
    const byId = new Map((h.entrustedList ?? []).map((o) => [o['orderId'], o]));
    expect(byId.get(a['orderId'])?.['status']).toBe('canceled');
    expect(byId.get(b['orderId'])?.['status']).toBe('filled');
    expect(byId.get(b['orderId'])?.['priceAvg']).toMatch(DECIMAL);
    const first = ok<Page>(await client.futures_orders_history({ symbol: 'BTCUSDT', limit: 1 }));
    expect(first.entrustedList).toHaveLength(1);
    const next = ok<Page>(await client.futures_orders_history({ symbol: 'BTCUSDT', limit: 1, id_less_than: first.endId ?? undefined }));
    expect(next.entrustedList).toHaveLength(1);
    expect(next.entrustedList?.[0]?.['orderId']).not.toBe(first.entrustedList?.[0]?.['orderId']);
  });

  it('exchange rejections surface as BitgetAPIError and afterSend "rejected"', async () => {
    const { client, journal } = await fx.client(mode);
    const e = await apiError(client.futures_place_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.0001' }));
    expect(e.code).toMatch(/^(40808|45111)$/);
    expect(journal.outcomes.at(-1)).toEqual([expect.objectContaining({ status: 'rejected', errorCode: e.code })]);
    expect((await apiError(client.futures_cancel_order({ symbol: 'BTCUSDT', order_id: '123' }))).code).toBe('40768');
    expect(journal.changes.at(-1)).toMatchObject({ action: 'cancel', ok: false, errorCode: '40768' });
    expect((await apiError(client.futures_order_detail({ symbol: 'BTCUSDT', order_id: '123' }))).code).toBe('40109');
  });
});
