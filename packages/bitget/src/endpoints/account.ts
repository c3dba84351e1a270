import { param } from '../method-spec.ts';
import type { MethodSpec } from '../method-spec.ts';

// Futures account reads and account settings (leverage, margin mode, position mode).

export const ACCOUNT_METHODS: readonly MethodSpec[] = [
  {
    name: 'futures_accounts', family: 'account', market: 'futures', httpMethod: 'GET', path: '/api/v2/mix/account/accounts',
    auth: true, rateClass: 'account',
    summary: 'Futures balances (equity, available, locked) of every margin coin of the product type.',
    params: [
      param.productType(),
      // The endpoint has no coin filter: kept for reference-SDK compatibility, not sent.
      { ...param.marginCoin(), wire: undefined, doc: 'accepted for compatibility; the endpoint returns every margin coin' },
    ],
  },
  {
    name: 'futures_account', family: 'account', market: 'futures', httpMethod: 'GET', path: '/api/v2/mix/account/account',
    auth: true, rateClass: 'account',
    summary: 'One margin-coin account for a symbol, incl. current leverage, marginMode and posMode.',
    params: [param.symbol(true), param.productType(), param.marginCoin()],
  },
  {
    name: 'futures_set_leverage', family: 'account', market: 'futures', httpMethod: 'POST',
    path: '/api/v2/mix/account/set-leverage', auth: true, rateClass: 'account-settings',
    summary: 'Set leverage of a symbol (hold_side only matters for isolated margin in hedge mode).',
    params: [
      param.symbol(true),
      { name: 'leverage', wire: 'leverage', type: 'integer', required: true, doc: 'a whole number ≥ 1, e.g. 5 or "5"' },
      param.holdSide(),
      param.productType(),
      param.marginCoin(),
    ],
    check: (p) => (/^0+$/.test(String(p['leverage'])) ? ['leverage', 'leverage must be at least 1'] : undefined),
  },
  {
    name: 'futures_set_margin_mode', family: 'account', market: 'futures', httpMethod: 'POST',
    path: '/api/v2/mix/account/set-margin-mode', auth: true, rateClass: 'account-settings',
    summary: 'Switch a symbol between isolated and crossed margin (fails with open positions/orders).',
    params: [
      param.symbol(true),
      { ...param.marginMode(), required: true, default: undefined },
      param.productType(),
      param.marginCoin(),
    ],
  },
  {
    name: 'futures_set_position_mode', family: 'account', market: 'futures', httpMethod: 'POST',
    path: '/api/v2/mix/account/set-position-mode', auth: true, rateClass: 'account-settings',
    summary: 'Switch the whole product type between one-way and hedge mode (fails with open positions/orders).',
    params: [
      { name: 'pos_mode', wire: 'posMode', type: 'enum', values: ['one_way_mode', 'hedge_mode'], required: true, doc: 'one_way_mode | hedge_mode' },
      param.productType(),
    ],
  },
];
