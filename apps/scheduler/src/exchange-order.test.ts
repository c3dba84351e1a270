import { describe, expect, it } from 'vitest';
import { exactDecimal, normalise, spotFee } from './exchange-order.ts';

describe('exchange order normalisation', () => {
  it('keeps every digit of amounts, including the JSON numbers inside spot feeDetail', () => {
    expect(exactDecimal('0.123456789012345678')!.toString()).toBe('0.123456789012345678');
    expect(exactDecimal('')).toBeNull();
    expect(exactDecimal(undefined)).toBeNull();
    const detail = '{"newFees":{"c":0,"d":0,"deduction":false,"r":-0.000000123456789012345,"t":-0.000000123456789012345,"totalDeductionFee":0},'
      + '"BTC":{"deduction":false,"feeCoinCode":"BTC","totalDeductionFee":0,"totalFee":-0.000000123456789012345}}';
    expect(spotFee(detail)!.toFixed()).toBe('-0.000000123456789012345');
    // Two fee coins (a BGB deduction): the total from newFees.
    const two = '{"newFees":{"t":-0.5},"BGB":{"totalFee":-0.2},"USDT":{"totalFee":-0.3}}';
    expect(spotFee(two)!.toString()).toBe('-0.5');
    expect(spotFee('not json')).toBeNull();
  });

  it('maps both spellings of cancelled, leaves unknown states undefined, and has no average price before a fill', () => {
    expect(normalise('futures', { orderId: '1', state: 'canceled', baseVolume: '0', priceAvg: '', fee: '0', totalProfits: '0' }))
      .toMatchObject({ status: 'cancelled', fillPrice: null });
    expect(normalise('spot', { orderId: '1', status: 'cancelled', baseVolume: '0.0000000000000000', priceAvg: '0.0000000000000000' }))
      .toMatchObject({ status: 'cancelled', fillPrice: null, realizedPnl: null });
    expect(normalise('futures', { orderId: '1', state: 'live' }).status).toBe('accepted');
    expect(normalise('futures', { orderId: '1', state: 'partially_filled', baseVolume: '0.5', priceAvg: '100.5' }))
      .toMatchObject({ status: 'partially_filled' });
    expect(normalise('futures', { orderId: '1', state: 'weird' }).status).toBeUndefined();
  });
});
