import { randomBytes } from 'node:crypto';
import { BitgetAPIError, BitgetError, BitgetNetworkError } from './errors.ts';
import type { HttpCall, Transport } from './http-transport.ts';
import type { MethodSpec, OrderAction } from './method-spec.ts';
import { lookupOrders } from './order-lookup.ts';
import type { BitgetResponse, OrderChange, OrderHooks, OrderIntent, OrderOutcome } from './types.ts';

// Order-creating calls are never resent: each order carries a clientOid, the host hears about
// it before and after the request, and an ambiguous failure is settled by looking it up.

export interface OrderFlowDeps {
  transport: Transport;
  hooks: OrderHooks;
  newClientOid: () => string;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  lookupDelaysMs: readonly number[];
}

type Body = Record<string, unknown>;
type Item = Record<string, string>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function intentOf(spec: MethodSpec, action: OrderAction, body: Body, clientOid: string, item?: Item): OrderIntent {
  const src: Body = item ?? body;
  const tpsl = action === 'tpsl';
  const request = item ? { ...body, orderList: [item] } : body;
  return {
    clientOid,
    method: spec.name,
    action,
    market: spec.market,
    productType: str(body['productType']),
    symbol: str(body['symbol']) ?? '',
    side: tpsl ? undefined : str(src['side']),
    tradeSide: action === 'close_position' ? 'close' : str(src['tradeSide']),
    orderType: tpsl ? (body['executePrice'] === undefined ? 'market' : 'limit') : action === 'close_position' ? 'market' : str(src['orderType']),
    force: str(src['force']),
    marginMode: str(body['marginMode']),
    marginCoin: str(body['marginCoin']),
    reduceOnly: str(src['reduceOnly']),
    size: str(src['size']),
    price: tpsl ? str(body['executePrice']) : str(src['price']),
    request,
  };
}

interface ListEntry {
  orderId?: unknown;
  clientOid?: unknown;
  errorCode?: unknown;
  errorMsg?: unknown;
}

function lists(data: unknown): { success: ListEntry[]; failure: ListEntry[] } {
  const d = (typeof data === 'object' && data !== null ? data : {}) as { successList?: unknown; failureList?: unknown };
  return {
    success: Array.isArray(d.successList) ? (d.successList as ListEntry[]) : [],
    failure: Array.isArray(d.failureList) ? (d.failureList as ListEntry[]) : [],
  };
}

function outcomesOf(action: OrderIntent['action'], intents: OrderIntent[], response: BitgetResponse): OrderOutcome[] {
  const data = response.data as ListEntry | null;
  if (action === 'batch_place' || action === 'close_position') {
    const { success, failure } = lists(response.data);
    if (action === 'close_position') {
      const intent = intents[0] as OrderIntent;
      const ok = success[0];
      if (ok) return [{ clientOid: intent.clientOid, status: 'accepted', orderId: str(ok.orderId), response }];
      const bad = failure[0];
      return [{
        clientOid: intent.clientOid, status: 'rejected', response,
        errorCode: bad ? String(bad.errorCode ?? '') : 'NOTHING_CLOSED',
        errorMessage: bad ? String(bad.errorMsg ?? '') : 'no position was closed',
      }];
    }
    return intents.map((intent) => {
      const ok = success.find((e) => e.clientOid === intent.clientOid);
      if (ok) return { clientOid: intent.clientOid, status: 'accepted', orderId: str(ok.orderId), response };
      const bad = failure.find((e) => e.clientOid === intent.clientOid);
      if (bad) {
        return {
          clientOid: intent.clientOid, status: 'rejected', orderId: str(bad.orderId) || undefined, response,
          errorCode: String(bad.errorCode ?? ''), errorMessage: String(bad.errorMsg ?? ''),
        };
      }
      return { clientOid: intent.clientOid, status: 'failed', response, errorMessage: 'not reported in successList or failureList' };
    });
  }
  const orderId = data && typeof data === 'object' ? str(data.orderId) : undefined;
  return intents.map((i) => ({ clientOid: i.clientOid, status: 'accepted', orderId, response }));
}

function failedOutcomes(intents: OrderIntent[], e: unknown, status: 'rejected' | 'failed'): OrderOutcome[] {
  const errorCode = e instanceof BitgetError ? e.code : 'UNKNOWN';
  const errorMessage = e instanceof BitgetAPIError ? e.detail : e instanceof Error ? e.message : String(e);
  const response = e instanceof BitgetAPIError ? e.response : undefined;
  return intents.map((i) => ({ clientOid: i.clientOid, status, errorCode, errorMessage, ...(response === undefined ? {} : { response }) }));
}

/** The order a modify with a new size and price places: limit, same side as the one it replaces (which the host knows). */
function replacementIntent(spec: MethodSpec, body: Body): OrderIntent {
  const orderId = str(body['orderId']);
  const clientOid = str(body['clientOid']);
  return {
    clientOid: body['newClientOid'] as string,
    method: spec.name,
    action: 'replace',
    market: spec.market,
    productType: str(body['productType']),
    symbol: str(body['symbol']) ?? '',
    orderType: 'limit',
    marginCoin: str(body['marginCoin']),
    size: str(body['newSize']),
    price: str(body['newPrice']),
    request: body,
    replaces: { ...(orderId === undefined ? {} : { orderId }), ...(clientOid === undefined ? {} : { clientOid }) },
  };
}

export function createOrderFlow(deps: OrderFlowDeps) {
  /**
   * Sends a request that creates the orders `intents`: journalled (beforeSend) once its rate
   * token is taken, the outcome reported after; an ambiguous failure is settled by looking the
   * orders up by clientOid, never by sending again.
   */
  async function sendOrders(spec: MethodSpec, call: HttpCall, action: OrderIntent['action'], intents: OrderIntent[]): Promise<BitgetResponse> {
    await deps.transport.acquire(call);
    await deps.hooks.beforeSend?.(intents);
    const sentAt = deps.now();
    let response: BitgetResponse;
    try {
      response = await deps.transport.send(call, { tokenTaken: true });
    } catch (e) {
      if (!(e instanceof BitgetNetworkError) || !e.maybeSent || action === 'close_position') {
        await deps.hooks.afterSend?.(failedOutcomes(intents, e, e instanceof BitgetNetworkError ? 'failed' : 'rejected'));
        throw e;
      }
      const recovered = await lookupOrders(deps, spec, call, intents, sentAt);
      await deps.hooks.afterSend?.(recovered.outcomes.map((o) =>
        o.status === 'failed' ? { ...o, errorCode: o.errorCode ?? e.code, errorMessage: `${e.detail}; ${o.errorMessage ?? ''}` } : o,
      ));
      if (recovered.response) return recovered.response;
      throw e;
    }
    await deps.hooks.afterSend?.(outcomesOf(action, intents, response));
    return response;
  }

  function place(spec: MethodSpec, call: HttpCall): Promise<BitgetResponse> {
    const action = spec.orderAction as OrderAction;
    const body = call.params;
    let intents: OrderIntent[];
    if (action === 'batch_place') {
      const items = (body['orderList'] as Item[]).map((it) => ({ ...it, clientOid: it['clientOid'] ?? deps.newClientOid() }));
      body['orderList'] = items;
      const common = { ...body };
      delete common['orderList'];
      intents = items.map((it) => intentOf(spec, action, common, it['clientOid'] as string, it));
    } else if (action === 'close_position') {
      intents = [intentOf(spec, action, body, `tbxclose${randomBytes(12).toString('hex')}`)];
    } else {
      if (body['clientOid'] === undefined) body['clientOid'] = deps.newClientOid();
      intents = [intentOf(spec, action, body, body['clientOid'] as string)];
    }
    return sendOrders(spec, call, action, intents);
  }

  /**
   * Cancels and modifies. A modify with a new size and price is Bitget's cancel-and-replace: the
   * new order is an order like any placed one (journalled before the request, looked up by its
   * clientOid after an ambiguous failure); onChange then reports the replaced one.
   */
  async function change(spec: MethodSpec, call: HttpCall): Promise<BitgetResponse> {
    const body = call.params;
    const replacing = spec.changeAction === 'modify' && body['newSize'] !== undefined;
    if (replacing && body['newClientOid'] === undefined) body['newClientOid'] = deps.newClientOid();
    const ids = Array.isArray(body['orderIdList']) ? ((body['orderIdList'] as Body[])[0] ?? {}) : body;
    const base: Omit<OrderChange, 'ok'> = {
      method: spec.name,
      action: spec.changeAction as OrderChange['action'],
      symbol: str(body['symbol']),
      orderId: str(ids['orderId']),
      clientOid: str(ids['clientOid']),
      newClientOid: str(body['newClientOid']),
      ...(replacing ? { replaced: true } : {}),
    };
    let response: BitgetResponse;
    try {
      response = replacing ? await sendOrders(spec, call, 'replace', [replacementIntent(spec, body)]) : await deps.transport.send(call);
    } catch (e) {
      await deps.hooks.onChange?.({
        ...base, ok: false, errorCode: e instanceof BitgetError ? e.code : 'UNKNOWN',
        ...(e instanceof BitgetAPIError ? { response: e.response } : {}),
      });
      throw e;
    }
    const failure = lists(response.data).failure[0];
    await deps.hooks.onChange?.({
      ...base, ok: failure === undefined, response,
      ...(failure === undefined ? {} : { errorCode: String(failure.errorCode ?? failure.errorMsg ?? 'FAILED') }),
    });
    return response;
  }

  return { place, change };
}
