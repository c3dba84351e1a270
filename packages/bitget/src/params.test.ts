import { describe, expect, it } from 'vitest';
import { BITGET_METHODS } from './endpoints/all-methods.ts';
import { BitgetValidationError } from './errors.ts';
import type { MethodSpec } from './method-spec.ts';
import { defaultMarginCoin, normalizeArgs, resolveParams, toWire } from './params.ts';

const spec = (name: string): MethodSpec => {
  const s = BITGET_METHODS.find((m) => m.name === name);
  if (!s) throw new Error(name);
  return s;
};
const env = { productType: 'USDT-FUTURES', now: () => 1_700_000_000_000 };
const wire = (name: string, args: unknown[], e = env) => {
  const s = spec(name);
  return toWire(s, resolveParams(s, normalizeArgs(s, args), e));
};
const message = (name: string, args: unknown[]): string => {
  try {
    wire(name, args);
  } catch (e) {
    expect(e).toBeInstanceOf(BitgetValidationError);
    expect((e as BitgetValidationError).code).toBe('INVALID_PARAMETER');
    return (e as Error).message;
  }
  throw new Error('expected a validation error');
};

describe('calling forms', () => {
  it('positional and named forms give the same request', () => {
    const a = wire('futures_place_order', ['BTCUSDT', 'buy', '0.01', 'limit', '60000']);
    const b = wire('futures_place_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '0.01', order_type: 'limit', price: '60000' }]);
    expect(a).toEqual(b);
    expect(a).toEqual({
      symbol: 'BTCUSDT', side: 'buy', size: '0.01', orderType: 'limit', price: '60000', marginCoin: 'USDT',
      marginMode: 'isolated', productType: 'USDT-FUTURES', force: 'gtc',
    });
  });

  it('reproduces the reference defaults', () => {
    expect(wire('futures_candles', [])).toEqual({ symbol: 'BTCUSDT', granularity: '1H', productType: 'USDT-FUTURES', limit: '200' });
    expect(wire('spot_candles', [])).toEqual({ symbol: 'BTCUSDT', granularity: '1h', limit: '200' });
    expect(wire('futures_orders_history', [])).toEqual({ productType: 'USDT-FUTURES', limit: '50' });
    expect(wire('spot_place_order', ['BTCUSDT', 'buy', 10])).toEqual({ symbol: 'BTCUSDT', side: 'buy', size: '10', orderType: 'market', force: 'gtc' });
    expect(wire('futures_set_leverage', ['BTCUSDT', 5])).toEqual({ symbol: 'BTCUSDT', leverage: '5', productType: 'USDT-FUTURES', marginCoin: 'USDT' });
  });

  it('treats undefined and null as omitted', () => {
    expect(wire('futures_candles', [undefined, null, undefined, 24])).toEqual({
      symbol: 'BTCUSDT', granularity: '1H', productType: 'USDT-FUTURES', limit: '24',
    });
    expect(wire('futures_candles', [{ symbol: 'ETHUSDT', limit: null }])['limit']).toBe('200');
  });

  it('uses the client product type and explicit overrides', () => {
    expect(wire('futures_tickers', [], { ...env, productType: 'COIN-FUTURES' })).toEqual({ productType: 'COIN-FUTURES' });
    expect(wire('futures_tickers', ['usdc-futures'])).toEqual({ productType: 'USDC-FUTURES' });
  });

  it('rejects unknown named parameters and too many positional ones', () => {
    expect(message('futures_place_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '1', sizee: '2' }])).toMatch(
      /^futures_place_order: unknown parameter 'sizee'/,
    );
    expect(message('spot_tickers', ['BTCUSDT', 'x'])).toBe('spot_tickers: expected at most 1 positional argument (symbol), got 2');
  });
});

describe('validation', () => {
  it('names method and parameter', () => {
    expect(message('futures_place_order', ['BTCUSDT', 'buy', '0.01', 'limit'])).toBe(
      "futures_place_order: price is required when order_type is 'limit'",
    );
    expect(message('futures_place_order', [{ symbol: 'BTCUSDT', side: 'buy' }])).toBe('futures_place_order: size is required');
    expect(message('futures_place_order', ['BTCUSDT', 'long', '1'])).toBe(
      'futures_place_order: side must be one of buy, sell, got "long"',
    );
    expect(message('futures_tickers', [123])).toMatch(/^futures_tickers: product_type must be one of USDT-FUTURES/);
    expect(message('futures_candles', ['BTCUSDT', '1h'])).toMatch(/^futures_candles: granularity must be one of 1m, 3m/);
    expect(message('spot_candles', ['BTCUSDT', '1H'])).toMatch(/^spot_candles: granularity must be one of 1min/);
    expect(message('futures_cancel_order', ['BTCUSDT'])).toBe('futures_cancel_order: order_id or client_oid is required');
    expect(message('futures_candles', ['BTCUSDT', '1H', undefined, 5000])).toBe('futures_candles: limit must be at most 1000');
    // The contract's caps and rules the exchange would otherwise answer with an error code.
    for (const name of ['futures_fills', 'futures_pending_plan_orders', 'spot_open_orders', 'spot_orders_history', 'spot_fills']) {
      expect(message(name, [{ limit: 101 }]), name).toBe(`${name}: limit must be at most 100`);
      expect(() => wire(name, [{ limit: 100 }]), name).not.toThrow();
    }
    expect(message('futures_place_plan_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '0.01', trigger_price: '60000', price: '59000' }]))
      .toBe("futures_place_plan_order: price must be omitted when order_type is 'market' (the order fills at market once triggered)");
    expect(message('futures_set_leverage', ['BTCUSDT', '2.5'])).toBe('futures_set_leverage: leverage must be a non-negative integer, got "2.5"');
    expect(message('futures_set_leverage', ['BTCUSDT', 0])).toBe('futures_set_leverage: leverage must be at least 1');
    expect(wire('futures_set_leverage', ['BTCUSDT', 5])).toMatchObject({ leverage: '5' });
  });

  it('rejects NaN, Infinity, negative and malformed amounts, accepts finite numbers', () => {
    expect(message('futures_place_order', ['BTCUSDT', 'buy', Number.NaN])).toBe('futures_place_order: size must be a finite number, got NaN');
    expect(message('futures_place_order', ['BTCUSDT', 'buy', Infinity])).toBe('futures_place_order: size must be a finite number, got Infinity');
    expect(message('futures_place_order', ['BTCUSDT', 'buy', -1])).toMatch(/size must not be negative/);
    expect(message('futures_place_order', ['BTCUSDT', 'buy', '1e3'])).toMatch(/size must be a decimal string/);
    expect(message('futures_place_order', ['BTCUSDT', 'buy', '0.1', 'limit', 'abc'])).toMatch(/price must be a decimal string/);
    // The journal keeps 18 digits each side of the point: more would be rounded there, so it is refused.
    expect(message('futures_place_order', ['BTCUSDT', 'buy', '0.0000000000000000001'])).toBe(
      'futures_place_order: size has too many digits: at most 18 before and 18 after the decimal point, got "0.0000000000000000001"');
    expect(message('futures_place_order', ['BTCUSDT', 'buy', 1e-19])).toMatch(/size has too many digits/);
    expect(message('futures_place_order', ['BTCUSDT', 'buy', '0.1', 'limit', '1234567890123456789'])).toMatch(/price has too many digits/);
    expect(() => wire('futures_place_order', ['BTCUSDT', 'buy', '000000000000000000001.100000000000000000000000'])).not.toThrow();
    expect(wire('futures_place_order', ['BTCUSDT', 'buy', 0.1])['size']).toBe('0.1');
    expect(wire('futures_place_order', ['BTCUSDT', 'buy', 1e-7])['size']).toBe('0.0000001');
    expect(wire('futures_place_order', ['BTCUSDT', 'buy', '0.12345678901234567800'])['size']).toBe('0.12345678901234567800');
  });

  it('checks integers, client ids and yes/no flags', () => {
    expect(message('futures_candles', ['BTCUSDT', '1H', undefined, 1.5])).toBe('futures_candles: limit must be a non-negative integer, got number 1.5');
    expect(message('futures_place_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '1', client_oid: 'grid:1/2' }])).toMatch(
      /client_oid must be 1-50 characters of \[A-Za-z0-9_.-\]/,
    );
    expect(wire('futures_place_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '1', reduce_only: true }])['reduceOnly']).toBe('YES');
    expect(wire('futures_place_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '1', reduce_only: 'no' }])['reduceOnly']).toBe('NO');
  });

  it('normalises enum case and upper-cases symbols and coins', () => {
    const w = wire('futures_place_order', [{ symbol: 'btcusdt', side: 'BUY', size: '1', margin_coin: 'usdt', force: 'IOC' }]);
    expect(w).toMatchObject({ symbol: 'BTCUSDT', side: 'buy', marginCoin: 'USDT', force: 'ioc' });
  });

  it('validates batch items with their position in the message', () => {
    expect(message('futures_batch_place_orders', ['BTCUSDT', []])).toMatch(/order_list must be a non-empty array/);
    expect(message('futures_batch_place_orders', ['BTCUSDT', [{ side: 'buy', size: '1' }, { side: 'buy', size: '1', order_type: 'limit' }]])).toBe(
      "futures_batch_place_orders: order_list[1].price is required when order_type is 'limit'",
    );
    expect(message('futures_batch_place_orders', ['BTCUSDT', [{ side: 'buy' }]])).toBe('futures_batch_place_orders: order_list[0].size is required');
    expect(message('futures_batch_place_orders', ['BTCUSDT', [{ side: 'buy', size: '1', px: '1' }]])).toMatch(/unknown parameter 'order_list\[0\]\.px'/);
    expect(message('futures_batch_place_orders', ['BTCUSDT', Array.from({ length: 51 }, () => ({ side: 'buy', size: '1' }))])).toMatch(/at most 50/);
  });

  it('applies plan and TP/SL rules', () => {
    expect(message('futures_place_plan_order', [{ symbol: 'BTCUSDT', side: 'buy', size: '1', trigger_price: '1', plan_type: 'track_plan' }])).toBe(
      "futures_place_plan_order: callback_ratio is required when plan_type is 'track_plan'",
    );
    expect(message('futures_place_tpsl_order', ['BTCUSDT', 'profit_plan', '70000', 'long'])).toBe(
      "futures_place_tpsl_order: size is required when plan_type is 'profit_plan'",
    );
    expect(message('futures_modify_order', [{ symbol: 'BTCUSDT', order_id: '1', new_size: '1' }])).toBe(
      'futures_modify_order: new_size and new_price must be given together',
    );
    expect(message('futures_cancel_plan_order', ['BTCUSDT'])).toBe('futures_cancel_plan_order: order_id or client_oid is required');
  });
});

describe('margin coin defaults', () => {
  it('follows the product type, and the base coin for COIN-FUTURES', () => {
    expect(defaultMarginCoin('USDT-FUTURES', 'BTCUSDT')).toBe('USDT');
    expect(defaultMarginCoin('USDC-FUTURES', 'BTCPERP')).toBe('USDC');
    expect(defaultMarginCoin('COIN-FUTURES', 'BTCUSD')).toBe('BTC');
    expect(defaultMarginCoin('COIN-FUTURES', 'ETHUSD_231229')).toBe('ETH');
    expect(defaultMarginCoin('COIN-FUTURES', 'ETHUSDM24')).toBe('ETH');
    expect(defaultMarginCoin('COIN-FUTURES', undefined)).toBeUndefined();
  });

  it('is applied per call and an explicit value wins', () => {
    const coin = { ...env, productType: 'COIN-FUTURES' };
    expect(wire('futures_place_order', ['BTCUSD', 'buy', '1'], coin)['marginCoin']).toBe('BTC');
    expect(wire('futures_positions', [], coin)['marginCoin']).toBeUndefined();
    expect(wire('futures_place_order', [{ symbol: 'BTCPERP', side: 'buy', size: '1', product_type: 'USDC-FUTURES' }])['marginCoin']).toBe('USDC');
    expect(wire('futures_place_order', [{ symbol: 'BTCUSD', side: 'buy', size: '1', margin_coin: 'ETH' }], coin)['marginCoin']).toBe('ETH');
  });
});
