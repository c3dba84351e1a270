export { createBitgetClient, defaultNewClientOid, DEFAULT_MISSING_KEY_MESSAGE } from './client.ts';
export { BITGET_METHODS, REFERENCE_METHOD_NAMES } from './endpoints/all-methods.ts';
export {
  BitgetAPIError,
  BitgetCredentialsError,
  BitgetError,
  BitgetNetworkError,
  BitgetOrderNotSentError,
  BitgetRateLimitError,
  BitgetValidationError,
} from './errors.ts';
export type { BitgetErrorContext, NetworkErrorCode } from './errors.ts';
export { createBitgetDispatcher, DEFAULT_TIMEOUTS } from './http-transport.ts';
export { FUTURES_GRANULARITIES, PRODUCT_TYPES, SPOT_GRANULARITIES } from './method-spec.ts';
export type { MethodSpec, ParamSpec, ParamType, ProductType } from './method-spec.ts';
export { defaultMarginCoin } from './params.ts';
export { parseResponse } from './parse-response.ts';
export { createRateLimiterRegistry, DEFAULT_QUEUE_MARGIN_MS, RATE_LIMITS } from './rate-limiter.ts';
export type { RateClass, RateLimiter, RateLimiterRegistry, RateLimiterRegistryOptions } from './rate-limiter.ts';
export { buildQuery, signRequest } from './signing.ts';
export type {
  BitgetClient,
  BitgetClientOptions,
  BitgetCredentials,
  BitgetMode,
  BitgetResponse,
  BitgetTimeouts,
  OrderChange,
  OrderHooks,
  OrderIntent,
  OrderOutcome,
} from './types.ts';
export type { BitgetMethods, WorkerContext } from './worker-api.d.ts';
