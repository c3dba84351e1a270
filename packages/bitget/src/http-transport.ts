import { createHash } from 'node:crypto';
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { BitgetCredentialsError, BitgetNetworkError } from './errors.ts';
import type { BitgetErrorContext } from './errors.ts';
import type { WireParams } from './method-spec.ts';
import { parseResponse, parseResponseText } from './parse-response.ts';
import type { RateClass, RateLimiter } from './rate-limiter.ts';
import { RATE_LIMITS } from './rate-limiter.ts';
import { buildQuery, signRequest } from './signing.ts';
import type { BitgetCredentials, BitgetMode, BitgetResponse, BitgetTimeouts } from './types.ts';

export const DEFAULT_TIMEOUTS = { connectMs: 5000, headersMs: 8000, bodyMs: 8000 } as const;

/** A keep-alive pool for Bitget; create one per process and pass it to every client. */
export function createBitgetDispatcher(timeouts: BitgetTimeouts = {}): Dispatcher {
  return new Agent({
    connect: { timeout: timeouts.connectMs ?? DEFAULT_TIMEOUTS.connectMs },
    headersTimeout: timeouts.headersMs ?? DEFAULT_TIMEOUTS.headersMs,
    bodyTimeout: timeouts.bodyMs ?? DEFAULT_TIMEOUTS.bodyMs,
    keepAliveTimeout: 10_000,
    connections: 16,
  });
}

export interface HttpCall {
  /** Worker-facing method name, for error context. */
  method: string;
  httpMethod: 'GET' | 'POST';
  path: string;
  params: WireParams;
  auth: boolean;
  rateClass: RateClass;
  /** GETs only: retried after network errors and 5xx. */
  retry: boolean;
}

export interface TransportOptions {
  baseUrl: string;
  mode: BitgetMode;
  credentials: BitgetCredentials | undefined;
  missingKeyMessage: string;
  dispatcher: Dispatcher;
  limiter: RateLimiter;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  maxRateLimitWaitMs: number;
  getRetries: number;
  retryBaseMs: number;
  timeouts: BitgetTimeouts;
}

export interface Transport {
  /**
   * Takes a rate-limit token for the call (done by send unless `tokenTaken`): undefined when it
   * is free now, else a promise of the wait (RateLimiter.acquire).
   */
  acquire(call: HttpCall): Promise<void> | undefined;
  send(call: HttpCall, opts?: { tokenTaken?: boolean }): Promise<BitgetResponse>;
  /**
   * send for a caller that only hands the JSON on: the body text of a success. A body that
   * opens like a v2 success envelope (see SUCCESS_PREFIX in parse-response.ts) is passed
   * through without being parsed here; anything else is classified exactly as send does.
   */
  sendText(call: HttpCall): Promise<string>;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const o = e as { code?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof o.code === 'string') return o.code;
  if (Array.isArray(o.errors) && o.errors.length > 0) return errorCode(o.errors[0]);
  return o.cause === undefined ? undefined : errorCode(o.cause);
}

/** Maps undici/socket failures; only connect-phase failures are known not to have reached Bitget. */
function networkError(e: unknown, context: BitgetErrorContext): BitgetNetworkError {
  const code = errorCode(e) ?? 'UNKNOWN';
  const maybeSent = !NOT_SENT_CODES.has(code);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new BitgetNetworkError('TIMEOUT', 'connect timed out', context, { maybeSent, cause: e });
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new BitgetNetworkError('TIMEOUT', 'timed out waiting for the response', context, { maybeSent, cause: e });
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return new BitgetNetworkError('TIMEOUT', 'timed out reading the response body', context, { maybeSent, cause: e });
  }
  const what = maybeSent ? 'connection failed during the request' : 'could not connect';
  return new BitgetNetworkError('CONNECTION', `${what} (${code})`, context, { maybeSent, cause: e });
}

function retryable(e: unknown): boolean {
  if (!(e instanceof BitgetNetworkError)) return false;
  return e.code === 'TIMEOUT' || e.code === 'CONNECTION' || (e.status !== undefined && e.status >= 500);
}

export function createTransport(opts: TransportOptions): Transport {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const host = new URL(baseUrl).host;
  // Buckets are keyed by a digest so the registry never holds the key itself.
  const keyScope = opts.credentials
    ? `key:${createHash('sha256').update(opts.credentials.apiKey).digest('hex').slice(0, 24)}`
    : undefined;

  function scopeOf(call: HttpCall): string {
    if (RATE_LIMITS[call.rateClass].scope === 'ip' || keyScope === undefined) return `ip:${host}`;
    return keyScope;
  }

  function acquire(call: HttpCall): Promise<void> | undefined {
    return opts.limiter.acquire(scopeOf(call), call.rateClass, opts.maxRateLimitWaitMs);
  }

  /** Sends one request: its status and body text, or a BitgetNetworkError. */
  async function once(call: HttpCall, context: BitgetErrorContext): Promise<{ status: number; text: string }> {
    const isGet = call.httpMethod === 'GET';
    // Serialised once: these exact strings go on the wire and into the signature.
    const query = isGet ? buildQuery(call.params) : '';
    const body = isGet ? '' : JSON.stringify(call.params);
    const headers: Record<string, string> = { 'content-type': 'application/json', locale: 'en-US' };
    if (opts.mode === 'demo') headers['paptrading'] = '1';
    if (call.auth) {
      const creds = opts.credentials;
      if (!creds) throw new BitgetCredentialsError(opts.missingKeyMessage);
      const timestamp = String(opts.now());
      headers['ACCESS-KEY'] = creds.apiKey;
      headers['ACCESS-SIGN'] = signRequest(creds.secret, timestamp, call.httpMethod, call.path, query, body);
      headers['ACCESS-TIMESTAMP'] = timestamp;
      headers['ACCESS-PASSPHRASE'] = creds.passphrase;
    }
    const url = `${baseUrl}${call.path}${query === '' ? '' : `?${query}`}`;
    try {
      const res = await request(url, {
        method: call.httpMethod,
        headers,
        ...(isGet ? {} : { body }),
        dispatcher: opts.dispatcher,
        headersTimeout: opts.timeouts.headersMs ?? DEFAULT_TIMEOUTS.headersMs,
        bodyTimeout: opts.timeouts.bodyMs ?? DEFAULT_TIMEOUTS.bodyMs,
      });
      return { status: res.statusCode, text: await res.body.text() };
    } catch (e) {
      throw networkError(e, context);
    }
  }

  /** The request with its rate-limit token and GET retries; `read` classifies each answer. */
  async function attempt<T>(call: HttpCall, tokenTaken: boolean, read: (status: number, text: string, context: BitgetErrorContext) => T): Promise<T> {
    const context: BitgetErrorContext = { method: call.method, path: call.path, params: call.params };
    const attempts = call.retry ? 1 + Math.max(0, opts.getRetries) : 1;
    for (let n = 0; ; n++) {
      if (n > 0 || !tokenTaken) {
        // A free token is answered synchronously: no promise on the hot path.
        const wait = acquire(call);
        if (wait !== undefined) await wait;
      }
      try {
        const { status, text } = await once(call, context);
        return read(status, text, context);
      } catch (e) {
        if (n + 1 >= attempts || !retryable(e)) throw e;
        await opts.sleep(Math.min(opts.retryBaseMs * 2 ** n, 2000));
      }
    }
  }

  return {
    acquire,
    send: (call, sendOpts = {}) => attempt(call, sendOpts.tokenTaken === true, parseResponse),
    sendText: (call) => attempt(call, false, parseResponseText),
  };
}
