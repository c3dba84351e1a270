import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type Creds, type Harness } from './helpers.ts';

let h: Harness & { clock: { now: number } };
let a: Creds;
const UM = { productType: 'USDT-FUTURES' };
const BTC = { symbol: 'BTCUSDT', ...UM, marginCoin: 'USDT' };

beforeEach(async () => {
  h = await startSim();
  a = h.account({ apiKey: 'plans', balances: { futures: { USDT: '10000' } } });
  await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '60000' });
});
afterEach(() => h?.stop());

const pending = async (planType: string) => (await h.get(a, '/api/v2/mix/order/orders-plan-pending', { ...UM, planType })).body.data.entrustedList ?? [];
const positions = async () => (await h.get(a, '/api/v2/mix/position/all-position', UM)).body.data;

describe('plan orders', () => {
  it('a trigger order fires when /sim/clock moves time past a scheduled price', async () => {
    const r = await h.post(a, '/api/v2/mix/order/place-plan-order', { ...BTC, planType: 'normal_plan', marginMode: 'crossed', size: '0.01', side: 'buy', orderType: 'market', triggerPrice: '60500', triggerType: 'mark_price', clientOid: 'p1' });
    expect(r.body.data).toEqual({ orderId: expect.any(String), clientOid: 'p1' });
    expect((await pending('normal_plan'))[0]).toMatchObject({ clientOid: 'p1', planStatus: 'live', triggerPrice: '60500', side: 'buy', orderType: 'market' });
    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '61000', inMs: 60_000 });
    await h.admin('POST', '/sim/clock', { advanceMs: 30_000 });
    expect(await pending('normal_plan')).toHaveLength(1);
    expect(await positions()).toEqual([]);
    await h.admin('POST', '/sim/clock', { advanceMs: 30_000 });
    expect(await pending('normal_plan')).toEqual([]);
    const [pos] = await positions();
    expect(pos).toMatchObject({ holdSide: 'long', total: '0.01', openPriceAvg: '61000.1' });
  });

  it('a stop-loss closes the position when the price falls through it', async () => {
    await h.post(a, '/api/v2/mix/order/place-order', { ...BTC, marginMode: 'crossed', side: 'buy', size: '0.02', orderType: 'market' });
    expect((await h.post(a, '/api/v2/mix/order/place-tpsl-order', { ...BTC, planType: 'loss_plan', triggerPrice: '60500', holdSide: 'buy', size: '0.01' })).body.code).toBe('40917');
    const sl = await h.post(a, '/api/v2/mix/order/place-tpsl-order', { ...BTC, planType: 'loss_plan', triggerPrice: '59000', triggerType: 'mark_price', holdSide: 'buy', size: '0.01', clientOid: 'sl' });
    expect(sl.body.code).toBe('00000');
    const tp = await h.post(a, '/api/v2/mix/order/place-tpsl-order', { ...BTC, planType: 'pos_profit', triggerPrice: '65000', holdSide: 'buy' });
    expect(tp.body.code).toBe('00000');
    expect((await pending('profit_loss')).map((p: { planType: string }) => p.planType).sort()).toEqual(['loss_plan', 'pos_profit']);
    expect((await positions())[0].takeProfit).toBe('65000');
    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '58999.9' });
    expect((await positions())[0].total).toBe('0.01');
    // The position TP stays; cancelling it by id reports unknown ids in failureList.
    const cancel = await h.post(a, '/api/v2/mix/order/cancel-plan-order', { ...BTC, orderIdList: [{ orderId: tp.body.data.orderId }, { orderId: '42' }] });
    expect(cancel.body.data.successList).toEqual([{ orderId: tp.body.data.orderId, clientOid: tp.body.data.clientOid }]);
    expect(cancel.body.data.failureList).toEqual([{ orderId: '42', clientOid: '', errorCode: '43025', errorMsg: 'Plan order does not exist' }]);
    expect(await pending('profit_loss')).toEqual([]);
  });

  it('plan history lists executed, failed and cancelled plans, with the order a trigger placed', async () => {
    const history = async (q: Record<string, string>) => (await h.get(a, '/api/v2/mix/order/orders-plan-history', { ...UM, ...q })).body;
    expect((await history({ planType: 'normal_plan' })).data).toEqual({ entrustedList: null, endId: null });
    const fired = await h.post(a, '/api/v2/mix/order/place-plan-order', { ...BTC, planType: 'normal_plan', marginMode: 'crossed', size: '0.01', side: 'buy', orderType: 'market', triggerPrice: '60500', triggerType: 'mark_price', clientOid: 'h1' });
    const dropped = await h.post(a, '/api/v2/mix/order/place-plan-order', { ...BTC, planType: 'normal_plan', marginMode: 'crossed', size: '0.01', side: 'buy', orderType: 'market', triggerPrice: '70000', triggerType: 'mark_price', clientOid: 'h2' });
    await h.post(a, '/api/v2/mix/order/cancel-plan-order', { ...BTC, orderIdList: [{ orderId: dropped.body.data.orderId }] });
    // Still waiting: not in the history.
    const live = await h.post(a, '/api/v2/mix/order/place-plan-order', { ...BTC, planType: 'normal_plan', marginMode: 'crossed', size: '0.01', side: 'buy', orderType: 'market', triggerPrice: '80000', triggerType: 'mark_price' });
    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '60600' });
    const all = (await history({ planType: 'normal_plan' })).data.entrustedList;
    expect(all.map((p: { clientOid: string; planStatus: string }) => [p.clientOid, p.planStatus])).toEqual([['h2', 'cancelled'], ['h1', 'executed']]);
    expect(all.some((p: { orderId: string }) => p.orderId === live.body.data.orderId)).toBe(false);
    const [executed] = (await history({ planType: 'normal_plan', planStatus: 'executed' })).data.entrustedList;
    expect(executed).toMatchObject({ orderId: fired.body.data.orderId, planStatus: 'executed', baseVolume: '0.01', priceAvg: expect.stringMatching(/^606/) });
    const detail = await h.get(a, '/api/v2/mix/order/detail', { ...BTC, orderId: executed.executeOrderId });
    expect(detail.body.data).toMatchObject({ orderId: executed.executeOrderId, state: 'filled', baseVolume: '0.01' });
    expect((await history({ planType: 'normal_plan', clientOid: 'h2' })).data.entrustedList).toHaveLength(1);
    expect((await history({ planType: 'profit_loss' })).data.entrustedList).toBeNull();
    expect((await history({ planType: 'normal_plan', planStatus: 'live' })).code).toBe('40020');
  });

  it('preset TP/SL on an order become plan orders once it fills', async () => {
    await h.post(a, '/api/v2/mix/order/place-order', { ...BTC, marginMode: 'crossed', side: 'buy', size: '0.01', orderType: 'market', presetStopSurplusPrice: '62000', presetStopLossPrice: '58000' });
    expect((await pending('profit_loss')).map((p: { planType: string; triggerPrice: string }) => [p.planType, p.triggerPrice]).sort()).toEqual([['loss_plan', '58000'], ['profit_plan', '62000']]);
    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '62000' });
    expect(await positions()).toEqual([]);
    expect(await pending('profit_loss')).toEqual([]);
  });

  it('a trailing plan fires after the callback from the best price', async () => {
    const r = await h.post(a, '/api/v2/mix/order/place-plan-order', { ...BTC, planType: 'track_plan', marginMode: 'crossed', size: '0.01', side: 'sell', orderType: 'market', triggerPrice: '60100', triggerType: 'mark_price', callbackRatio: '1' });
    expect(r.body.code).toBe('00000');
    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '61000' }); // activates; best 61000
    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '60400' }); // 1 % below 61000 is 60390
    expect(await positions()).toEqual([]);
    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '60390' });
    expect((await positions())[0]).toMatchObject({ holdSide: 'short', total: '0.01', openPriceAvg: '60390' });
  });
});
