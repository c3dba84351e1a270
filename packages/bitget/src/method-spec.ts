import type { RateClass } from './rate-limiter.ts';

// The endpoint tables (endpoints/*.ts) are plain data plus small pure hooks, so a future v3
// (Unified Trading Account) table can sit behind the same method names and transport.

export type ParamType =
  | 'string'
  | 'symbol' // upper-cased
  | 'coin' // upper-cased
  | 'enum'
  | 'decimal' // string or finite number, sent as a plain decimal string
  | 'integer' // non-negative integer, number or digit string, sent as a string
  | 'client_oid' // [A-Za-z0-9_.-], 1..50 chars
  | 'yes_no' // "YES" | "NO" or a boolean
  | 'order_list'; // array of order items (batch place)

export interface ParamSpec {
  /** Worker-facing (snake_case) name. */
  readonly name: string;
  /** Bitget v2 field name; absent when the parameter is accepted but not sent. */
  readonly wire?: string;
  readonly type: ParamType;
  readonly required?: boolean;
  /** The documented literal default (the reference SDK's), applied when the caller omits it. */
  readonly default?: string | number;
  /** Default computed per call; wins over `default` at runtime. */
  readonly defaultFrom?: 'productType' | 'marginCoin' | 'now';
  readonly values?: readonly string[];
  /** Enum matching is case-insensitive unless this is set (granularity: "1m" vs "1M"). */
  readonly caseSensitive?: boolean;
  /** Item fields of an order_list parameter. */
  readonly items?: readonly ParamSpec[];
  readonly doc: string;
}

export type ParamValue = string | ReadonlyArray<Record<string, string>> | undefined;
export type ResolvedParams = Readonly<Record<string, ParamValue>>;
export type WireParams = Record<string, unknown>;

export type OrderAction = 'place' | 'batch_place' | 'close_position' | 'plan' | 'tpsl';
export type ChangeAction = 'cancel' | 'modify' | 'cancel_all' | 'cancel_plan';
export type Family = 'market' | 'account' | 'position' | 'order' | 'plan' | 'spot';

export interface MethodSpec {
  readonly name: string;
  readonly family: Family;
  readonly market: 'spot' | 'futures';
  readonly httpMethod: 'GET' | 'POST';
  readonly path: string;
  readonly auth: boolean;
  readonly rateClass: RateClass;
  readonly summary: string;
  readonly params: readonly ParamSpec[];
  /** Order-creating calls: reported through beforeSend/afterSend, never resent blindly. */
  readonly orderAction?: OrderAction;
  /** Cancels/modifies: reported through onChange. */
  readonly changeAction?: ChangeAction;
  /** Cross-parameter rules; returns [param, message] of the first violation. */
  readonly check?: (p: ResolvedParams) => readonly [string, string] | undefined;
  /** Alternative path chosen from the arguments (e.g. one ticker vs all). */
  readonly route?: (p: ResolvedParams) => { path: string; rateClass?: RateClass } | undefined;
  /** Final touches on the wire parameters (renames that depend on several values). */
  readonly adjust?: (wire: WireParams, p: ResolvedParams) => void;
  /** Shapes the answer after success without touching any value (e.g. trims book levels). */
  readonly shape?: (response: { data: unknown }, p: ResolvedParams) => void;
}

export const PRODUCT_TYPES = ['USDT-FUTURES', 'USDC-FUTURES', 'COIN-FUTURES'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

export const FUTURES_GRANULARITIES = [
  '1m', '3m', '5m', '15m', '30m', '1H', '2H', '4H', '6H', '12H', '1D', '3D', '1W', '1M',
  '6Hutc', '12Hutc', '1Dutc', '3Dutc', '1Wutc', '1Mutc',
] as const;

export const SPOT_GRANULARITIES = [
  '1min', '3min', '5min', '15min', '30min', '1h', '4h', '6h', '12h', '1day', '3day', '1week', '1M',
  '6Hutc', '12Hutc', '1Dutc', '3Dutc', '1Wutc', '1Mutc',
] as const;

/** Shorthands for parameters that recur across the endpoint tables. */
export const param = {
  productType: (): ParamSpec => ({
    name: 'product_type',
    wire: 'productType',
    type: 'enum',
    values: PRODUCT_TYPES,
    defaultFrom: 'productType',
    doc: 'USDT-FUTURES | USDC-FUTURES | COIN-FUTURES',
  }),
  symbol: (required: boolean, doc = 'e.g. BTCUSDT'): ParamSpec => ({
    name: 'symbol', wire: 'symbol', type: 'symbol', required, doc,
  }),
  marginCoin: (): ParamSpec => ({
    name: 'margin_coin',
    wire: 'marginCoin',
    type: 'coin',
    default: 'USDT',
    defaultFrom: 'marginCoin',
    doc: 'margin coin, upper case',
  }),
  marginMode: (): ParamSpec => ({
    name: 'margin_mode', wire: 'marginMode', type: 'enum', values: ['isolated', 'crossed'], default: 'isolated',
    doc: 'isolated | crossed',
  }),
  side: (): ParamSpec => ({ name: 'side', wire: 'side', type: 'enum', values: ['buy', 'sell'], required: true, doc: 'buy | sell' }),
  size: (doc: string): ParamSpec => ({ name: 'size', wire: 'size', type: 'decimal', required: true, doc }),
  price: (doc = 'limit price; required when order_type is "limit"'): ParamSpec => ({
    name: 'price', wire: 'price', type: 'decimal', doc,
  }),
  orderType: (): ParamSpec => ({
    name: 'order_type', wire: 'orderType', type: 'enum', values: ['market', 'limit'], default: 'market', doc: 'market | limit',
  }),
  tradeSide: (): ParamSpec => ({
    name: 'trade_side', wire: 'tradeSide', type: 'enum', values: ['open', 'close'],
    doc: 'open | close, hedge mode only (omit in one-way mode)',
  }),
  force: (): ParamSpec => ({
    name: 'force', wire: 'force', type: 'enum', values: ['gtc', 'ioc', 'fok', 'post_only'], default: 'gtc',
    doc: 'gtc | ioc | fok | post_only',
  }),
  reduceOnly: (): ParamSpec => ({ name: 'reduce_only', wire: 'reduceOnly', type: 'yes_no', doc: 'YES | NO (one-way mode)' }),
  clientOid: (doc = 'your order id ([A-Za-z0-9_.-], <= 50); generated by the host when omitted'): ParamSpec => ({
    name: 'client_oid', wire: 'clientOid', type: 'client_oid', doc,
  }),
  orderId: (): ParamSpec => ({ name: 'order_id', wire: 'orderId', type: 'string', doc: 'exchange order id' }),
  holdSide: (doc = 'long | short (hedge mode)'): ParamSpec => ({
    name: 'hold_side', wire: 'holdSide', type: 'enum', values: ['long', 'short'], doc,
  }),
  limit: (def: number | undefined, doc: string): ParamSpec => ({
    name: 'limit', wire: 'limit', type: 'integer', ...(def === undefined ? {} : { default: def }), doc,
  }),
  time: (name: 'start_time' | 'end_time', doc = 'ms timestamp'): ParamSpec => ({
    name, wire: name === 'start_time' ? 'startTime' : 'endTime', type: 'integer', doc,
  }),
  idLessThan: (): ParamSpec => ({
    name: 'id_less_than', wire: 'idLessThan', type: 'string', doc: 'pagination cursor: endId of the previous page',
  }),
};

/** Cross-field rule: `limit` must not exceed the endpoint's maximum. */
export function limitAtMost(max: number) {
  return (p: ResolvedParams): readonly [string, string] | undefined =>
    typeof p['limit'] === 'string' && Number(p['limit']) > max ? ['limit', `limit must be at most ${max}`] : undefined;
}

/** [param, message] when neither of two id parameters is given. */
export function requireOneOf(p: ResolvedParams, a: string, b: string): readonly [string, string] | undefined {
  return p[a] === undefined && p[b] === undefined ? [a, `${a} or ${b} is required`] : undefined;
}
