import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSim, type Creds, type Harness } from './helpers.ts';

// Every expected number below is worked out by hand from the documented model:
// BTCUSDT tick 0.1, last = bid = pinned price, ask = last + 0.1, taker 0.06 %, maker 0.02 %,
// margin = notional / leverage, keepMarginRate 0.004.
let h: Harness & { clock: { now: number } };
let a: Creds;
const UM = { productType: 'USDT-FUTURES' };
const BTC = { symbol: 'BTCUSDT', ...UM, marginCoin: 'USDT' };

beforeEach(async () => {
  h = await startSim();
  a = h.account({ apiKey: 'acct', balances: { futures: { USDT: '10000' }, spot: { USDT: '10000', BTC: '0.1' } } });
  await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '60000' });
});
afterEach(() => h?.stop());

const wallet = async () => (await h.get(a, '/api/v2/mix/account/accounts', UM)).body.data[0];
const positions = async () => (await h.get(a, '/api/v2/mix/position/all-position', UM)).body.data;
const place = (body: Record<string, unknown>, who: Creds = a) => h.post(who, '/api/v2/mix/order/place-order', { ...BTC, marginMode: 'isolated', orderType: 'market', ...body });

describe('isolated long, 10x', () => {
  it('opens, marks to market, closes with exact P&L, fees and balances', async () => {
    expect((await h.post(a, '/api/v2/mix/account/set-margin-mode', { ...BTC, marginMode: 'isolated' })).body.code).toBe('00000');
    const lev = await h.post(a, '/api/v2/mix/account/set-leverage', { ...BTC, leverage: '10' });
    expect(lev.body.data).toEqual({ symbol: 'BTCUSDT', marginCoin: 'USDT', longLeverage: '10', shortLeverage: '10', crossMarginLeverage: '20', marginMode: 'isolated' });

    const open = await place({ side: 'buy', size: '0.01', clientOid: 'open-1' });
    expect(open.body.data).toMatchObject({ clientOid: 'open-1' });
    // Fill at ask 60000.1: notional 600.001, margin 60.0001, fee 0.3600006.
    let [pos] = await positions();
    expect(pos).toMatchObject({
      symbol: 'BTCUSDT', holdSide: 'long', total: '0.01', available: '0.01', openPriceAvg: '60000.1', marginSize: '60.0001',
      leverage: '10', marginMode: 'isolated', posMode: 'one_way_mode', unrealizedPL: '-0.001', markPrice: '60000',
      liquidationPrice: '54216.95783', // (600.001 − 60.0001) / (0.01 × 0.996)
      totalFee: '0.3600006',
    });
    let w = await wallet();
    expect(w).toMatchObject({ available: '9939.6398994', locked: '0', accountEquity: '9999.6389994', isolatedMargin: '60.0001', unrealizedPL: '-0.001' });
    expect(w.assetList).toEqual([{ coin: 'USDT', balance: '9999.6399994' }]);

    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '61000' });
    [pos] = await positions();
    expect(pos.unrealizedPL).toBe('9.999');
    expect((await wallet()).accountEquity).toBe('10009.6389994');

    // Close at bid 61000: realized 9.999, fee 610 × 0.0006 = 0.366.
    const close = await place({ side: 'sell', size: '0.01', reduceOnly: 'YES', clientOid: 'close-1' });
    expect(close.body.code).toBe('00000');
    expect(await positions()).toEqual([]);
    w = await wallet();
    expect(w).toMatchObject({ available: '10009.2729994', accountEquity: '10009.2729994', isolatedMargin: '0', locked: '0' });
    const detail = await h.get(a, '/api/v2/mix/order/detail', { symbol: 'BTCUSDT', ...UM, clientOid: 'close-1' });
    expect(detail.body.data).toMatchObject({ state: 'filled', priceAvg: '61000', baseVolume: '0.01', quoteVolume: '610', fee: '-0.366', totalProfits: '9.999', reduceOnly: 'YES', side: 'sell', tradeSide: 'sell_single', posSide: 'net', orderType: 'market', price: '' });
    const fills = (await h.get(a, '/api/v2/mix/order/fills', UM)).body.data.fillList;
    expect(fills.map((f: { profit: string; price: string; tradeSide: string }) => [f.price, f.profit, f.tradeSide])).toEqual([['61000', '9.999', 'close'], ['60000.1', '0', 'open']]);
    const history = (await h.get(a, '/api/v2/mix/order/orders-history', UM)).body.data.entrustedList;
    expect(history.map((o: { clientOid: string; status: string }) => [o.clientOid, o.status])).toEqual([['close-1', 'filled'], ['open-1', 'filled']]);
  });

  it('liquidates an isolated position when mark crosses the liquidation price, forfeiting the margin', async () => {
    await h.post(a, '/api/v2/mix/account/set-margin-mode', { ...BTC, marginMode: 'isolated' });
    await h.post(a, '/api/v2/mix/account/set-leverage', { ...BTC, leverage: '10' });
    await place({ side: 'buy', size: '0.01' });
    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '54216.9' });
    expect(await positions()).toEqual([]);
    // Closed at the liquidation price 54216.95783; the isolated margin 60.0001 is lost entirely.
    expect((await wallet()).assetList[0].balance).toBe('9939.6398994');
    const history = (await h.get(a, '/api/v2/mix/order/orders-history', UM)).body.data.entrustedList;
    expect(history[0]).toMatchObject({ tradeSide: 'burst_close_long', status: 'filled' });
  });
});

describe('limit orders', () => {
  it('rests with frozen margin, then fills as maker when the price trades through', async () => {
    const r = await place({ side: 'buy', size: '0.01', orderType: 'limit', price: '59000', marginMode: 'crossed', clientOid: 'lim' });
    expect(r.body.code).toBe('00000');
    // Crossed 20x by default: frozen 590 / 20 = 29.5.
    expect(await wallet()).toMatchObject({ locked: '29.5', available: '9970.5' });
    const pending = (await h.get(a, '/api/v2/mix/order/orders-pending', UM)).body.data.entrustedList;
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ clientOid: 'lim', status: 'live', price: '59000', priceAvg: '', baseVolume: '0', leverage: '20', marginMode: 'crossed' });

    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '59500' });
    expect((await h.get(a, '/api/v2/mix/order/detail', { symbol: 'BTCUSDT', ...UM, clientOid: 'lim' })).body.data.state).toBe('live');

    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '58900' });
    const d = (await h.get(a, '/api/v2/mix/order/detail', { symbol: 'BTCUSDT', ...UM, clientOid: 'lim' })).body.data;
    expect(d).toMatchObject({ state: 'filled', priceAvg: '59000', fee: '-0.118' });
    // balance 10000 − 0.118; crossed margin 29.5; unrealized (58900 − 59000) × 0.01 = −1.
    expect(await wallet()).toMatchObject({ locked: '0', crossedMargin: '29.5', unrealizedPL: '-1', available: '9969.382', accountEquity: '9998.882' });
    expect((await h.get(a, '/api/v2/mix/order/orders-pending', UM)).body.data.entrustedList).toBeNull();
  });

  it('cancels, modifies (new id), cancel-all and batch-places', async () => {
    await place({ side: 'buy', size: '0.01', orderType: 'limit', price: '50000', clientOid: 'm1' });
    const mod = await h.post(a, '/api/v2/mix/order/modify-order', { ...BTC, clientOid: 'm1', newClientOid: 'm2', newSize: '0.02', newPrice: '50500' });
    expect(mod.body.data.clientOid).toBe('m2');
    const old = (await h.get(a, '/api/v2/mix/order/detail', { symbol: 'BTCUSDT', ...UM, clientOid: 'm1' })).body.data;
    expect(old.state).toBe('canceled');
    const batch = await h.post(a, '/api/v2/mix/order/batch-place-order', { ...BTC, marginMode: 'isolated', orderList: [
      { side: 'buy', size: '0.01', orderType: 'limit', price: '49000', clientOid: 'b1' },
      { side: 'buy', size: '0.0001', orderType: 'limit', price: '49000', clientOid: 'b2' },
    ] });
    expect(batch.body.data.successList).toEqual([{ orderId: expect.any(String), clientOid: 'b1' }]);
    expect(batch.body.data.failureList).toEqual([{ orderId: '', clientOid: 'b2', errorCode: '40808', errorMsg: expect.stringContaining('checkScale=3') }]);
    const cancel = await h.post(a, '/api/v2/mix/order/cancel-order', { ...BTC, clientOid: 'b1' });
    expect(cancel.body.data.clientOid).toBe('b1');
    expect((await h.post(a, '/api/v2/mix/order/cancel-order', { ...BTC, clientOid: 'b1' })).body.code).toBe('40768');
    const all = await h.post(a, '/api/v2/mix/order/cancel-all-orders', UM);
    expect(all.body.data.successList.map((x: { clientOid: string }) => x.clientOid)).toEqual(['m2']);
    expect(await wallet()).toMatchObject({ locked: '0', available: '10000' });
  });

  it('applies force: ioc/fok cancel the remainder, post_only never takes', async () => {
    const ioc = await place({ side: 'buy', size: '0.01', orderType: 'limit', price: '59000', force: 'ioc', clientOid: 'ioc' });
    expect(ioc.body.code).toBe('00000');
    const po = await place({ side: 'buy', size: '0.01', orderType: 'limit', price: '60000.1', force: 'post_only', clientOid: 'po' });
    expect(po.body.code).toBe('00000');
    const state = async (id: string) => (await h.get(a, '/api/v2/mix/order/detail', { symbol: 'BTCUSDT', ...UM, clientOid: id })).body.data.state;
    expect(await state('ioc')).toBe('canceled');
    expect(await state('po')).toBe('canceled');
    expect(await positions()).toEqual([]);
  });
});

describe('hedge mode', () => {
  it('uses side for the position and tradeSide for open/close', async () => {
    expect((await h.post(a, '/api/v2/mix/account/set-position-mode', { ...UM, posMode: 'hedge_mode' })).body.data).toEqual({ posMode: 'hedge_mode' });
    expect((await place({ side: 'buy', size: '0.01' })).body.code).toBe('40774');
    expect((await place({ side: 'buy', tradeSide: 'open', size: '0.01' })).body.code).toBe('00000');
    expect((await place({ side: 'sell', tradeSide: 'open', size: '0.02' })).body.code).toBe('00000');
    const ps = await positions();
    expect(ps.map((p: { holdSide: string; total: string; openPriceAvg: string }) => [p.holdSide, p.total, p.openPriceAvg])).toEqual([['long', '0.01', '60000.1'], ['short', '0.02', '60000']]);
    expect((await h.post(a, '/api/v2/mix/account/set-position-mode', { ...UM, posMode: 'one_way_mode' })).body.code).toBe('40920');
    expect((await place({ side: 'buy', tradeSide: 'close', size: '0.02' })).body.code).toBe('40757');
    const close = await place({ side: 'buy', tradeSide: 'close', size: '0.01', clientOid: 'cl' });
    expect(close.body.code).toBe('00000');
    const d = (await h.get(a, '/api/v2/mix/order/detail', { symbol: 'BTCUSDT', ...UM, clientOid: 'cl' })).body.data;
    // Closing a long sells at the bid: (60000 − 60000.1) × 0.01 = −0.001.
    expect(d).toMatchObject({ side: 'buy', tradeSide: 'close', posSide: 'long', reduceOnly: 'YES', priceAvg: '60000', totalProfits: '-0.001', posMode: 'hedge_mode' });
    const fp = await h.post(a, '/api/v2/mix/order/close-positions', { ...UM, symbol: 'BTCUSDT', holdSide: 'short' });
    expect(fp.body.data.successList).toHaveLength(1);
    expect(await positions()).toEqual([]);
    expect((await h.post(a, '/api/v2/mix/order/close-positions', UM)).body.code).toBe('22002');
  });

  it('rejects tradeSide in one-way mode with 40774', async () => {
    const r = await place({ side: 'buy', tradeSide: 'open', size: '0.01' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: '40774', data: null });
  });
});

describe('validation errors', () => {
  it.each([
    ['unknown symbol', { symbol: 'DOGEUSDT', side: 'buy', size: '1' }, '40034'],
    ['size scale', { side: 'buy', size: '0.0001' }, '40808'],
    ['price scale', { side: 'buy', size: '0.01', orderType: 'limit', price: '59000.05' }, '41103'],
    ['insufficient balance', { side: 'buy', size: '4' }, '40762'], // 240000 / 20x = 12000 > 10000
    ['missing side', { size: '0.01' }, '40019'],
    ['bad enum', { side: 'long', size: '0.01' }, '40020'],
    ['clientOid too long', { side: 'buy', size: '0.01', clientOid: 'x'.repeat(51) }, '40305'],
  ])('%s → %s', async (_n, body, code) => {
    const r = await place(body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(code);
  });

  it('rejects a duplicate clientOid (40786) and an order below 5 USDT (45110)', async () => {
    expect((await place({ side: 'buy', size: '0.001', clientOid: 'dup' })).body.code).toBe('00000');
    expect((await place({ side: 'buy', size: '0.001', clientOid: 'dup' })).body.code).toBe('40786');
    await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '1000' });
    expect((await place({ side: 'buy', size: '0.001' })).body.code).toBe('45110');
  });

  it('answers 40109 for an unknown order in detail', async () => {
    expect((await h.get(a, '/api/v2/mix/order/detail', { symbol: 'BTCUSDT', ...UM, orderId: '123' })).body.code).toBe('40109');
  });
});

describe('funding', () => {
  it('charges longs notional × rate at the 8-hour boundary', async () => {
    await h.admin('POST', '/sim/funding', { symbol: 'BTCUSDT', productType: 'USDT-FUTURES', rate: '0.0001' });
    await place({ side: 'buy', size: '0.01', marginMode: 'crossed' });
    const before = (await wallet()).assetList[0].balance;
    expect(before).toBe('9999.6399994');
    // T0 is 10:00 UTC; the next settlement is 16:00 UTC. 0.01 × 60000 × 0.0001 = 0.06.
    await h.admin('POST', '/sim/clock', { advanceMs: 6 * 3_600_000 - 1 });
    expect((await wallet()).assetList[0].balance).toBe('9999.6399994');
    await h.admin('POST', '/sim/clock', { advanceMs: 1 });
    expect((await wallet()).assetList[0].balance).toBe('9999.5799994');
  });
});
