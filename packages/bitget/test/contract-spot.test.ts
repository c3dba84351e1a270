import { describe, expect, it } from 'vitest';
import { apiError, type Ack, DECIMAL, expectStrings, MODES, ok, useSimulator } from './support/sim-fixture.ts';

// Contract: spot account and trading with live and demo keys. BTCUSDT is pinned at 60000
// (ask 60000.01); fees 0.1 %, buy fees are taken from the base coin received.

const fx = useSimulator();

type Row = Record<string, unknown>;
const ASSET = ['coin', 'available', 'frozen', 'locked', 'limitAvailable', 'uTime'];
const ORDER = ['symbol', 'orderId', 'clientOid', 'size', 'orderType', 'side', 'status', 'priceAvg', 'baseVolume', 'quoteVolume', 'cTime', 'uTime'];
const balances = { spot: { USDT: '1000', BTC: '0.5' } };

const assetsOf = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r['coin'], r]));

describe.each(MODES)('spot with a %s key', (mode) => {
  it('spot_assets: every coin, or one coin', async () => {
    const { client } = await fx.client(mode, { balances });
    const all = ok<Row[]>(await client.call('spot_assets', []));
    for (const a of all) expectStrings(a, ASSET);
    expect(assetsOf(all)).toMatchObject({ USDT: { available: '1000', frozen: '0', locked: '0' }, BTC: { available: '0.5' } });
    expect(ok(await client.spot_assets('usdt'))).toEqual([expect.objectContaining({ coin: 'USDT', available: '1000' })]);
    expect(ok<Row[]>(await client.spot_assets({ coin: 'BTC', asset_type: 'all' }))).toHaveLength(1);
  });

  it('spot_place_order: a market buy is sized in quote and moves both balances', async () => {
    const { client, journal } = await fx.client(mode, { balances });
    const r = ok<Ack>(await client.call('spot_place_order', ['BTCUSDT', 'buy', '100']));
    expectStrings(r, ['orderId', 'clientOid']);
    expect(journal.intents.at(-1)).toEqual([expect.objectContaining({
      action: 'place', market: 'spot', symbol: 'BTCUSDT', side: 'buy', orderType: 'market', size: '100', clientOid: r['clientOid'],
    })]);
    expect(journal.outcomes.at(-1)).toEqual([expect.objectContaining({ status: 'accepted', orderId: r['orderId'] })]);
    // base = floor(100 / 60000.01, 6) = 0.001666; spent 0.001666 × 60000.01 = 99.96001666; fee 0.000001666 BTC
    const after = assetsOf(ok<Row[]>(await client.spot_assets()));
    expect(after['USDT']?.['available']).toBe('900.03998334');
    expect(after['BTC']?.['available']).toBe('0.50166433');
    const [detail] = ok<Row[]>(await client.spot_order_detail({ order_id: r['orderId'] }));
    expect(detail).toMatchObject({ status: 'filled', orderType: 'market', side: 'buy' });
    expect(Number(detail?.['baseVolume'])).toBe(0.001666);
    expect(detail?.['priceAvg']).toMatch(/^60000\.01\d*$/);

    // named form, market sell sized in base
    await client.spot_place_order({ symbol: 'BTCUSDT', side: 'sell', size: '0.1', client_oid: `sell-${mode}` });
    const sold = assetsOf(ok<Row[]>(await client.spot_assets()));
    expect(sold['BTC']?.['available']).toBe('0.40166433');
    expect(Number(sold['USDT']?.['available'])).toBeGreaterThan(900 + 5990);
  });

  it('limit order: open → detail → cancel → gone, funds frozen then released', async () => {
    const { client, journal } = await fx.client(mode, { balances });
    const r = ok<Ack>(await client.spot_place_order({
      symbol: 'BTCUSDT', side: 'buy', size: '0.001', order_type: 'limit', price: '50000', client_oid: `sl-${mode}`,
    }));
    expect(r['clientOid']).toBe(`sl-${mode}`);
    const usdt = assetsOf(ok<Row[]>(await client.spot_assets()))['USDT'];
    expect(usdt).toMatchObject({ available: '950', frozen: '50' });

    const open = ok<Row[]>(await client.call('spot_open_orders', ['BTCUSDT']));
    expect(open).toHaveLength(1);
    expectStrings(open[0], ORDER);
    expect(open[0]).toMatchObject({ orderId: r['orderId'], status: 'live', priceAvg: '50000', size: '0.001' });

    const [detail] = ok<Row[]>(await client.call('spot_order_detail', [undefined, `sl-${mode}`]));
    expectStrings(detail, [...ORDER, 'price', 'feeDetail']);
    expect(Number(detail?.['price'])).toBe(50000);
    expect(detail?.['price']).toMatch(DECIMAL);
    expect(() => JSON.parse(detail?.['feeDetail'] as string) as unknown).not.toThrow();

    const c = ok<Ack>(await client.spot_cancel_order('BTCUSDT', r['orderId'] as string));
    expect(c).toMatchObject({ orderId: r['orderId'], clientOid: `sl-${mode}` });
    expect(journal.changes.at(-1)).toMatchObject({ action: 'cancel', method: 'spot_cancel_order', orderId: r['orderId'], ok: true });
    expect(ok(await client.spot_open_orders({ symbol: 'BTCUSDT' }))).toEqual([]);
    expect(assetsOf(ok<Row[]>(await client.spot_assets()))['USDT']).toMatchObject({ available: '1000', frozen: '0' });
    const [cancelled] = ok<Row[]>(await client.spot_order_detail({ client_oid: `sl-${mode}` }));
    expect(cancelled?.['status']).toBe('cancelled');
  });

  it('spot_cancel_order by client_oid; onChange reports failures', async () => {
    const { client, journal } = await fx.client(mode, { balances });
    await client.spot_place_order({ symbol: 'ETHUSDT', side: 'buy', size: '0.1', order_type: 'limit', price: '2000', client_oid: `e-${mode}` });
    ok(await client.call('spot_cancel_order', [{ symbol: 'ETHUSDT', client_oid: `e-${mode}` }]));
    expect(journal.changes.at(-1)).toMatchObject({ clientOid: `e-${mode}`, ok: true });
    const e = await apiError(client.spot_cancel_order({ symbol: 'ETHUSDT', client_oid: `e-${mode}` }));
    expect(e.code).toBe('43001');
    expect(journal.changes.at(-1)).toMatchObject({ clientOid: `e-${mode}`, ok: false, errorCode: '43001' });
  });

  it('spot_orders_history and spot_fills after trades', async () => {
    const { client } = await fx.client(mode, { balances });
    expect(ok(await client.spot_orders_history())).toEqual([]);
    expect(ok(await client.spot_fills())).toEqual([]);
    const buy = ok<Ack>(await client.spot_place_order('BTCUSDT', 'buy', '60'));
    const lim = ok<Ack>(await client.spot_place_order({ symbol: 'BTCUSDT', side: 'sell', size: '0.01', order_type: 'limit', price: '70000' }));
    await client.spot_cancel_order({ symbol: 'BTCUSDT', order_id: lim['orderId'] });

    const hist = ok<Row[]>(await client.call('spot_orders_history', ['BTCUSDT']));
    expect(hist).toHaveLength(2);
    for (const o of hist) expectStrings(o, ORDER);
    const status = Object.fromEntries(hist.map((o) => [o['orderId'], o['status']]));
    expect(status).toEqual({ [buy['orderId'] as string]: 'filled', [lim['orderId'] as string]: 'cancelled' });
    expect(ok<Row[]>(await client.spot_orders_history({ symbol: 'BTCUSDT', limit: 1 }))).toHaveLength(1);

    const fills = ok<Row[]>(await client.call('spot_fills', [{ symbol: 'BTCUSDT', order_id: buy['orderId'] }]));
    expect(fills).toHaveLength(1);
    expectStrings(fills[0], ['symbol', 'orderId', 'tradeId', 'side', 'priceAvg', 'size', 'amount', 'cTime']);
    expect(fills[0]).toMatchObject({ orderId: buy['orderId'], side: 'buy', priceAvg: '60000.01' });
    expect(typeof fills[0]?.['feeDetail']).toBe('object');
    expect(ok<Row[]>(await client.spot_fills('BTCUSDT'))).toHaveLength(1);
  });

  it('insufficient balance is BitgetAPIError 43012 and afterSend "rejected"', async () => {
    const { client, journal } = await fx.client(mode, { balances });
    const e = await apiError(client.spot_place_order('BTCUSDT', 'buy', '5000'));
    expect(e.code).toBe('43012');
    expect(journal.outcomes.at(-1)).toEqual([expect.objectContaining({ status: 'rejected', errorCode: '43012' })]);
  });
});
