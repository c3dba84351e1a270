import type { Dispatcher } from 'undici';
import type { RateLimiter } from './rate-limiter.ts';
import type { BitgetMethods } from './worker-api.d.ts';

export type { BitgetResponse } from './worker-api.d.ts';
import type { BitgetResponse } from './worker-api.d.ts';

export type BitgetMode = 'live' | 'demo' | 'sim';

export interface BitgetCredentials {
  apiKey: string;
  secret: string;
  passphrase: string;
}

export interface BitgetTimeouts {
  /** TCP/TLS connect; only applies to the dispatcher the client creates itself. Default 5000. */
  connectMs?: number;
  /** Until the response headers arrive. Default 8000. */
  headersMs?: number;
  /** Between body chunks. Default 8000. */
  bodyMs?: number;
}

export interface BitgetClientOptions {
  /** e.g. https://api.bitget.com or the simulator's origin (no path prefix: paths are signed as /api/v2/…). */
  baseUrl: string;
  mode: BitgetMode;
  credentials?: BitgetCredentials;
  /** Default product_type of every futures call. Default USDT-FUTURES. */
  productType?: 'USDT-FUTURES' | 'USDC-FUTURES' | 'COIN-FUTURES';
  /** Shared by every client of the same key; default: a registry private to this client. */
  limiter?: RateLimiter;
  /** Keep-alive pool to use; default: one created for (and closed with) this client. */
  dispatcher?: Dispatcher;
  hooks?: OrderHooks;
  /**
   * Called when afterSend or onChange throws. Once the exchange has answered, the order exists
   * (or the cancel happened): the call still returns the exchange's answer, so that worker code
   * never retries — and doubles — an order because the host failed to write it down.
   */
  onHookError?: (error: unknown, hook: 'afterSend' | 'onChange') => void;
  now?: () => number;
  /** Default: 'tbx' + 32 hex chars. Must produce [A-Za-z0-9_-], at most 40 chars. */
  newClientOid?: () => string;
  missingKeyMessage?: string;
  /** Longest wait for a rate-limit token before failing with RATE_LIMITED. Default 2000. */
  maxRateLimitWaitMs?: number;
  /** Retries of GET requests after network errors and 5xx. Default 2. */
  getRetries?: number;
  /** First backoff delay of GET retries, doubled per retry, capped at 2000 ms. Default 200. */
  retryBaseMs?: number;
  /** Delays before each clientOid lookup after an ambiguous order failure. Default [250, 1000]. */
  lookupDelaysMs?: readonly number[];
  timeouts?: BitgetTimeouts;
  /** Injectable for tests; default setTimeout-based. */
  sleep?: (ms: number) => Promise<void>;
}

export interface BitgetClient extends BitgetMethods {
  /** Dispatch by method name; args is exactly what worker code passed (positional values, or a single named-params object). */
  call(method: string, args: readonly unknown[]): Promise<BitgetResponse>;
  /** As call(), the response as JSON text: Bitget's body as received when it needed no normalising (no parse-and-serialise round for callers that pass JSON on). */
  callJson(method: string, args: readonly unknown[]): Promise<string>;
  readonly methodNames: readonly string[];
  /** Closes the dispatcher if the client created it; a no-op for an injected one. */
  close(): Promise<void>;
}

export interface OrderIntent {
  /** Unique per order; close-positions (no clientOid at Bitget) gets a host reference 'tbxclose…'. */
  clientOid: string;
  method: string;
  /** 'replace': the order a futures_modify_order with a new size and price places in place of another. */
  action: 'place' | 'batch_place' | 'close_position' | 'plan' | 'tpsl' | 'replace';
  market: 'spot' | 'futures';
  /** For 'replace': the order it replaces, as the worker named it (orderId and/or clientOid). */
  replaces?: { orderId?: string; clientOid?: string };
  productType?: string;
  symbol: string;
  side?: string;
  tradeSide?: string;
  orderType?: string;
  force?: string;
  marginMode?: string;
  marginCoin?: string;
  reduceOnly?: string;
  size?: string;
  price?: string;
  /** The JSON body sent (for a batch item: the common fields plus orderList with only that item). */
  request: Record<string, unknown>;
}

export interface OrderOutcome {
  clientOid: string;
  status: 'accepted' | 'rejected' | 'failed';
  orderId?: string;
  errorCode?: string;
  errorMessage?: string;
  response?: unknown;
}

export interface OrderChange {
  method: string;
  action: 'cancel' | 'modify' | 'cancel_all' | 'cancel_plan';
  symbol?: string;
  orderId?: string;
  clientOid?: string;
  newClientOid?: string;
  /** A modify with a new size and price: Bitget cancelled the order and placed `newClientOid` in its place. */
  replaced?: boolean;
  ok: boolean;
  response?: unknown;
  errorCode?: string;
}

export interface OrderHooks {
  /** Awaited BEFORE the request; if it throws, nothing is sent and the error propagates. */
  beforeSend?(intents: OrderIntent[]): Promise<void>;
  /** Awaited after; rejected = exchange error code; failed = network/ambiguous-not-found. Its errors go to onHookError, never to the caller. */
  afterSend?(outcomes: OrderOutcome[]): Promise<void>;
  onChange?(change: OrderChange): Promise<void>;
}
