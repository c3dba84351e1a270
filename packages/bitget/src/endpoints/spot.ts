import { limitAtMost, param, requireOneOf } from '../method-spec.ts';
import type { MethodSpec } from '../method-spec.ts';
import { limitNeedsPrice } from './order.ts';

// Spot account and trading.

const listParams = [param.limit(undefined, 'at most 100'), param.idLessThan(), param.time('start_time'), param.time('end_time')];

export const SPOT_METHODS: readonly MethodSpec[] = [
  {
    name: 'spot_assets', family: 'spot', market: 'spot', httpMethod: 'GET', path: '/api/v2/spot/account/assets',
    auth: true, rateClass: 'account', summary: 'Spot balances per coin: {coin, available, frozen, locked, limitAvailable, uTime}.',
    params: [
      { name: 'coin', wire: 'coin', type: 'coin', doc: 'only this coin' },
      { name: 'asset_type', wire: 'assetType', type: 'enum', values: ['hold_only', 'all'], doc: 'hold_only (exchange default: non-zero only) | all' },
    ],
  },
  {
    name: 'spot_place_order', family: 'spot', market: 'spot', httpMethod: 'POST', path: '/api/v2/spot/trade/place-order',
    auth: true, rateClass: 'orders', orderAction: 'place', summary: 'Place a spot order: data {orderId, clientOid}.',
    params: [
      param.symbol(true),
      param.side(),
      param.size('limit and market-sell: base amount; market-buy: quote amount'),
      param.orderType(),
      param.price(),
      param.force(),
      param.clientOid(),
    ],
    check: limitNeedsPrice,
  },
  {
    name: 'spot_cancel_order', family: 'spot', market: 'spot', httpMethod: 'POST', path: '/api/v2/spot/trade/cancel-order',
    auth: true, rateClass: 'orders', changeAction: 'cancel', summary: 'Cancel one spot order by order_id or client_oid.',
    params: [param.symbol(true), param.orderId(), param.clientOid('client order id of the order to cancel')],
    check: (p) => requireOneOf(p, 'order_id', 'client_oid'),
  },
  {
    name: 'spot_open_orders', family: 'spot', market: 'spot', httpMethod: 'GET', path: '/api/v2/spot/trade/unfilled-orders',
    auth: true, rateClass: 'spot-order-reads', summary: 'Open spot orders (note: priceAvg holds the limit price here).',
    params: [param.symbol(false), ...listParams],
    check: limitAtMost(100),
  },
  {
    name: 'spot_orders_history', family: 'spot', market: 'spot', httpMethod: 'GET', path: '/api/v2/spot/trade/history-orders',
    auth: true, rateClass: 'spot-order-reads', summary: 'Filled and cancelled spot orders (last 90 days).',
    params: [param.symbol(false), ...listParams],
    check: limitAtMost(100),
  },
  {
    name: 'spot_order_detail', family: 'spot', market: 'spot', httpMethod: 'GET', path: '/api/v2/spot/trade/orderInfo',
    auth: true, rateClass: 'spot-order-reads', summary: 'One spot order (data is an array with one order).',
    params: [param.orderId(), param.clientOid('client order id')],
    check: (p) => requireOneOf(p, 'order_id', 'client_oid'),
  },
  {
    name: 'spot_fills', family: 'spot', market: 'spot', httpMethod: 'GET', path: '/api/v2/spot/trade/fills',
    auth: true, rateClass: 'orders', summary: 'Own spot trades.',
    params: [param.symbol(false), param.orderId(), ...listParams],
    check: limitAtMost(100),
  },
];
