import { describe, expect, it } from 'vitest';
import { apiError, DECIMAL, expectStrings, MODES, ok, useSimulator } from './support/sim-fixture.ts';

// Contract: futures account reads and settings, positions and the flash close, live and demo keys.

const fx = useSimulator();

const ACCOUNT = ['marginCoin', 'locked', 'available', 'crossedMaxAvailable', 'isolatedMaxAvailable', 'maxTransferOut',
  'accountEquity', 'usdtEquity', 'unrealizedPL'];
const POSITION = ['marginCoin', 'symbol', 'holdSide', 'openDelegateSize', 'marginSize', 'available', 'locked', 'total',
  'leverage', 'openPriceAvg', 'marginMode', 'posMode', 'unrealizedPL', 'liquidationPrice', 'markPrice', 'cTime', 'uTime'];

type Row = Record<string, unknown>;

describe.each(MODES)('futures account and positions with a %s key', (mode) => {
  const balance = mode === 'demo' ? '50000' : '10000';

  it('futures_accounts: every margin coin of the product type; margin_coin accepted but not sent', async () => {
    const { client } = await fx.client(mode);
    const rows = ok<Row[]>(await client.call('futures_accounts', []));
    expect(rows).toHaveLength(1);
    expectStrings(rows[0], ACCOUNT);
    expect(rows[0]).toMatchObject({ marginCoin: 'USDT', available: balance, accountEquity: balance, locked: '0' });
    const coin = ok<Row[]>(await client.futures_accounts({ product_type: 'COIN-FUTURES', margin_coin: 'BTC' }));
    expect(coin.map((r) => r['marginCoin']).sort()).toEqual(['BTC', 'ETH']);
    expect((await fx.requests('/api/v2/mix/account/accounts')).at(-1)?.query).toBe('productType=COIN-FUTURES');
    expect(ok<Row[]>(await client.futures_accounts('USDC-FUTURES'))[0]?.['marginCoin']).toBe('USDC');
  });

  it('futures_account: one margin coin with leverage and modes; COIN-FUTURES defaults margin_coin to the base coin', async () => {
    const { client } = await fx.client(mode);
    const a = ok<Row>(await client.call('futures_account', ['BTCUSDT']));
    expectStrings(a, [...ACCOUNT, 'marginMode', 'posMode']);
    expect(a).toMatchObject({ marginCoin: 'USDT', marginMode: 'crossed', posMode: 'one_way_mode' });
    const inverse = ok<Row>(await client.futures_account({ symbol: 'BTCUSD', product_type: 'COIN-FUTURES' }));
    expect(inverse['marginCoin']).toBe('BTC');
    expect(new URLSearchParams((await fx.requests('/api/v2/mix/account/account')).at(-1)?.query).get('marginCoin')).toBe('BTC');
  });

  it('futures_set_leverage: visible in futures_account', async () => {
    const { client } = await fx.client(mode);
    const r = ok<Row>(await client.call('futures_set_leverage', ['BTCUSDT', 7]));
    expect(r).toMatchObject({ symbol: 'BTCUSDT', marginCoin: 'USDT', crossMarginLeverage: '7' });
    expect(ok<Row>(await client.futures_account('BTCUSDT'))['crossedMarginLeverage']).toBe('7');
    await client.futures_set_leverage({ symbol: 'ETHUSDT', leverage: '12' });
    expect(ok<Row>(await client.futures_account({ symbol: 'ETHUSDT' }))['crossedMarginLeverage']).toBe('12');
    expect(ok<Row>(await client.futures_account('BTCUSDT'))['crossedMarginLeverage']).toBe('7');
    const body = JSON.parse((await fx.requests('/api/v2/mix/account/set-leverage')).at(-1)?.body ?? '{}') as Row;
    expect(body).toEqual({ symbol: 'ETHUSDT', leverage: '12', productType: 'USDT-FUTURES', marginCoin: 'USDT' });
  });

  it('futures_set_margin_mode: visible in futures_account; refused with an open position', async () => {
    const { client } = await fx.client(mode);
    expect(ok<Row>(await client.call('futures_set_margin_mode', ['BTCUSDT', 'isolated']))['marginMode']).toBe('isolated');
    expect(ok<Row>(await client.futures_account('BTCUSDT'))['marginMode']).toBe('isolated');
    await client.futures_set_margin_mode({ symbol: 'BTCUSDT', margin_mode: 'crossed' });
    expect(ok<Row>(await client.futures_account('BTCUSDT'))['marginMode']).toBe('crossed');
    await client.futures_place_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.01', margin_mode: 'crossed' });
    const e = await apiError(client.futures_set_margin_mode('BTCUSDT', 'isolated'));
    expect(e.code).toBe('45117');
    expect(e.status).toBe(400);
  });

  it('futures_set_position_mode: hedge mode needs trade_side; back to one-way', async () => {
    const { client } = await fx.client(mode);
    expect(ok<Row>(await client.call('futures_set_position_mode', ['hedge_mode']))).toMatchObject({ posMode: 'hedge_mode' });
    expect(ok<Row>(await client.futures_account('BTCUSDT'))['posMode']).toBe('hedge_mode');
    expect((await apiError(client.futures_place_order('BTCUSDT', 'buy', '0.01'))).code).toBe('40774');
    await client.futures_set_position_mode({ pos_mode: 'one_way_mode', product_type: 'USDT-FUTURES' });
    expect(ok<Row>(await client.futures_account('BTCUSDT'))['posMode']).toBe('one_way_mode');
  });

  it('futures_positions / futures_position: [] when flat, the position after a fill', async () => {
    const { client } = await fx.client(mode);
    expect(ok(await client.call('futures_positions', []))).toEqual([]);
    expect(ok(await client.futures_position('BTCUSDT'))).toEqual([]);
    await client.futures_set_leverage('BTCUSDT', 10);
    await client.futures_place_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.02', margin_mode: 'crossed' });
    const all = ok<Row[]>(await client.futures_positions({ product_type: 'USDT-FUTURES' }));
    expect(all).toHaveLength(1);
    expectStrings(all[0], POSITION);
    // market buy at the ask (60000 + one tick)
    expect(all[0]).toMatchObject({ symbol: 'BTCUSDT', holdSide: 'long', total: '0.02', openPriceAvg: '60000.1', leverage: '10', markPrice: '60000' });
    const one = ok<Row[]>(await client.call('futures_position', [{ symbol: 'BTCUSDT' }]));
    expect(one).toEqual(all);
    expect(ok(await client.futures_position('ETHUSDT'))).toEqual([]);
  });

  it('futures_close_position: position gone, hooks see a tbxclose reference and the orderId', async () => {
    const { client, journal } = await fx.client(mode);
    await client.futures_place_order('BTCUSDT', 'sell', '0.01');
    expect(ok<Row[]>(await client.futures_position('BTCUSDT'))[0]?.['holdSide']).toBe('short');
    const r = ok<{ successList: Row[]; failureList: Row[] }>(await client.call('futures_close_position', ['BTCUSDT']));
    expect(r.failureList).toEqual([]);
    expect(r.successList).toHaveLength(1);
    expect(r.successList[0]?.['orderId']).toMatch(/^\d+$/);
    expect(ok(await client.futures_position('BTCUSDT'))).toEqual([]);
    const intent = journal.intents.at(-1)?.[0];
    expect(intent).toMatchObject({ action: 'close_position', method: 'futures_close_position', symbol: 'BTCUSDT', tradeSide: 'close' });
    expect(intent?.clientOid).toMatch(/^tbxclose[0-9a-f]{24}$/);
    expect(journal.outcomes.at(-1)).toEqual([
      expect.objectContaining({ clientOid: intent?.clientOid, status: 'accepted', orderId: r.successList[0]?.['orderId'] }),
    ]);
    // the host reference is not sent to Bitget
    const body = JSON.parse((await fx.requests('/api/v2/mix/order/close-positions')).at(-1)?.body ?? '{}') as Row;
    expect(body).toEqual({ symbol: 'BTCUSDT', productType: 'USDT-FUTURES' });
  });

  it('futures_close_position in hedge mode: one side by hold_side (named form)', async () => {
    const { client } = await fx.client(mode);
    await client.futures_set_position_mode('hedge_mode');
    await client.futures_place_order({ symbol: 'ETHUSDT', side: 'buy', trade_side: 'open', size: '0.1' });
    await client.futures_place_order({ symbol: 'ETHUSDT', side: 'sell', trade_side: 'open', size: '0.2' });
    expect(ok<Row[]>(await client.futures_position('ETHUSDT')).map((p) => p['holdSide']).sort()).toEqual(['long', 'short']);
    const r = ok<{ successList: Row[] }>(await client.futures_close_position({ symbol: 'ETHUSDT', hold_side: 'long' }));
    expect(r.successList).toHaveLength(1);
    const left = ok<Row[]>(await client.futures_position('ETHUSDT'));
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ holdSide: 'short', total: '0.2' });
    expect(left[0]?.['openPriceAvg']).toMatch(DECIMAL);
  });
});
