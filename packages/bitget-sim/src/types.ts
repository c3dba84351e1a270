/** Public options and the persisted state model. All money values are decimal strings. */

export interface SimulatorLogger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
}

export interface SimulatorOptions {
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Seed of the deterministic price walk; default 1. */
  seed?: number;
  /** Persist accounts, orders, positions and price pins to this JSON file. */
  dataFile?: string;
  /** Replay prices from a candle CSV instead of the random walk. */
  candlesCsv?: string;
  /** Base clock (ms). Signature windows and rate limits use it; market time adds /sim/clock offsets. */
  now?: () => number;
  /** Per-endpoint rate limits; default true. */
  rateLimits?: boolean;
  /**
   * Serve /sim/ to any peer, not only loopback. Only for a private network where the
   * simulator runs in its own container (docker-compose.yml); never on a public interface.
   */
  adminFromAnyHost?: boolean;
  logger?: SimulatorLogger;
}

export interface Simulator {
  start(): Promise<string>;
  stop(): Promise<void>;
  readonly url: string;
  createAccount(spec: AccountSpec): void;
}

export interface AccountSpec {
  apiKey: string;
  secret: string;
  passphrase: string;
  demo?: boolean;
  balances?: { spot?: Record<string, string>; futures?: Record<string /* margin coin */, string> };
}

export type ProductType = 'USDT-FUTURES' | 'USDC-FUTURES' | 'COIN-FUTURES';
export type PosMode = 'one_way_mode' | 'hedge_mode';
export type MarginMode = 'isolated' | 'crossed';
export type HoldSide = 'long' | 'short';
export type Side = 'buy' | 'sell';
export type OrderType = 'limit' | 'market';
export type Force = 'gtc' | 'ioc' | 'fok' | 'post_only';
export type OrderStatus = 'live' | 'partially_filled' | 'filled' | 'canceled';

export interface SymbolSettings {
  marginMode: MarginMode;
  longLeverage: string;
  shortLeverage: string;
  crossLeverage: string;
}

export interface Position {
  productType: ProductType;
  symbol: string;
  marginCoin: string;
  holdSide: HoldSide;
  marginMode: MarginMode;
  leverage: string;
  total: string;
  /** Size reserved by resting close orders. */
  locked: string;
  openPriceAvg: string;
  /** Isolated: margin allocated; crossed: initial margin at open price. */
  margin: string;
  achievedProfits: string;
  /** Accumulated fees of this position (negative = paid). */
  totalFee: string;
  fundingFee: string;
  cTime: number;
  uTime: number;
}

export interface FuturesOrder {
  orderId: string;
  clientOid: string;
  productType: ProductType;
  symbol: string;
  marginCoin: string;
  marginMode: MarginMode;
  posMode: PosMode;
  side: Side;
  /** 'open' | 'close' in hedge mode, '' in one-way. */
  tradeSide: '' | 'open' | 'close';
  /** Position the order acts on (hedge) or '' (one-way, decided at fill time). */
  holdSide: '' | HoldSide;
  orderType: OrderType;
  force: Force;
  price: string;
  size: string;
  reduceOnly: boolean;
  leverage: string;
  status: OrderStatus;
  baseVolume: string;
  quoteVolume: string;
  fee: string;
  totalProfits: string;
  /** Margin currently frozen for the unfilled opening part of a resting order. */
  frozenMargin: string;
  /** Position size reserved (position `locked`) by a resting close / reduce-only order. */
  reservedSize: string;
  presetStopSurplusPrice: string;
  presetStopLossPrice: string;
  orderSource: string;
  /** Liquidation / flash-close orders carry their own tradeSide label. */
  label?: string;
  cancelReason: string;
  cTime: number;
  uTime: number;
}

export type PlanType = 'normal_plan' | 'track_plan' | 'profit_plan' | 'loss_plan' | 'moving_plan' | 'pos_profit' | 'pos_loss';

export interface PlanOrder {
  orderId: string;
  clientOid: string;
  planType: PlanType;
  productType: ProductType;
  symbol: string;
  marginCoin: string;
  marginMode: MarginMode;
  posMode: PosMode;
  side: Side;
  tradeSide: '' | 'open' | 'close';
  /** For TP/SL: the position side protected. */
  holdSide: '' | HoldSide;
  orderType: OrderType;
  size: string;
  price: string;
  triggerPrice: string;
  triggerType: string;
  /** 'up' fires when price >= trigger, 'down' when price <= trigger. */
  direction: 'up' | 'down';
  callbackRatio: string;
  /** Trailing: best price seen since activation. */
  extreme: string;
  activated: boolean;
  reduceOnly: boolean;
  stopSurplusTriggerPrice: string;
  stopSurplusExecutePrice: string;
  stopSurplusTriggerType: string;
  stopLossTriggerPrice: string;
  stopLossExecutePrice: string;
  stopLossTriggerType: string;
  planStatus: 'live' | 'executed' | 'cancelled' | 'fail_trigger';
  executeOrderId: string;
  cTime: number;
  uTime: number;
}

export interface FuturesFill {
  tradeId: string;
  orderId: string;
  productType: ProductType;
  symbol: string;
  marginCoin: string;
  side: Side;
  tradeSide: string;
  posMode: PosMode;
  price: string;
  baseVolume: string;
  quoteVolume: string;
  fee: string;
  feeCoin: string;
  profit: string;
  tradeScope: 'taker' | 'maker';
  cTime: number;
}

export interface SpotOrder {
  orderId: string;
  clientOid: string;
  symbol: string;
  side: Side;
  orderType: OrderType;
  force: Force;
  price: string;
  /** Base size for limit and market-sell; quote amount for market-buy. */
  size: string;
  status: OrderStatus;
  baseVolume: string;
  quoteVolume: string;
  fee: string;
  feeCoin: string;
  /** Amount still frozen for this order (quote for buys, base for sells). */
  frozen: string;
  cancelReason: string;
  cTime: number;
  uTime: number;
}

export interface SpotFill {
  tradeId: string;
  orderId: string;
  symbol: string;
  orderType: OrderType;
  side: Side;
  price: string;
  size: string;
  amount: string;
  fee: string;
  feeCoin: string;
  tradeScope: 'taker' | 'maker';
  cTime: number;
}

export interface SpotBalance {
  available: string;
  frozen: string;
  uTime: number;
}

export interface AccountState {
  apiKey: string;
  secret: string;
  passphrase: string;
  demo: boolean;
  uid: string;
  createdAt: number;
  spot: { balances: Record<string, SpotBalance>; orders: SpotOrder[]; fills: SpotFill[] };
  futures: {
    /** Wallet balance per `${productType}:${marginCoin}`. */
    wallets: Record<string, string>;
    posModes: Record<string, PosMode>;
    /** Per `${productType}:${symbol}:${marginCoin}`. */
    settings: Record<string, SymbolSettings>;
    positions: Position[];
    orders: FuturesOrder[];
    plans: PlanOrder[];
    fills: FuturesFill[];
  };
}

export type PriceSegment =
  | { from: number; kind: 'pin'; price: string }
  | { from: number; kind: 'scale'; factor: number };

export interface SimState {
  version: 1;
  seed: number;
  /** Anchor of the price walk (ms, minute aligned). */
  epochMs: number;
  clockOffsetMs: number;
  lastSyncMs: number;
  lastId: string;
  /** Per base coin. */
  priceSegments: Record<string, PriceSegment[]>;
  /** Funding-rate overrides per `${productType}:${symbol}`. */
  fundingOverrides: Record<string, string>;
  accounts: Record<string, AccountState>;
}
