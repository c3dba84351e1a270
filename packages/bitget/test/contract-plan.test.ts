import { afterEach, describe, expect, it } from 'vitest';
import { type Ack, bodies, expectStrings, MODES, ok, PRICES, useSimulator } from './support/sim-fixture.ts';

// Contract: trigger (plan) and TP/SL orders with live and demo keys, incl. triggering them by price.

const fx = useSimulator();

type Row = Record<string, unknown>;
interface Page {
  entrustedList: Row[] | null;
  endId: string | null;
}
const PLAN = ['planType', 'symbol', 'size', 'orderId', 'clientOid', 'triggerPrice', 'triggerType', 'planStatus', 'side',
  'marginCoin', 'marginMode', 'orderType', 'cTime', 'uTime'];

afterEach(async () => {
  await fx.pin('BTCUSDT', PRICES.BTCUSDT);
  await fx.pin('ETHUSDT', PRICES.ETHUSDT);
});

describe.each(MODES)('plan and TP/SL orders with a %s key', (mode) => {
  it('futures_place_plan_order: listed, cancelled by order_id, gone; onChange cancel_plan', async () => {
    const { client, journal, creds } = await fx.client(mode);
    const r = ok<Ack>(await client.call('futures_place_plan_order', [
      { symbol: 'BTCUSDT', side: 'buy', size: '0.01', trigger_price: '65000', client_oid: `p1-${mode}` },
    ]));
    expectStrings(r, ['orderId', 'clientOid']);
    expect(r['clientOid']).toBe(`p1-${mode}`);
    expect(journal.intents.at(-1)).toEqual([expect.objectContaining({ action: 'plan', clientOid: `p1-${mode}`, side: 'buy', orderType: 'market' })]);
    expect(journal.outcomes.at(-1)).toEqual([expect.objectContaining({ status: 'accepted', orderId: r['orderId'] })]);
    const sent = bodies(await fx.requests('/api/v2/mix/order/place-plan-order', creds.apiKey)).at(-1);
    expect(sent).toMatchObject({ planType: 'normal_plan', triggerType: 'mark_price', orderType: 'market', triggerPrice: '65000', marginMode: 'isolated' });

    const list = ok<Page>(await client.futures_pending_plan_orders());
    expect(list.entrustedList).toHaveLength(1);
    expectStrings(list.entrustedList?.[0], PLAN);
    expect(list.entrustedList?.[0]).toMatchObject({ orderId: r['orderId'], planType: 'normal_plan', triggerPrice: '65000', planStatus: 'live' });

    const c = ok<{ successList: Row[]; failureList: Row[] }>(await client.futures_cancel_plan_order({ symbol: 'BTCUSDT', order_id: r['orderId'] }));
    expect(c.successList).toEqual([expect.objectContaining({ orderId: r['orderId'] })]);
    expect(c.failureList).toEqual([]);
    expect(journal.changes.at(-1)).toMatchObject({ action: 'cancel_plan', orderId: r['orderId'], ok: true });
    expect(ok(await client.call('futures_pending_plan_orders', []))).toEqual({ entrustedList: null, endId: null });
  });

  it('a normal_plan fires when the price crosses its trigger (positional place)', async () => {
    const { client } = await fx.client(mode);
    // symbol, side, size, trigger_price, order_type, price
    await client.futures_place_plan_order('ETHUSDT', 'buy', '0.1', '3100', 'limit', '3105');
    expect(ok(await client.futures_position('ETHUSDT'))).toEqual([]);
    await fx.pin('ETHUSDT', '3100');
    expect(ok(await client.futures_pending_plan_orders({ symbol: 'ETHUSDT' }))).toEqual({ entrustedList: null, endId: null });
    expect(ok<Row[]>(await client.futures_position('ETHUSDT'))[0]).toMatchObject({ holdSide: 'long', total: '0.1' });
  });

  it('futures_plan_orders_history: an executed plan names the order it placed; cancelled ones are listed too', async () => {
    const { client } = await fx.client(mode);
    const placed = ok<Ack>(await client.futures_place_plan_order({ symbol: 'ETHUSDT', side: 'buy', size: '0.1', trigger_price: '3100', client_oid: `h1-${mode}` }));
    const dropped = ok<Ack>(await client.futures_place_plan_order({ symbol: 'ETHUSDT', side: 'buy', size: '0.1', trigger_price: '3900' }));
    await client.futures_cancel_plan_order({ symbol: 'ETHUSDT', order_id: dropped['orderId'] });
    await fx.pin('ETHUSDT', '3100');
    const executed = ok<Page>(await client.futures_plan_orders_history({ symbol: 'ETHUSDT', plan_status: 'executed' })).entrustedList ?? [];
    expect(executed).toHaveLength(1);
    expectStrings(executed[0], [...PLAN, 'executeOrderId', 'priceAvg', 'baseVolume']);
    expect(executed[0]).toMatchObject({ orderId: placed['orderId'], clientOid: `h1-${mode}`, planStatus: 'executed', baseVolume: '0.1' });
    const order = ok<Row>(await client.futures_order_detail({ symbol: 'ETHUSDT', order_id: String(executed[0]!['executeOrderId']) }));
    expect(order).toMatchObject({ state: 'filled', baseVolume: '0.1' });
    // Positional: product_type, symbol, plan_type, order_id.
    const byId = ok<Page>(await client.futures_plan_orders_history('USDT-FUTURES', 'ETHUSDT', 'normal_plan', dropped['orderId']));
    expect(byId.entrustedList).toEqual([expect.objectContaining({ orderId: dropped['orderId'], planStatus: 'cancelled', executeOrderId: '' })]);
    await expect(client.call('futures_plan_orders_history', [{ plan_status: 'live' }])).rejects.toThrow(/futures_plan_orders_history: plan_status/);
  });

  it('track_plan: listed under its plan type, cancelled by client_oid', async () => {
    const { client, journal } = await fx.client(mode);
    await client.futures_place_plan_order({
      symbol: 'BTCUSDT', side: 'sell', size: '0.01', trigger_price: '55000', plan_type: 'track_plan', callback_ratio: '1.5', client_oid: `t1-${mode}`,
    });
    expect(ok(await client.futures_pending_plan_orders({ plan_type: 'normal_plan' }))).toEqual({ entrustedList: null, endId: null });
    const list = ok<Page>(await client.futures_pending_plan_orders('USDT-FUTURES', 'BTCUSDT', 'track_plan'));
    expect(list.entrustedList?.[0]).toMatchObject({ clientOid: `t1-${mode}`, planType: 'track_plan', callbackRatio: '1.5' });
    const c = ok<{ successList: Row[] }>(await client.call('futures_cancel_plan_order', [
      { symbol: 'BTCUSDT', client_oid: `t1-${mode}`, plan_type: 'track_plan' },
    ]));
    expect(c.successList).toEqual([expect.objectContaining({ clientOid: `t1-${mode}` })]);
    expect(journal.changes.at(-1)).toMatchObject({ action: 'cancel_plan', clientOid: `t1-${mode}`, ok: true });
  });

  it('cancelling an unknown plan order reports failureList 43025 and onChange ok=false', async () => {
    const { client, journal } = await fx.client(mode);
    const c = ok<{ successList: Row[]; failureList: Row[] }>(await client.futures_cancel_plan_order('BTCUSDT', '1234567890'));
    expect(c.successList).toEqual([]);
    expect(c.failureList).toEqual([expect.objectContaining({ orderId: '1234567890', errorCode: '43025' })]);
    expect(journal.changes.at(-1)).toMatchObject({ action: 'cancel_plan', ok: false, errorCode: '43025' });
  });

  it('futures_place_tpsl_order: pos_loss and profit_plan on a position, listed as profit_loss, TP fires', async () => {
    const { client, journal } = await fx.client(mode);
    await client.futures_place_order('BTCUSDT', 'buy', '0.02');
    const sl = ok<Ack>(await client.call('futures_place_tpsl_order', [
      { symbol: 'BTCUSDT', plan_type: 'pos_loss', trigger_price: '55000', hold_side: 'buy' },
    ]));
    expect(journal.intents.at(-1)).toEqual([expect.objectContaining({ action: 'tpsl', clientOid: sl['clientOid'], orderType: 'market' })]);
    // positional: symbol, plan_type, trigger_price, hold_side, size, execute_price
    const tp = ok<Ack>(await client.futures_place_tpsl_order('BTCUSDT', 'profit_plan', '62000', 'buy', '0.01', '62000'));
    expect(journal.intents.at(-1)?.[0]).toMatchObject({ orderType: 'limit', price: '62000', size: '0.01' });
    expect(journal.outcomes.at(-1)).toEqual([expect.objectContaining({ status: 'accepted', orderId: tp['orderId'] })]);

    const list = ok<Page>(await client.futures_pending_plan_orders({ plan_type: 'profit_loss' }));
    const byType = new Map((list.entrustedList ?? []).map((p) => [p['planType'], p]));
    expect([...byType.keys()].sort()).toEqual(['pos_loss', 'profit_plan']);
    expectStrings(byType.get('profit_plan'), PLAN);
    expect(byType.get('pos_loss')).toMatchObject({ orderId: sl['orderId'], triggerPrice: '55000' });

    await fx.pin('BTCUSDT', '62000');
    const pos = ok<Row[]>(await client.futures_position('BTCUSDT'));
    expect(pos[0]).toMatchObject({ holdSide: 'long', total: '0.01' });
    const left = ok<Page>(await client.futures_pending_plan_orders({ plan_type: 'profit_loss' }));
    expect(left.entrustedList?.map((p) => p['planType'])).toEqual(['pos_loss']);

    const c = ok<{ successList: Row[] }>(await client.futures_cancel_plan_order({
      symbol: 'BTCUSDT', client_oid: sl['clientOid'], plan_type: 'pos_loss',
    }));
    expect(c.successList).toHaveLength(1);
    expect(ok(await client.futures_pending_plan_orders({ plan_type: 'profit_loss' }))).toEqual({ entrustedList: null, endId: null });
  });
});
