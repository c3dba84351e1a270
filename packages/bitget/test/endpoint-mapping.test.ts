import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BITGET_METHODS, createBitgetClient, REFERENCE_METHOD_NAMES } from '../src/index.ts';
import type { BitgetClient } from '../src/index.ts';
import { startFakeBitget } from './support/fake-bitget.ts';
import type { FakeBitget } from './support/fake-bitget.ts';

// Every method is checked against JKorf/Bitget.Net's per-endpoint fixture (HTTP method, path,
// auth) and against the Bitget field names it must send (CONTRACT §5). The fixture's example
// answer is served back and must come out unchanged.

interface Fixture {
  request: { method: string; path: string; authenticated: boolean };
  response: unknown;
}

const fixtureDir = new URL('../../../test/fixtures/bitget/jkorf-bitget-net/', import.meta.url);
const fixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(`${name}.json`, fixtureDir), 'utf8')) as Fixture;

const NOW = 1_700_000_000_000;

interface Case {
  method: string;
  args: unknown[];
  fixture: string;
  /** Exact wire parameters (query for GET, JSON body for POST); clientOid checked by prefix. */
  wire: Record<string, unknown>;
}

const PT = { productType: 'USDT-FUTURES' };
const CASES: Case[] = [
  { method: 'futures_tickers', args: [], fixture: 'Futures__ExchangeData__GetTickers', wire: PT },
  { method: 'futures_tickers', args: [undefined, 'btcusdt'], fixture: 'Futures__ExchangeData__GetTicker', wire: { ...PT, symbol: 'BTCUSDT' } },
  { method: 'futures_ticker', args: ['BTCUSDT'], fixture: 'Futures__ExchangeData__GetTicker', wire: { ...PT, symbol: 'BTCUSDT' } },
  { method: 'spot_tickers', args: [], fixture: 'Spot__ExchangeData__GetTickers', wire: {} },
  { method: 'futures_candles', args: [], fixture: 'Futures__ExchangeData__GetKlines', wire: { ...PT, symbol: 'BTCUSDT', granularity: '1H', limit: '200' } },
  { method: 'futures_history_candles', args: ['ETHUSDT', '4H', undefined, 100, 1699000000000], fixture: 'Futures__ExchangeData__GetHistoricalKlines', wire: { ...PT, symbol: 'ETHUSDT', granularity: '4H', limit: '100', startTime: '1699000000000' } },
  { method: 'spot_candles', args: [], fixture: 'Spot__ExchangeData__GetKlines', wire: { symbol: 'BTCUSDT', granularity: '1h', limit: '200' } },
  { method: 'spot_history_candles', args: ['BTCUSDT'], fixture: 'Spot__ExchangeData__GetHistoricalKlines', wire: { symbol: 'BTCUSDT', granularity: '1h', limit: '200', endTime: String(NOW) } },
  { method: 'futures_orderbook', args: [], fixture: 'Futures__ExchangeData__GetOrderBook', wire: { ...PT, symbol: 'BTCUSDT', limit: '50' } },
  { method: 'spot_orderbook', args: ['BTCUSDT'], fixture: 'Spot__ExchangeData__GetOrderBook', wire: { symbol: 'BTCUSDT', limit: '20' } },
  { method: 'futures_contracts', args: [], fixture: 'Futures__ExchangeData__GetContracts', wire: PT },
  { method: 'spot_symbols', args: [], fixture: 'Spot__ExchangeData__GetSymbols', wire: {} },
  { method: 'futures_funding_rate', args: ['BTCUSDT'], fixture: 'Futures__ExchangeData__GetFundingRate', wire: { ...PT, symbol: 'BTCUSDT' } },
  { method: 'futures_accounts', args: [], fixture: 'Futures__Account__GetBalances', wire: PT },
  { method: 'futures_account', args: ['BTCUSDT'], fixture: 'Futures__Account__GetBalance', wire: { ...PT, symbol: 'BTCUSDT', marginCoin: 'USDT' } },
  { method: 'futures_set_leverage', args: ['BTCUSDT', 5], fixture: 'Futures__Account__SetLeverage', wire: { ...PT, symbol: 'BTCUSDT', leverage: '5', marginCoin: 'USDT' } },
  { method: 'futures_set_margin_mode', args: ['BTCUSDT', 'crossed'], fixture: 'Futures__Account__SetMarginMode', wire: { ...PT, symbol: 'BTCUSDT', marginMode: 'crossed', marginCoin: 'USDT' } },
  { method: 'futures_set_position_mode', args: ['hedge_mode'], fixture: 'Futures__Account__SetPositionMode', wire: { ...PT, posMode: 'hedge_mode' } },
  { method: 'futures_positions', args: [], fixture: 'Futures__Trading__GetPositions', wire: { ...PT, marginCoin: 'USDT' } },
  { method: 'futures_position', args: ['BTCUSDT'], fixture: 'Futures__Trading__GetPosition', wire: { ...PT, symbol: 'BTCUSDT', marginCoin: 'USDT' } },
  { method: 'futures_close_position', args: ['BTCUSDT', 'long'], fixture: 'Futures__Trading__ClosePosition', wire: { ...PT, symbol: 'BTCUSDT', holdSide: 'long' } },
  {
    method: 'futures_place_order', args: ['BTCUSDT', 'buy', '0.01'], fixture: 'Futures__Trading__PlaceOrder',
    wire: { ...PT, symbol: 'BTCUSDT', side: 'buy', size: '0.01', orderType: 'market', marginCoin: 'USDT', marginMode: 'isolated', force: 'gtc', clientOid: 'tbx' },
  },
  {
    method: 'futures_batch_place_orders', args: ['BTCUSDT', [{ side: 'sell', size: 1, order_type: 'limit', price: '70000', client_oid: 'a-1' }]],
    fixture: 'Futures__Trading__PlaceMultipleOrders',
    wire: { ...PT, symbol: 'BTCUSDT', marginCoin: 'USDT', marginMode: 'isolated', orderList: [{ side: 'sell', size: '1', orderType: 'limit', price: '70000', force: 'gtc', clientOid: 'a-1' }] },
  },
  { method: 'futures_cancel_order', args: ['BTCUSDT', '123'], fixture: 'Futures__Trading__CancelOrder', wire: { ...PT, symbol: 'BTCUSDT', orderId: '123' } },
  {
    method: 'futures_modify_order', args: [{ symbol: 'BTCUSDT', order_id: '123', new_size: '0.02', new_price: '60000', new_client_oid: 'm-1' }],
    fixture: 'Futures__Trading__EditOrder',
    wire: { ...PT, symbol: 'BTCUSDT', orderId: '123', newSize: '0.02', newPrice: '60000', newClientOid: 'm-1', marginCoin: 'USDT' },
  },
  { method: 'futures_cancel_all_orders', args: [], fixture: 'Futures__Trading__CancelAllOrders', wire: PT },
  { method: 'futures_order_detail', args: ['BTCUSDT', '123'], fixture: 'Futures__Trading__GetOrder', wire: { ...PT, symbol: 'BTCUSDT', orderId: '123' } },
  { method: 'futures_pending_orders', args: [], fixture: 'Futures__Trading__GetOpenOrders', wire: PT },
  { method: 'futures_orders_history', args: [], fixture: 'Futures__Trading__GetClosedOrders', wire: { ...PT, limit: '50' } },
  { method: 'futures_fills', args: [undefined, 'BTCUSDT'], fixture: 'Futures__Trading__GetUserTrades', wire: { ...PT, symbol: 'BTCUSDT' } },
  {
    method: 'futures_place_plan_order', args: ['BTCUSDT', 'buy', '0.01', '70000'], fixture: 'Futures__Trading__PlaceTriggerOrder',
    wire: { ...PT, symbol: 'BTCUSDT', side: 'buy', size: '0.01', triggerPrice: '70000', orderType: 'market', triggerType: 'mark_price', planType: 'normal_plan', marginCoin: 'USDT', marginMode: 'isolated', clientOid: 'tbx' },
  },
  {
    method: 'futures_place_tpsl_order', args: ['BTCUSDT', 'pos_loss', '58000', 'long'], fixture: 'Futures__Trading__PlaceTpSlOrder',
    wire: { ...PT, symbol: 'BTCUSDT', planType: 'pos_loss', triggerPrice: '58000', holdSide: 'long', triggerType: 'mark_price', marginCoin: 'USDT', clientOid: 'tbx' },
  },
  {
    method: 'futures_cancel_plan_order', args: ['BTCUSDT', '99'], fixture: 'Futures__Trading__CancelTriggerOrders',
    wire: { ...PT, symbol: 'BTCUSDT', planType: 'normal_plan', marginCoin: 'USDT', orderIdList: [{ orderId: '99' }] },
  },
  { method: 'futures_pending_plan_orders', args: [], fixture: 'Futures__Trading__GetOpenTriggerOrders', wire: { ...PT, planType: 'normal_plan' } },
  {
    method: 'futures_plan_orders_history', args: [{ plan_status: 'executed', start_time: 1700000000000 }], fixture: 'Futures__Trading__GetClosedTriggerOrders',
    wire: { ...PT, planType: 'normal_plan', planStatus: 'executed', startTime: '1700000000000' },
  },
  { method: 'spot_assets', args: [], fixture: 'Spot__Account__GetSpotBalances', wire: {} },
  {
    method: 'spot_place_order', args: ['BTCUSDT', 'buy', '20'], fixture: 'Spot__Trading__PlaceOrder',
    wire: { symbol: 'BTCUSDT', side: 'buy', size: '20', orderType: 'market', force: 'gtc', clientOid: 'tbx' },
  },
  { method: 'spot_cancel_order', args: ['BTCUSDT', '123'], fixture: 'Spot__Trading__CancelOrder', wire: { symbol: 'BTCUSDT', orderId: '123' } },
  { method: 'spot_open_orders', args: [], fixture: 'Spot__Trading__GetOpenOrders', wire: {} },
  { method: 'spot_orders_history', args: ['BTCUSDT'], fixture: 'Spot__Trading__GetClosedOrders', wire: { symbol: 'BTCUSDT' } },
  { method: 'spot_order_detail', args: ['123'], fixture: 'Spot__Trading__GetOrder', wire: { orderId: '123' } },
  { method: 'spot_fills', args: ['BTCUSDT'], fixture: 'Spot__Trading__GetUserTrades', wire: { symbol: 'BTCUSDT' } },
];

let server: FakeBitget;
let client: BitgetClient;

beforeAll(async () => {
  server = await startFakeBitget();
  const byRoute = new Map<string, Fixture>();
  for (const c of CASES) {
    const f = fixture(c.fixture);
    byRoute.set(`${f.request.method} ${f.request.path}`, f);
  }
  server.on((req) => {
    const f = byRoute.get(`${req.method} ${req.path}`);
    return f ? { json: f.response } : undefined;
  });
  client = createBitgetClient({
    baseUrl: server.url, mode: 'live', now: () => NOW, credentials: { apiKey: 'k', secret: 's', passphrase: 'p' },
  });
});

afterAll(async () => {
  await client.close();
  await server.close();
});

describe('endpoint table', () => {
  it('covers every method at least once', () => {
    const covered = new Set(CASES.map((c) => c.method));
    expect(BITGET_METHODS.map((m) => m.name).filter((n) => !covered.has(n))).toEqual([]);
    expect(BITGET_METHODS).toHaveLength(41);
    for (const name of REFERENCE_METHOD_NAMES) expect(client.methodNames).toContain(name);
  });

  for (const c of CASES) {
    it(`${c.method}(${JSON.stringify(c.args).slice(1, -1)}) matches ${c.fixture}`, async () => {
      const f = fixture(c.fixture);
      const before = server.requests.length;
      const response = await client.call(c.method, c.args);
      const req = server.requests[before];
      if (!req) throw new Error('no request recorded');
      expect(req.method).toBe(f.request.method);
      expect(req.path).toBe(f.request.path);
      expect(req.headers['access-sign'] !== undefined).toBe(f.request.authenticated);
      expect(req.headers['access-key'] !== undefined).toBe(f.request.authenticated);
      const sent: Record<string, unknown> =
        req.method === 'GET' ? Object.fromEntries(new URLSearchParams(req.query)) : (JSON.parse(req.body) as Record<string, unknown>);
      if (req.method === 'GET') expect(req.body).toBe('');
      else expect(req.query).toBe('');
      const expected = { ...c.wire };
      if (typeof expected['clientOid'] === 'string' && expected['clientOid'] === 'tbx') {
        expect(sent['clientOid']).toMatch(/^tbx[0-9a-f]{32}$/);
        expected['clientOid'] = sent['clientOid'];
      }
      expect(sent).toEqual(expected);
      // Doc examples of some spot pages spell `msg` as `message`; the client adds `msg` (§3.1).
      const raw = f.response as Record<string, unknown>;
      const want = raw['msg'] === undefined ? { ...raw, msg: raw['message'] } : raw;
      if (c.method !== 'futures_orderbook') expect(response).toEqual(want);
    });
  }
});
