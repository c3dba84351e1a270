import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSim, type Creds, type Harness } from './helpers.ts';
import { fixture, shapeDiff } from './shape.ts';

// Every endpoint the client uses, checked against the JKorf/Bitget.Net example response:
// same method and path, same keys and value types (a superset where the example is older).
let h: Harness;
let one: Creds; // one-way account with activity on every list
let hedge: Creds;
let spotFilledId = ''; // orderInfo finds a filled order by orderId, not by clientOid

const UM = { productType: 'USDT-FUTURES' };
const BTC = { symbol: 'BTCUSDT', ...UM };

beforeAll(async () => {
  h = await startSim();
  one = h.account({ apiKey: 'shape-one' });
  hedge = h.account({ apiKey: 'shape-hedge' });
  await h.admin('POST', '/sim/price', { symbol: 'BTCUSDT', price: '60000' });
  const ok = async (p: Promise<{ body: { code: string; msg: string } }>) => {
    const r = await p;
    expect(r.body.code, r.body.msg).toBe('00000');
    return r;
  };
  await ok(h.post(one, '/api/v2/mix/order/place-order', { ...BTC, marginMode: 'crossed', marginCoin: 'USDT', size: '0.01', side: 'buy', orderType: 'market', clientOid: 'filled-1' }));
  await ok(h.post(one, '/api/v2/mix/order/place-order', { ...BTC, marginMode: 'crossed', marginCoin: 'USDT', size: '0.01', side: 'buy', orderType: 'limit', price: '50000', clientOid: 'rest-1' }));
  await ok(h.post(one, '/api/v2/mix/order/place-plan-order', { ...BTC, planType: 'normal_plan', marginMode: 'crossed', marginCoin: 'USDT', size: '0.01', side: 'buy', orderType: 'market', triggerPrice: '65000', triggerType: 'mark_price', clientOid: 'plan-1' }));
  await ok(h.post(one, '/api/v2/mix/order/place-tpsl-order', { ...BTC, marginCoin: 'USDT', planType: 'pos_profit', triggerPrice: '70000', triggerType: 'fill_price', holdSide: 'buy' }));
  const filled = await ok(h.post(one, '/api/v2/spot/trade/place-order', { symbol: 'BTCUSDT', side: 'buy', orderType: 'market', size: '100', clientOid: 'spot-filled' }));
  spotFilledId = (filled.body as unknown as { data: { orderId: string } }).data.orderId;
  await ok(h.post(one, '/api/v2/spot/trade/place-order', { symbol: 'BTCUSDT', side: 'buy', orderType: 'limit', force: 'gtc', price: '50000', size: '0.001', clientOid: 'spot-rest' }));
  await ok(h.post(hedge, '/api/v2/mix/account/set-position-mode', { ...UM, posMode: 'hedge_mode' }));
  await ok(h.post(hedge, '/api/v2/mix/order/place-order', { ...BTC, marginMode: 'isolated', marginCoin: 'USDT', size: '0.01', side: 'buy', tradeSide: 'open', orderType: 'market' }));
});

afterAll(async () => {
  await h?.stop();
});

/** `ignore`: paths where we deliberately differ from the example, each with its reason in the case. */
type Call = { fixture: string; creds?: () => Creds; params?: () => Record<string, unknown>; ignore?: string[] };

// The successful calls below have nothing to report in failureList; its item shape is covered by
// the cancel-plan-order case, which does produce failures.
const NO_FAILURES = ['data.failureList: expected a non-empty list'];

const cases: Call[] = [
  { fixture: 'Futures__ExchangeData__GetTickers', params: () => UM },
  // The example row is a delivery contract; perpetuals carry null delivery times, exactly like
  // the BTCUSD row of the GetTickers example.
  { fixture: 'Futures__ExchangeData__GetTicker', params: () => BTC, ignore: ['data[].deliveryStartTime: expected string, got null (null)', 'data[].deliveryTime: expected string, got null (null)'] },
  { fixture: 'Futures__ExchangeData__GetKlines', params: () => ({ ...BTC, granularity: '5m', limit: '3' }) },
  { fixture: 'Futures__ExchangeData__GetHistoricalKlines', params: () => ({ ...BTC, granularity: '1H', limit: '3' }) },
  { fixture: 'Futures__ExchangeData__GetOrderBook', params: () => ({ ...BTC, limit: '5' }) },
  { fixture: 'Futures__ExchangeData__GetContracts', params: () => UM },
  { fixture: 'Futures__ExchangeData__GetFundingRate', params: () => BTC },
  { fixture: 'Spot__ExchangeData__GetTickers', params: () => ({ symbol: 'BTCUSDT' }) },
  { fixture: 'Spot__ExchangeData__GetKlines', params: () => ({ symbol: 'BTCUSDT', granularity: '1min', limit: '3' }) },
  { fixture: 'Spot__ExchangeData__GetOrderBook', params: () => ({ symbol: 'BTCUSDT', limit: '5' }) },
  { fixture: 'Spot__ExchangeData__GetSymbols', params: () => ({}) },
  { fixture: 'Futures__Account__GetBalances', creds: () => one, params: () => UM },
  { fixture: 'Futures__Account__GetBalance', creds: () => one, params: () => ({ ...BTC, marginCoin: 'USDT' }) },
  { fixture: 'Futures__Account__SetLeverage', creds: () => one, params: () => ({ symbol: 'ETHUSDT', ...UM, marginCoin: 'USDT', leverage: '25' }) },
  { fixture: 'Futures__Account__SetMarginMode', creds: () => one, params: () => ({ symbol: 'ETHUSDT', ...UM, marginCoin: 'USDT', marginMode: 'isolated' }) },
  { fixture: 'Futures__Account__SetPositionMode', creds: () => one, params: () => ({ productType: 'USDC-FUTURES', posMode: 'one_way_mode' }) },
  { fixture: 'Spot__Account__GetSpotBalances', creds: () => one, params: () => ({}) },
  { fixture: 'Futures__Trading__GetPositions', creds: () => hedge, params: () => ({ ...UM, marginCoin: 'USDT' }) },
  { fixture: 'Futures__Trading__GetPosition', creds: () => hedge, params: () => ({ ...BTC, marginCoin: 'USDT' }) },
  { fixture: 'Futures__Trading__PlaceOrder', creds: () => one, params: () => ({ ...BTC, marginMode: 'crossed', marginCoin: 'USDT', size: '0.001', side: 'buy', orderType: 'limit', price: '40000' }) },
  { fixture: 'Futures__Trading__EditOrder', creds: () => one, params: () => ({ ...BTC, marginCoin: 'USDT', clientOid: 'rest-1', newClientOid: 'rest-2', newSize: '0.01', newPrice: '50001' }) },
  { fixture: 'Futures__Trading__CancelOrder', creds: () => one, params: () => ({ ...BTC, marginCoin: 'USDT', clientOid: 'rest-2' }) },
  { fixture: 'Futures__Trading__PlaceMultipleOrders', creds: () => one, params: () => ({ ...BTC, marginCoin: 'USDT', marginMode: 'crossed', orderList: [{ size: '0.001', price: '41000', side: 'buy', orderType: 'limit', clientOid: 'b-1' }, { size: '0.001', price: '42000', side: 'buy', orderType: 'limit', clientOid: 'b-2' }] }) },
  { fixture: 'Futures__Trading__GetOpenOrders', creds: () => one, params: () => UM },
  { fixture: 'Futures__Trading__GetOpenOrders2', creds: () => one, params: () => BTC },
  { fixture: 'Futures__Trading__CancelAllOrders', creds: () => one, params: () => ({ ...UM, symbol: 'BTCUSDT' }), ignore: NO_FAILURES },
  { fixture: 'Futures__Trading__GetClosedOrders', creds: () => one, params: () => UM },
  { fixture: 'Futures__Trading__GetOrder', creds: () => one, params: () => ({ ...BTC, clientOid: 'filled-1' }) },
  { fixture: 'Futures__Trading__GetUserTrades', creds: () => one, params: () => UM },
  { fixture: 'Futures__Trading__GetOpenTriggerOrders', creds: () => one, params: () => ({ ...UM, planType: 'normal_plan' }) },
  { fixture: 'Futures__Trading__GetOpenTriggerOrders2', creds: () => one, params: () => ({ ...UM, planType: 'profit_loss' }) },
  { fixture: 'Futures__Trading__PlaceTriggerOrder', creds: () => one, params: () => ({ ...BTC, planType: 'normal_plan', marginMode: 'crossed', marginCoin: 'USDT', size: '0.01', side: 'sell', orderType: 'limit', price: '55000', triggerPrice: '55000', triggerType: 'fill_price' }) },
  { fixture: 'Futures__Trading__PlaceTpSlOrder', creds: () => one, params: () => ({ ...BTC, marginCoin: 'USDT', planType: 'loss_plan', triggerPrice: '50000', holdSide: 'buy', size: '0.01' }) },
  { fixture: 'Futures__Trading__CancelTriggerOrders', creds: () => one, params: () => ({ ...BTC, marginCoin: 'USDT', orderIdList: [{ clientOid: 'plan-1' }, { orderId: '1' }] }) },
  { fixture: 'Futures__Trading__ClosePosition', creds: () => hedge, params: () => ({ ...BTC, holdSide: 'long' }), ignore: NO_FAILURES },
  { fixture: 'Spot__Trading__GetOpenOrders', creds: () => one, params: () => ({ symbol: 'BTCUSDT' }) },
  { fixture: 'Spot__Trading__GetClosedOrders', creds: () => one, params: () => ({ symbol: 'BTCUSDT' }) },
  { fixture: 'Spot__Trading__GetOrder', creds: () => one, params: () => ({ orderId: spotFilledId }) },
  { fixture: 'Spot__Trading__GetUserTrades', creds: () => one, params: () => ({ symbol: 'BTCUSDT' }) },
  { fixture: 'Spot__Trading__PlaceOrder', creds: () => one, params: () => ({ symbol: 'ETHUSDT', side: 'buy', orderType: 'limit', force: 'post_only', price: '1000', size: '0.01' }) },
  { fixture: 'Spot__Trading__CancelOrder', creds: () => one, params: () => ({ symbol: 'BTCUSDT', clientOid: 'spot-rest' }) },
];

describe('response shapes match the Bitget examples', () => {
  it.each(cases.map((c) => [c.fixture, c] as const))('%s', async (_name, c) => {
    const fx = fixture(c.fixture);
    expect(fx.request.authenticated).toBe(c.creds !== undefined);
    const params = c.params?.() ?? {};
    const r = fx.request.method === 'GET'
      ? c.creds ? await h.get(c.creds(), fx.request.path, params as Record<string, string>) : await h.pub(fx.request.path, params as Record<string, string>)
      : await h.post(c.creds!(), fx.request.path, params);
    expect(r.status).toBe(200);
    expect(r.body.code, r.body.msg).toBe('00000');
    expect(Object.keys(r.body).sort()).toEqual(['code', 'data', 'msg', 'requestTime']);
    expect(r.body.msg).toBe('success');
    expect(typeof r.body.requestTime).toBe('number');
    expect(shapeDiff(r.body.data, fx.response.data).filter((d) => !c.ignore?.includes(d))).toEqual([]);
  });
});
