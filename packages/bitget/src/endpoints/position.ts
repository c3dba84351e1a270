import { param } from '../method-spec.ts';
import type { MethodSpec } from '../method-spec.ts';

// Futures positions and the flash close.

export const POSITION_METHODS: readonly MethodSpec[] = [
  {
    name: 'futures_positions', family: 'position', market: 'futures', httpMethod: 'GET',
    path: '/api/v2/mix/position/all-position', auth: true, rateClass: 'all-position',
    summary: 'All open futures positions of the product type.',
    params: [param.productType(), param.marginCoin()],
  },
  {
    name: 'futures_position', family: 'position', market: 'futures', httpMethod: 'GET',
    path: '/api/v2/mix/position/single-position', auth: true, rateClass: 'account',
    summary: 'Open position(s) of one symbol: [] when flat, two rows in hedge mode with both sides open.',
    params: [param.symbol(true), param.productType(), param.marginCoin()],
  },
  {
    name: 'futures_close_position', family: 'position', market: 'futures', httpMethod: 'POST',
    path: '/api/v2/mix/order/close-positions', auth: true, rateClass: 'close-positions', orderAction: 'close_position',
    summary: 'Close a position at market: {successList, failureList}.',
    params: [param.symbol(true), param.holdSide('long | short in hedge mode (omit → both sides); ignored in one-way mode'), param.productType()],
  },
];
