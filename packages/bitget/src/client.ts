import { randomBytes } from 'node:crypto';
import { BITGET_METHODS } from './endpoints/all-methods.ts';
import { BitgetCredentialsError, BitgetValidationError } from './errors.ts';
import { createBitgetDispatcher, createTransport } from './http-transport.ts';
import type { HttpCall } from './http-transport.ts';
import type { MethodSpec, ResolvedParams } from './method-spec.ts';
import { PRODUCT_TYPES } from './method-spec.ts';
import { createOrderFlow } from './order-flow.ts';
import { normalizeArgs, resolveParams, toWire } from './params.ts';
import { responseText } from './parse-response.ts';
import { createRateLimiterRegistry } from './rate-limiter.ts';
import type { BitgetClient, BitgetClientOptions, BitgetResponse, OrderHooks } from './types.ts';

export const DEFAULT_MISSING_KEY_MESSAGE = "No Bitget key bound to this worker. Bind one: the key field in the dashboard's worker editor, tickbox workers deploy FILE --key NAME, or PATCH /api/workers/:id {keyId}.";

const CLIENT_OID_RE = /^[A-Za-z0-9_-]{1,40}$/;

/** 'tbx' + 32 hex chars: unique, and safe in a query string without encoding (CONTRACT §2.3). */
export function defaultNewClientOid(): string {
  return `tbx${randomBytes(16).toString('hex')}`;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function checkOptions(o: BitgetClientOptions): void {
  if (typeof o.baseUrl !== 'string' || !/^https?:\/\//.test(o.baseUrl)) {
    throw new TypeError('createBitgetClient: baseUrl must be an http(s) URL');
  }
  if (o.mode !== 'live' && o.mode !== 'demo' && o.mode !== 'sim') {
    throw new TypeError("createBitgetClient: mode must be 'live', 'demo' or 'sim'");
  }
  if (o.productType !== undefined && !(PRODUCT_TYPES as readonly string[]).includes(o.productType)) {
    throw new TypeError(`createBitgetClient: productType must be one of ${PRODUCT_TYPES.join(', ')}`);
  }
  const c = o.credentials;
  if (c !== undefined && !(c.apiKey && c.secret && c.passphrase)) {
    throw new TypeError('createBitgetClient: credentials need apiKey, secret and passphrase');
  }
}

export function createBitgetClient(options: BitgetClientOptions): BitgetClient {
  checkOptions(options);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const productType = options.productType ?? 'USDT-FUTURES';
  const missingKeyMessage = options.missingKeyMessage ?? DEFAULT_MISSING_KEY_MESSAGE;
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher = options.dispatcher ?? createBitgetDispatcher(options.timeouts);
  const generateOid = options.newClientOid ?? defaultNewClientOid;
  const newClientOid = (): string => {
    const oid = generateOid();
    // A malformed host id would be signed differently by client and server (§2.3): refuse it.
    if (!CLIENT_OID_RE.test(oid)) throw new TypeError('newClientOid must return 1-40 characters of [A-Za-z0-9_-]');
    return oid;
  };

  const transport = createTransport({
    baseUrl: options.baseUrl,
    mode: options.mode,
    credentials: options.credentials,
    missingKeyMessage,
    dispatcher,
    limiter: options.limiter ?? createRateLimiterRegistry({ now }),
    now,
    sleep,
    maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 2000,
    getRetries: options.getRetries ?? 2,
    retryBaseMs: options.retryBaseMs ?? 200,
    timeouts: options.timeouts ?? {},
  });
  const orders = createOrderFlow({
    transport,
    hooks: guardHooks(options.hooks ?? {}, options.onHookError),
    newClientOid,
    now,
    sleep,
    lookupDelaysMs: options.lookupDelaysMs ?? [250, 1000],
  });
  const specs = new Map<string, MethodSpec>(BITGET_METHODS.map((s) => [s.name, s]));

  /** Validates a call and builds its request (throws BitgetValidationError / BitgetCredentialsError). */
  function prepare(method: string, args: readonly unknown[]): { spec: MethodSpec; params: ResolvedParams; httpCall: HttpCall } {
    const spec = specs.get(method);
    if (spec === undefined) throw new BitgetValidationError(String(method), 'unknown ctx.bitget method');
    if (!Array.isArray(args)) throw new BitgetValidationError(spec.name, 'arguments must be passed as an array');
    if (spec.auth && options.credentials === undefined) throw new BitgetCredentialsError(missingKeyMessage);
    const params = resolveParams(spec, normalizeArgs(spec, args), { productType, now });
    const route = spec.route?.(params);
    const httpCall: HttpCall = {
      method: spec.name,
      httpMethod: spec.httpMethod,
      path: route?.path ?? spec.path,
      params: toWire(spec, params),
      auth: spec.auth,
      rateClass: route?.rateClass ?? spec.rateClass,
      retry: spec.httpMethod === 'GET',
    };
    return { spec, params, httpCall };
  }

  /** Sends a prepared call: orders and changes through the order flow (journal hooks), the rest as is. */
  async function dispatch(spec: MethodSpec, params: ResolvedParams, httpCall: HttpCall): Promise<BitgetResponse> {
    const response = spec.orderAction
      ? await orders.place(spec, httpCall)
      : spec.changeAction
        ? await orders.change(spec, httpCall)
        : await transport.send(httpCall);
    spec.shape?.(response, params);
    return response;
  }

  async function call(method: string, args: readonly unknown[]): Promise<BitgetResponse> {
    const { spec, params, httpCall } = prepare(method, args);
    return dispatch(spec, params, httpCall);
  }

  function callJson(method: string, args: readonly unknown[]): Promise<string> {
    let prepared: ReturnType<typeof prepare>;
    try {
      prepared = prepare(method, args);
    } catch (error) {
      return Promise.reject(error);
    }
    const { spec, params, httpCall } = prepared;
    // Reads and settings hand the exchange's text on as it came (transport.sendText); orders go
    // through the order flow (journal hooks), and a reshaped response no longer matches its text.
    if (!spec.orderAction && !spec.changeAction && spec.shape === undefined) return transport.sendText(httpCall);
    return dispatch(spec, params, httpCall).then((response) => (spec.shape === undefined ? responseText(response) : undefined) ?? JSON.stringify(response));
  }

  const client: Record<string, unknown> = {
    call,
    callJson,
    methodNames: Object.freeze(BITGET_METHODS.map((s) => s.name)),
    close: async () => {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
  for (const spec of BITGET_METHODS) {
    client[spec.name] = (...args: unknown[]) => call(spec.name, args);
  }
  return Object.freeze(client) as unknown as BitgetClient;
}

/** beforeSend may veto a request; after the exchange has answered, hook failures are reported, not thrown. */
function guardHooks(hooks: OrderHooks, onError: BitgetClientOptions['onHookError']): OrderHooks {
  const report = (error: unknown, hook: 'afterSend' | 'onChange') => {
    try { onError?.(error, hook); } catch { /* a failing reporter must not turn into a failed order */ }
  };
  return {
    beforeSend: hooks.beforeSend?.bind(hooks),
    afterSend: hooks.afterSend && (async (outcomes) => { try { await hooks.afterSend!(outcomes); } catch (e) { report(e, 'afterSend'); } }),
    onChange: hooks.onChange && (async (change) => { try { await hooks.onChange!(change); } catch (e) { report(e, 'onChange'); } }),
  };
}
