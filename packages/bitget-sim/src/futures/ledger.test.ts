import { describe, expect, it } from 'vitest';
import { d } from '../decimal.ts';
import { findFutures } from '../market/instruments.ts';
import { feeFor, orderMargin, pnlFor } from './ledger.ts';

const linear = findFutures('USDT-FUTURES', 'BTCUSDT')!;
const inverse = findFutures('COIN-FUTURES', 'BTCUSD')!;

describe('futures arithmetic', () => {
  it('linear P&L, fee and margin are exact decimals', () => {
    expect(pnlFor(linear, 'long', d('60000.1'), d('61000'), d('0.01')).toFixed()).toBe('9.999');
    expect(pnlFor(linear, 'short', d('60000'), d('61000'), d('0.02')).toFixed()).toBe('-20');
    expect(feeFor(linear, d('0.1').add('0.2'), d(1000), linear.takerFeeRate).toFixed()).toBe('0.18');
    expect(orderMargin(linear, d('60000.1'), d('0.01'), '10').toFixed()).toBe('60.0001');
  });

  it('inverse contracts settle in the base coin', () => {
    // 1 BTC long from 50000 to 60000: 1 × (60000 − 50000) / 60000 BTC.
    expect(pnlFor(inverse, 'long', d(50000), d(60000), d(1)).toFixed()).toBe('0.166666666667');
    expect(feeFor(inverse, d(60000), d('0.5'), inverse.takerFeeRate).toFixed()).toBe('0.0003');
    expect(orderMargin(inverse, d(60000), d('0.5'), '20').toFixed()).toBe('0.025');
  });
});
