import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type Creds, type Harness } from './helpers.ts';

// Spot BTCUSDT: tick 0.01 (ask = last + 0.01), quantity precision 6, fee 0.1 % taker and maker,
// buy fees in base, sell fees in quote.
let h: Harness & { clock: { now: number } };
let a: Creds;

beforeEach(async () => {
  h = await startSim();
  a = h.account({ apiKey: 'spot', balances: { spot: { USDT: '10000', BTC: '0.1' } } });
  await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '60000' });
});
afterEach(() => h?.stop());

const assets = async () => Object.fromEntries((await h.get(a, '/api/v2/spot/account/assets')).body.data.map((x: { coin: string }) => [x.coin, x]));
const place = (body: Record<string, unknown>) => h.post(a, '/api/v2/spot/trade/place-order', { symbol: 'BTCUSDT', force: 'gtc', ...body });

describe('spot', () => {
  it('market buy is sized in quote currency', async () => {
    const r = await place({ side: 'buy', orderType: 'market', size: '100', clientOid: 'mb' });
    expect(r.body.code).toBe('00000');
    // 100 / 60000.01 → 0.001666 BTC (6 dp, rounded down); cost 99.96001666; fee 0.000001666 BTC.
    // orderInfo finds a filled order by orderId only, not by clientOid (CONTRACT.md §5.8)
    expect((await h.get(a, '/api/v2/spot/trade/orderInfo', { clientOid: 'mb' })).body).toMatchObject({ code: '43001', data: null });
    const info = (await h.get(a, '/api/v2/spot/trade/orderInfo', { orderId: r.body.data.orderId })).body.data;
    expect(info).toHaveLength(1);
    expect(info[0]).toMatchObject({ status: 'filled', size: '100.0000000000000000', baseVolume: '0.0016660000000000', quoteVolume: '99.9600166600000000', priceAvg: '60000.0100000000000000', orderType: 'market', side: 'buy' });
    expect(JSON.parse(info[0].feeDetail).BTC.totalFee).toBe(-0.000001666);
    const bal = await assets();
    expect(bal.USDT).toMatchObject({ available: '9900.03998334', frozen: '0' });
    expect(bal.BTC).toMatchObject({ available: '0.10166433', frozen: '0' }); // 0.101664334 shown at 8 dp
    const fills = (await h.get(a, '/api/v2/spot/trade/fills', { symbol: 'BTCUSDT' })).body.data;
    expect(fills[0]).toMatchObject({ priceAvg: '60000.01', size: '0.001666', amount: '99.96001666', tradeScope: 'taker', feeDetail: { feeCoin: 'BTC', totalFee: '-0.000001666' } });
  });

  it('limit sell freezes base, rests, and fills as maker when the price crosses', async () => {
    const r = await place({ side: 'sell', orderType: 'limit', price: '61000', size: '0.05', clientOid: 'ls' });
    expect(r.body.code).toBe('00000');
    expect((await assets()).BTC).toMatchObject({ available: '0.05', frozen: '0.05' });
    const open = (await h.get(a, '/api/v2/spot/trade/unfilled-orders', { symbol: 'BTCUSDT' })).body.data;
    expect(open[0]).toMatchObject({ clientOid: 'ls', status: 'live', priceAvg: '61000', basePrice: '0', size: '0.05' });
    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '61000' });
    // 0.05 × 61000 = 3050, fee 3.05 USDT.
    const bal = await assets();
    expect(bal.BTC).toMatchObject({ available: '0.05', frozen: '0' });
    expect(bal.USDT).toMatchObject({ available: '13046.95', frozen: '0' });
    expect((await h.get(a, '/api/v2/spot/trade/unfilled-orders')).body.data).toEqual([]);
    const hist = (await h.get(a, '/api/v2/spot/trade/history-orders', { symbol: 'BTCUSDT' })).body.data;
    expect(hist[0]).toMatchObject({ clientOid: 'ls', status: 'filled', priceAvg: '61000.0000000000000000' });
  });

  it('cancel returns the frozen quote', async () => {
    await place({ side: 'buy', orderType: 'limit', price: '50000', size: '0.01', clientOid: 'lb' });
    expect((await assets()).USDT).toMatchObject({ available: '9500', frozen: '500' });
    const c = await h.post(a, '/api/v2/spot/trade/cancel-order', { symbol: 'BTCUSDT', clientOid: 'lb' });
    expect(c.body.data).toEqual({ orderId: expect.any(String), clientOid: 'lb' });
    expect((await assets()).USDT).toMatchObject({ available: '10000', frozen: '0' });
    expect((await h.post(a, '/api/v2/spot/trade/cancel-order', { symbol: 'BTCUSDT', clientOid: 'lb' })).body.code).toBe('43001');
    const hist = (await h.get(a, '/api/v2/spot/trade/history-orders')).body.data;
    expect(hist[0].status).toBe('cancelled');
  });

  it.each([
    ['insufficient balance', { side: 'buy', orderType: 'market', size: '20000' }, '43012'],
    ['below the 1 USDT minimum', { side: 'buy', orderType: 'market', size: '0.5' }, '45110'],
    ['quantity precision', { side: 'sell', orderType: 'limit', price: '61000', size: '0.0000001' }, '40808'],
    ['price precision', { side: 'sell', orderType: 'limit', price: '61000.001', size: '0.01' }, '41103'],
    ['unknown symbol', { symbol: 'FOOUSDT', side: 'buy', orderType: 'market', size: '10' }, '40034'],
  ])('%s → %s', async (_n, body, code) => {
    const r = await place(body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(code);
  });

  it('keeps accounts isolated from each other', async () => {
    const b = h.account({ apiKey: 'other' });
    await place({ side: 'buy', orderType: 'market', size: '100' });
    const other = (await h.get(b, '/api/v2/spot/account/assets')).body.data;
    expect(other.find((x: { coin: string }) => x.coin === 'USDT').available).toBe('10000');
    expect((await h.get(b, '/api/v2/spot/trade/history-orders')).body.data).toEqual([]);
  });
});
