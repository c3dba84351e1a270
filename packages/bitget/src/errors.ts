// Error classes of the Bitget client. Every message is built from the method name, the API
// path, the exchange code and the exchange's own text only: never headers, signatures, keys,
// secrets or passphrases, because these errors travel into sandboxed worker code and logs.

export interface BitgetErrorContext {
  method: string;
  path: string;
  params?: Record<string, unknown>;
}

export class BitgetError extends Error {
  override name = 'BitgetError';
  readonly code: string;

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The exchange answered with an envelope whose `code` is not "00000". */
export class BitgetAPIError extends BitgetError {
  override name = 'BitgetAPIError';
  /** The exchange's `msg` (or `message`) text. */
  readonly detail: string;
  readonly context: BitgetErrorContext;
  /** HTTP status of the answer (usually 400, sometimes 200). */
  readonly status: number;
  readonly response: unknown;

  constructor(code: string, detail: string, context: BitgetErrorContext, status: number, response: unknown) {
    super(`Bitget API error ${code}: ${detail} (${context.method} ${context.path})`, code);
    this.detail = detail;
    this.context = context;
    this.status = status;
    this.response = response;
  }
}

export type NetworkErrorCode = 'TIMEOUT' | 'CONNECTION' | 'HTTP_STATUS' | 'BAD_RESPONSE';

/** Transport failures: timeouts, refused/reset connections, 5xx, bodies that are not a v2 envelope. */
export class BitgetNetworkError extends BitgetError {
  override name = 'BitgetNetworkError';
  /** HTTP status when an answer arrived, undefined for connection-level failures. */
  readonly status: number | undefined;
  readonly detail: string;
  readonly context: BitgetErrorContext;
  /**
   * False only when the request certainly never reached the exchange (connect failed).
   * Order placement treats `true` as ambiguous and looks the order up by clientOid.
   */
  readonly maybeSent: boolean;

  constructor(
    code: NetworkErrorCode,
    detail: string,
    context: BitgetErrorContext,
    opts: { status?: number; maybeSent: boolean; cause?: unknown },
  ) {
    const statusText = opts.status === undefined ? '' : ` HTTP ${opts.status}`;
    super(`Bitget network error${statusText}: ${detail} (${context.method} ${context.path})`, code, { cause: opts.cause });
    this.status = opts.status;
    this.detail = detail;
    this.context = context;
    this.maybeSent = opts.maybeSent;
  }
}

/** HTTP 429 from the exchange (code "429") or the local limiter gave up waiting (code "RATE_LIMITED"). */
export class BitgetRateLimitError extends BitgetError {
  override name = 'BitgetRateLimitError';
  /** Endpoint class of the local limiter, e.g. "orders"; undefined for an exchange 429. */
  readonly rateClass: string | undefined;
  readonly status: number | undefined;
  readonly context: BitgetErrorContext | undefined;

  constructor(
    code: '429' | 'RATE_LIMITED',
    message: string,
    opts: { rateClass?: string; status?: number; context?: BitgetErrorContext } = {},
  ) {
    super(message, code);
    this.rateClass = opts.rateClass;
    this.status = opts.status;
    this.context = opts.context;
  }
}

/** Bad arguments from worker code, raised before anything is sent. */
export class BitgetValidationError extends BitgetError {
  override name = 'BitgetValidationError';
  readonly method: string;
  readonly param: string | undefined;

  constructor(method: string, message: string, param?: string) {
    super(`${method}: ${message}`, 'INVALID_PARAMETER');
    this.method = method;
    this.param = param;
  }
}

/** A private endpoint was called on a client that has no API key bound. */
export class BitgetCredentialsError extends BitgetError {
  override name = 'BitgetCredentialsError';

  constructor(message: string) {
    super(message, 'NO_KEY');
  }
}

/**
 * The host refused to send an order: its beforeSend hook (the trade journal) could not record it,
 * so nothing was sent. `code` is `DUPLICATE_CLIENT_OID` (this key already has an order with that
 * clientOid) or `JOURNAL_FAILED`. Carries no cause: the host logs the original error itself.
 */
export class BitgetOrderNotSentError extends BitgetError {
  override name = 'BitgetOrderNotSentError';

  constructor(code: 'DUPLICATE_CLIENT_OID' | 'JOURNAL_FAILED', message: string) {
    super(message, code);
  }
}
