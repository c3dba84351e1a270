import { BitgetAPIError } from './errors.ts';
import type { HttpCall, Transport } from './http-transport.ts';
import type { MethodSpec } from './method-spec.ts';
import type { BitgetResponse, OrderIntent, OrderOutcome } from './types.ts';

// After an ambiguous failure (timeout, reset, 5xx) the order may or may not exist. It is looked
// up by clientOid instead of being resent, so a retry can never place it twice.

/** Codes meaning "no such order" on the lookup endpoints (CONTRACT §3.3). */
const NOT_FOUND_CODES = new Set(['40109', '40768', '43001', '43025', '43026', '22001']);

/** Spot orderInfo only finds unfilled orders by clientOid, and plan orders leave the pending list when they fire: history is scanned from this far back. */
const HISTORY_WINDOW_MS = 60_000;

interface LookupDeps {
  transport: Transport;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  lookupDelaysMs: readonly number[];
}

type Row = Record<string, unknown>;

function rows(data: unknown): Row[] {
  if (Array.isArray(data)) return data as Row[];
  if (typeof data === 'object' && data !== null) {
    const list = (data as { entrustedList?: unknown }).entrustedList;
    if (Array.isArray(list)) return list as Row[];
    return [data as Row];
  }
  return [];
}

async function query(transport: Transport, spec: MethodSpec, path: string, params: Row, rateClass: HttpCall['rateClass']) {
  const call: HttpCall = { method: `${spec.name} (clientOid lookup)`, httpMethod: 'GET', path, params, auth: true, rateClass, retry: true };
  try {
    return rows((await transport.send(call)).data);
  } catch (e) {
    if (e instanceof BitgetAPIError && NOT_FOUND_CODES.has(e.code)) return [];
    throw e;
  }
}

/** The orderId of the order with this clientOid, or undefined when the exchange has none. */
async function findOne(deps: LookupDeps, spec: MethodSpec, body: Row, intent: OrderIntent, sentAt: number): Promise<string | undefined> {
  const clientOid = intent.clientOid;
  const match = (list: Row[]) => {
    const row = list.find((r) => r['clientOid'] === clientOid && typeof r['orderId'] === 'string' && r['orderId'] !== '');
    return row ? (row['orderId'] as string) : undefined;
  };
  if (spec.market === 'spot') {
    const open = match(await query(deps.transport, spec, '/api/v2/spot/trade/orderInfo', { clientOid }, 'spot-order-reads'));
    if (open !== undefined) return open;
    const history = await query(deps.transport, spec, '/api/v2/spot/trade/history-orders', {
      symbol: intent.symbol, startTime: String(sentAt - HISTORY_WINDOW_MS), limit: '100',
    }, 'spot-order-reads');
    return match(history);
  }
  if (intent.action === 'plan' || intent.action === 'tpsl') {
    const planType = intent.action === 'tpsl' ? 'profit_loss' : body['planType'];
    const params = { productType: body['productType'], symbol: intent.symbol, planType, clientOid };
    const waiting = match(await query(deps.transport, spec, '/api/v2/mix/order/orders-plan-pending', params, 'orders'));
    if (waiting !== undefined) return waiting;
    // A plan can fire (or be cancelled) before the lookup runs: then it is in the plan history.
    return match(await query(deps.transport, spec, '/api/v2/mix/order/orders-plan-history', {
      ...params, startTime: String(sentAt - HISTORY_WINDOW_MS), endTime: String(deps.now()),
    }, 'orders'));
  }
  return match(await query(deps.transport, spec, '/api/v2/mix/order/detail', {
    symbol: intent.symbol, productType: body['productType'], clientOid,
  }, 'orders'));
}

export interface LookupResult {
  outcomes: OrderOutcome[];
  /** A synthesized success envelope when at least one order was found. */
  response?: BitgetResponse;
}

export async function lookupOrders(
  deps: LookupDeps,
  spec: MethodSpec,
  call: HttpCall,
  intents: OrderIntent[],
  sentAt: number,
): Promise<LookupResult> {
  const state = new Map<string, { orderId?: string; error?: unknown }>();
  for (const delay of deps.lookupDelaysMs) {
    if (delay > 0) await deps.sleep(delay);
    for (const intent of intents) {
      if (state.get(intent.clientOid)?.orderId !== undefined) continue;
      try {
        const orderId = await findOne(deps, spec, call.params, intent, sentAt);
        state.set(intent.clientOid, orderId === undefined ? {} : { orderId });
      } catch (error) {
        state.set(intent.clientOid, { error });
      }
    }
    if (intents.every((i) => state.get(i.clientOid)?.orderId !== undefined)) break;
  }

  const found = intents.filter((i) => state.get(i.clientOid)?.orderId !== undefined);
  let response: BitgetResponse | undefined;
  if (found.length > 0) {
    const entry = (i: OrderIntent) => ({ orderId: state.get(i.clientOid)?.orderId as string, clientOid: i.clientOid });
    const data = intents.length === 1 && spec.orderAction !== 'batch_place'
      ? entry(found[0] as OrderIntent)
      : {
          successList: found.map(entry),
          failureList: intents.filter((i) => !found.includes(i)).map((i) => ({
            orderId: '', clientOid: i.clientOid, errorCode: 'NOT_FOUND', errorMsg: 'not found by clientOid after a network failure',
          })),
        };
    response = { code: '00000', msg: 'success', requestTime: deps.now(), data };
  }
  const outcomes = intents.map((i): OrderOutcome => {
    const s = state.get(i.clientOid) ?? {};
    if (s.orderId !== undefined) return { clientOid: i.clientOid, status: 'accepted', orderId: s.orderId, response };
    if (s.error !== undefined) {
      return {
        clientOid: i.clientOid, status: 'failed', errorCode: 'LOOKUP_FAILED',
        errorMessage: `order state unknown: lookup by clientOid failed (${s.error instanceof Error ? s.error.message : String(s.error)})`,
      };
    }
    return { clientOid: i.clientOid, status: 'failed', errorMessage: 'order not found by clientOid' };
  });
  return response ? { outcomes, response } : { outcomes };
}
