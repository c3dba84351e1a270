import type { MethodSpec } from '../method-spec.ts';
import { ACCOUNT_METHODS } from './account.ts';
import { MARKET_METHODS } from './market.ts';
import { ORDER_METHODS } from './order.ts';
import { PLAN_METHODS } from './plan.ts';
import { POSITION_METHODS } from './position.ts';
import { SPOT_METHODS } from './spot.ts';

/** Every ctx.bitget method: name, HTTP method, path, auth, rate class and parameters. */
export const BITGET_METHODS: readonly MethodSpec[] = Object.freeze([
  ...MARKET_METHODS,
  ...ACCOUNT_METHODS,
  ...POSITION_METHODS,
  ...ORDER_METHODS,
  ...PLAN_METHODS,
  ...SPOT_METHODS,
]);

/** The 15 methods of the reference SDK, whose signatures are reproduced exactly. */
export const REFERENCE_METHOD_NAMES = [
  'futures_tickers', 'spot_tickers', 'futures_candles', 'spot_candles', 'futures_orderbook', 'futures_accounts',
  'spot_assets', 'futures_positions', 'futures_pending_orders', 'futures_orders_history', 'futures_place_order',
  'futures_cancel_order', 'futures_close_position', 'futures_set_leverage', 'spot_place_order',
] as const;
