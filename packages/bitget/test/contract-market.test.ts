import { describe, expect, it } from 'vitest';
import { DECIMAL, expectStrings, MODES, ok, useSimulator } from './support/sim-fixture.ts';

// Contract: the 12 public market methods against the simulator, with a live and a demo key.

const fx = useSimulator();

const FUTURES_TICKER = ['symbol', 'lastPr', 'askPr', 'bidPr', 'bidSz', 'askSz', 'high24h', 'low24h', 'ts', 'change24h',
  'baseVolume', 'quoteVolume', 'usdtVolume', 'openUtc', 'changeUtc24h', 'indexPrice', 'fundingRate', 'holdingAmount', 'open24h', 'markPrice'];
const SPOT_TICKER = ['symbol', 'high24h', 'open', 'low24h', 'lastPr', 'quoteVolume', 'baseVolume', 'usdtVolume', 'bidPr', 'askPr',
  'bidSz', 'askSz', 'openUtc', 'ts', 'changeUtc24h', 'change24h'];

function expectCandles(rows: unknown, fields: number, count: number, lastClose?: string): void {
  expect(Array.isArray(rows)).toBe(true);
  const list = rows as string[][];
  expect(list).toHaveLength(count);
  for (const row of list) {
    expect(row).toHaveLength(fields);
    for (const v of row) expect(v).toMatch(DECIMAL);
  }
  const ts = list.map((r) => Number(r[0]));
  expect([...ts].sort((a, b) => a - b)).toEqual(ts); // oldest first
  if (lastClose !== undefined) expect(list.at(-1)?.[4]).toBe(lastClose);
}

describe.each(MODES)('market data with a %s key', (mode) => {
  it('futures_tickers: all of the product type, or one symbol via /market/ticker', async () => {
    const { client } = await fx.client(mode);
    const all = ok<Record<string, unknown>[]>(await client.call('futures_tickers', []));
    expect(all.map((t) => t['symbol'])).toEqual(expect.arrayContaining(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']));
    for (const t of all) expectStrings(t, FUTURES_TICKER);
    const positional = ok<Record<string, unknown>[]>(await client.futures_tickers('USDT-FUTURES', 'btcusdt'));
    expect(positional).toHaveLength(1);
    expect(positional[0]).toMatchObject({ symbol: 'BTCUSDT', lastPr: '60000', bidPr: '60000', askPr: '60000.1', markPrice: '60000' });
    const named = ok<Record<string, unknown>[]>(await client.futures_tickers({ symbol: 'ETHUSDT' }));
    expect(named).toMatchObject([{ symbol: 'ETHUSDT', lastPr: '3000' }]);
    const reqs = await fx.requests('/api/v2/mix/market/ticker');
    expect(reqs.at(-1)?.query).toBe('productType=USDT-FUTURES&symbol=ETHUSDT');
  });

  it('futures_ticker: one row', async () => {
    const { client } = await fx.client(mode);
    const a = ok<Record<string, unknown>[]>(await client.call('futures_ticker', ['SOLUSDT']));
    expect(a).toHaveLength(1);
    expectStrings(a[0], FUTURES_TICKER);
    expect(a[0]).toMatchObject({ symbol: 'SOLUSDT', lastPr: '150' });
    const b = ok<Record<string, unknown>[]>(await client.futures_ticker({ symbol: 'BTCUSDT', product_type: 'USDT-FUTURES' }));
    expect(b[0]?.['lastPr']).toBe('60000');
  });

  it('spot_tickers: all, or one symbol', async () => {
    const { client } = await fx.client(mode);
    const all = ok<Record<string, unknown>[]>(await client.call('spot_tickers', []));
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const t of all) expectStrings(t, SPOT_TICKER);
    const one = ok<Record<string, unknown>[]>(await client.spot_tickers('BTCUSDT'));
    expect(one).toMatchObject([{ symbol: 'BTCUSDT', lastPr: '60000', bidPr: '60000', askPr: '60000.01' }]);
    expect(ok<unknown[]>(await client.spot_tickers({ symbol: 'ethusdt' }))).toMatchObject([{ symbol: 'ETHUSDT' }]);
  });

  it('futures_candles: 7 string fields, oldest first, live close = pinned price', async () => {
    const { client } = await fx.client(mode);
    expectCandles(ok(await client.call('futures_candles', ['BTCUSDT', '1H', undefined, 3])), 7, 3, '60000');
    expectCandles(ok(await client.futures_candles({ symbol: 'ETHUSDT', granularity: '15m', limit: 4 })), 7, 4, '3000');
    const q = new URLSearchParams((await fx.requests('/api/v2/mix/market/candles')).at(-1)?.query);
    expect(Object.fromEntries(q)).toEqual({ granularity: '15m', limit: '4', productType: 'USDT-FUTURES', symbol: 'ETHUSDT' });
  });

  it('futures_history_candles: older rows before end_time', async () => {
    const { client } = await fx.client(mode);
    const end = Date.now() - 3 * 86_400_000;
    const rows = ok<string[][]>(await client.call('futures_history_candles', ['BTCUSDT', '1D', undefined, 2, undefined, end]));
    expectCandles(rows, 7, 2);
    for (const r of rows) expect(Number(r[0])).toBeLessThanOrEqual(end);
    expectCandles(ok(await client.futures_history_candles({ symbol: 'BTCUSDT', granularity: '1H', limit: 5, end_time: end })), 7, 5);
  });

  it('spot_candles: 8 string fields', async () => {
    const { client } = await fx.client(mode);
    expectCandles(ok(await client.call('spot_candles', ['BTCUSDT', '1h', 3])), 8, 3, '60000');
    expectCandles(ok(await client.spot_candles({ symbol: 'SOLUSDT', granularity: '5min', limit: 2 })), 8, 2, '150');
  });

  it('spot_history_candles: endTime always sent (default now)', async () => {
    const { client } = await fx.client(mode);
    const end = Date.now() - 10 * 86_400_000;
    const rows = ok<string[][]>(await client.call('spot_history_candles', ['BTCUSDT', '1day', end, 2]));
    expectCandles(rows, 8, 2);
    for (const r of rows) expect(Number(r[0])).toBeLessThanOrEqual(end);
    expectCandles(ok(await client.spot_history_candles({ symbol: 'ETHUSDT', limit: 3 })), 8, 3, '3000');
    const q = new URLSearchParams((await fx.requests('/api/v2/spot/market/history-candles')).at(-1)?.query);
    expect(q.get('endTime')).toMatch(/^\d{13}$/);
    expect(q.get('granularity')).toBe('1h');
  });

  it('futures_orderbook: next depth tier fetched, trimmed, levels are numbers', async () => {
    const { client } = await fx.client(mode);
    const book = ok<{ asks: number[][]; bids: number[][]; ts: string }>(await client.call('futures_orderbook', ['BTCUSDT', undefined, 3]));
    expect(book.asks).toHaveLength(3);
    expect(book.bids).toHaveLength(3);
    expect(book.bids[0]?.[0]).toBe(60000);
    expect(book.asks[0]?.[0]).toBe(60000.1);
    for (const [p, s] of [...book.asks, ...book.bids]) {
      expect(typeof p).toBe('number');
      expect(typeof s).toBe('number');
    }
    expectStrings(book, ['ts', 'scale', 'precision', 'isMaxPrecision']);
    expect(new URLSearchParams((await fx.requests('/api/v2/mix/market/merge-depth')).at(-1)?.query).get('limit')).toBe('5');
    const named = ok<{ asks: unknown[] }>(await client.futures_orderbook({ symbol: 'ETHUSDT', limit: 20 }));
    expect(named.asks).toHaveLength(20);
  });

  it('spot_orderbook: levels are strings', async () => {
    const { client } = await fx.client(mode);
    const book = ok<{ asks: string[][]; bids: string[][]; ts: string }>(await client.call('spot_orderbook', ['BTCUSDT', 4]));
    expect(book.asks).toHaveLength(4);
    expect(book.bids[0]).toEqual(['60000', expect.stringMatching(DECIMAL)]);
    expect(book.asks[0]?.[0]).toBe('60000.01');
    expect(typeof book.ts).toBe('string');
    expect(ok<{ bids: unknown[] }>(await client.spot_orderbook({ symbol: 'SOLUSDT', limit: 2, type: 'step0' })).bids).toHaveLength(2);
  });

  it('futures_contracts: precision fields as strings', async () => {
    const { client } = await fx.client(mode);
    const all = ok<Record<string, unknown>[]>(await client.call('futures_contracts', []));
    expect(all.length).toBeGreaterThanOrEqual(3);
    const [btc] = ok<Record<string, unknown>[]>(await client.futures_contracts({ symbol: 'BTCUSDT' }));
    expectStrings(btc, ['symbol', 'baseCoin', 'quoteCoin', 'minTradeNum', 'priceEndStep', 'volumePlace', 'pricePlace',
      'sizeMultiplier', 'minTradeUSDT', 'minLever', 'maxLever', 'symbolStatus']);
    expect(btc).toMatchObject({ pricePlace: '1', priceEndStep: '1', volumePlace: '3', sizeMultiplier: '0.001', minTradeNum: '0.001', minTradeUSDT: '5' });
    expect(btc?.['supportMarginCoins']).toEqual(['USDT']);
    const [perp] = ok<Record<string, unknown>[]>(await client.futures_contracts('USDC-FUTURES', 'BTCPERP'));
    expect(perp?.['symbol']).toBe('BTCPERP');
  });

  it('spot_symbols: precision fields as strings', async () => {
    const { client } = await fx.client(mode);
    expect(ok<unknown[]>(await client.call('spot_symbols', [])).length).toBeGreaterThanOrEqual(3);
    const [btc] = ok<Record<string, unknown>[]>(await client.spot_symbols('BTCUSDT'));
    expectStrings(btc, ['symbol', 'baseCoin', 'quoteCoin', 'minTradeAmount', 'maxTradeAmount', 'pricePrecision',
      'quantityPrecision', 'quotePrecision', 'minTradeUSDT', 'status']);
    expect(btc).toMatchObject({ pricePrecision: '2', quantityPrecision: '6', status: 'online' });
    expect(ok(await client.spot_symbols({ symbol: 'ETHUSDT' }))).toMatchObject([{ symbol: 'ETHUSDT' }]);
  });

  it('futures_funding_rate: one symbol or the whole product type', async () => {
    const { client } = await fx.client(mode);
    const one = ok<Record<string, unknown>[]>(await client.call('futures_funding_rate', ['BTCUSDT']));
    expect(one).toHaveLength(1);
    expectStrings(one[0], ['symbol', 'fundingRate']);
    expect(one[0]?.['fundingRate']).toMatch(DECIMAL);
    const all = ok<Record<string, unknown>[]>(await client.futures_funding_rate({ product_type: 'COIN-FUTURES' }));
    expect(all.map((r) => r['symbol'])).toEqual(expect.arrayContaining(['BTCUSD', 'ETHUSD']));
  });

  it('callJson: the body text as received, or the reshaped response as JSON', async () => {
    const { client } = await fx.client(mode);
    const text = await client.callJson('futures_ticker', ['BTCUSDT']);
    expect(text.startsWith('{"code":"00000","msg":"success"')).toBe(true);
    expect(JSON.parse(text)).toMatchObject({ code: '00000', data: [{ symbol: 'BTCUSDT', lastPr: expect.stringMatching(DECIMAL) }] });
    // futures_orderbook trims the fetched depth tier: the JSON is of the trimmed book
    const book = JSON.parse(await client.callJson('futures_orderbook', ['BTCUSDT', undefined, 3])) as { data: { asks: unknown[] } };
    expect(book.data.asks).toHaveLength(3);
    await expect(client.callJson('futures_ticker', [{ symbol: 'NOPEUSDT' }])).rejects.toMatchObject({ name: 'BitgetAPIError' });
  });
});
