// Read-only order look-ups for reconciliation: one exchange order, by orderId or by clientOid,
// normalised to what TradeLog stores. Never places, cancels or modifies anything.
import { BitgetAPIError } from '@tickbox/bitget';
import type { BitgetClient } from '@tickbox/bitget';
import { Prisma } from '@tickbox/db';

/** TradeLog statuses an exchange state maps to. */
export type ReconciledStatus = 'accepted' | 'partially_filled' | 'filled' | 'cancelled' | 'rejected';
export const TERMINAL_STATUSES: readonly string[] = ['filled', 'cancelled', 'rejected', 'failed'];

export interface ExchangeOrder {
  orderId: string;
  /** undefined when the exchange reports a state we do not know (the row is left as it is). */
  status: ReconciledStatus | undefined;
  rawState: string;
  fillSize: Prisma.Decimal | null;
  fillPrice: Prisma.Decimal | null;
  /** As the exchange reports it: negative = a debit. Futures: margin coin; spot: the fee coin. */
  fee: Prisma.Decimal | null;
  realizedPnl: Prisma.Decimal | null;
}

/** What a lookup needs to know about a row. */
export interface OrderRef {
  market: string;
  symbol: string;
  productType: string | null;
  action: string;
  orderId?: string | null;
  clientOid: string;
  createdAt: Date;
  request?: unknown;
}

/** "No such order" codes of the detail endpoints (CONTRACT §3.3; the client's lookup uses the same set). */
const NOT_FOUND_CODES = new Set(['40109', '40768', '43001', '43025', '43026', '22001']);
/** Spot history is scanned around the row's creation time (orderInfo by clientOid only finds unfilled orders). */
const SPOT_WINDOW_MS = 5 * 60_000;
const SPOT_HISTORY_PAGES = 5;

type Row = Record<string, unknown>;

const STATE_MAP: Record<string, ReconciledStatus> = {
  init: 'accepted', new: 'accepted', live: 'accepted', partially_filled: 'partially_filled', filled: 'filled',
  canceled: 'cancelled', cancelled: 'cancelled', reject: 'rejected', rejected: 'rejected',
};

/** An exact decimal from an exchange string ("" / null / missing → null); never through a float. */
export function exactDecimal(v: unknown): Prisma.Decimal | null {
  if (typeof v !== 'string' || v.trim() === '') return null;
  try { return new Prisma.Decimal(v.trim()); } catch { return null; }
}

/**
 * Spot feeDetail is a JSON-encoded string whose amounts are JSON numbers (CONTRACT §4.2). They are
 * read from their source text, so no amount passes through a float. One fee coin → its totalFee;
 * several (e.g. a BGB deduction) → newFees.t, the total.
 */
export function spotFee(feeDetail: unknown): Prisma.Decimal | null {
  if (typeof feeDetail !== 'string' || feeDetail === '') return null;
  let parsed: unknown;
  try {
    const keepSource = (_key: string, value: unknown, context?: { source?: string }) =>
      typeof value === 'number' && context?.source !== undefined ? context.source : value;
    parsed = JSON.parse(feeDetail, keepSource as (this: unknown, key: string, value: unknown) => unknown);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const entries = Object.entries(parsed as Row);
  const coins = entries.filter(([k, v]) => k !== 'newFees' && typeof v === 'object' && v !== null).map(([, v]) => v as Row);
  if (coins.length === 1) return exactDecimal(coins[0]!['totalFee']);
  const newFees = (parsed as Row)['newFees'];
  return typeof newFees === 'object' && newFees !== null ? exactDecimal((newFees as Row)['t']) : null;
}

export function normalise(market: string, o: Row): ExchangeOrder {
  const rawState = String(market === 'spot' ? o['status'] : o['state'] ?? o['status'] ?? '');
  const fillSize = exactDecimal(o['baseVolume']);
  const filled = fillSize !== null && !fillSize.isZero();
  // Unfilled orders report priceAvg as "" (futures) or "0.000…" (spot): no average price yet.
  const avg = exactDecimal(o['priceAvg']);
  return {
    orderId: String(o['orderId'] ?? ''),
    status: STATE_MAP[rawState.toLowerCase()],
    rawState,
    fillSize,
    fillPrice: filled && avg !== null && !avg.isZero() ? avg : null,
    fee: market === 'spot' ? spotFee(o['feeDetail']) : exactDecimal(o['fee']),
    realizedPnl: market === 'spot' ? null : exactDecimal(o['totalProfits']),
  };
}

function notFound(e: unknown): boolean {
  return e instanceof BitgetAPIError && NOT_FOUND_CODES.has(e.code);
}

/** A futures plan/TP-SL order's planType as the pending-plan list wants it. */
function planTypeOf(ref: OrderRef): string {
  if (ref.action === 'tpsl') return 'profit_loss';
  const req = (typeof ref.request === 'object' && ref.request !== null ? ref.request : {}) as Row;
  return req['planType'] === 'track_plan' ? 'track_plan' : 'normal_plan';
}

/** The order by its exchange id; undefined when the exchange does not know it. */
export async function orderById(client: BitgetClient, ref: OrderRef & { orderId: string }): Promise<ExchangeOrder | undefined> {
  try {
    if (ref.market === 'spot') {
      const res = await client.call('spot_order_detail', [{ order_id: ref.orderId }]);
      const o = (Array.isArray(res.data) ? res.data : [res.data])[0] as Row | undefined;
      return o ? normalise('spot', o) : undefined;
    }
    const res = await client.call('futures_order_detail', [{ symbol: ref.symbol, order_id: ref.orderId, product_type: ref.productType ?? undefined }]);
    return res.data ? normalise('futures', res.data as Row) : undefined;
  } catch (e) {
    if (notFound(e)) return undefined;
    throw e;
  }
}

export type ClientOidLookup =
  | { found: true; order: ExchangeOrder }
  /** The exchange certainly has no such order. */
  | { found: false }
  /** The lookup cannot tell (e.g. the spot history window was not fully scanned). */
  | { found: false; inconclusive: string };

/** A plan or TP/SL order as the exchange knows it: still waiting, or what became of it. */
export type PlanState =
  | { found: false }
  | { found: true; orderId: string; state: 'waiting' | 'cancelled' | 'fail_trigger' | 'unknown' }
  /** Fired: `executeOrderId` is the order it placed ("" when the exchange does not name one). */
  | { found: true; orderId: string; state: 'executed'; executeOrderId: string };

/** Bitget's plan history is searched within this span back from now (history endpoints cap their range). */
export const PLAN_HISTORY_SPAN_MS = 89 * 24 * 3_600_000;

export function isPlanAction(action: string): boolean {
  return action === 'plan' || action === 'tpsl';
}

/**
 * Finds a plan/TP-SL order by orderId or clientOid: first among the waiting ones, then in the
 * plan history from shortly before the row was written.
 */
export async function planOrder(client: BitgetClient, ref: OrderRef, by: { order_id: string } | { client_oid: string }, now: number): Promise<PlanState> {
  const common = { symbol: ref.symbol, plan_type: planTypeOf(ref), product_type: ref.productType ?? undefined, ...by };
  const matches = (o: Row) => ('order_id' in by ? o['orderId'] === by.order_id : o['clientOid'] === by.client_oid);
  const waiting = await client.call('futures_pending_plan_orders', [{ ...common, limit: 100 }]);
  const live = entrusted(waiting.data).find(matches);
  if (live) return { found: true, orderId: String(live['orderId'] ?? ''), state: 'waiting' };
  const start = Math.max(ref.createdAt.getTime() - 60_000, now - PLAN_HISTORY_SPAN_MS);
  const history = await client.call('futures_plan_orders_history', [{ ...common, start_time: start, end_time: now, limit: 100 }]);
  const done = entrusted(history.data).find(matches);
  if (!done) return { found: false };
  const orderId = String(done['orderId'] ?? '');
  const status = String(done['planStatus'] ?? '');
  if (status === 'executed') return { found: true, orderId, state: 'executed', executeOrderId: String(done['executeOrderId'] ?? '') };
  if (status === 'fail_trigger' || status === 'cancelled') return { found: true, orderId, state: status };
  // A state we do not know: the row is left as it is.
  return { found: true, orderId, state: 'unknown' };
}

function entrusted(data: unknown): Row[] {
  const list = (data as { entrustedList?: Row[] | null } | null)?.entrustedList;
  return Array.isArray(list) ? list : [];
}

/** Looks an order up by the clientOid the host generated (plan/TP-SL orders: see planOrder). */
export async function orderByClientOid(client: BitgetClient, ref: OrderRef): Promise<ClientOidLookup> {
  if (ref.market === 'spot') return spotByClientOid(client, ref);
  try {
    const res = await client.call('futures_order_detail', [{ symbol: ref.symbol, client_oid: ref.clientOid, product_type: ref.productType ?? undefined }]);
    return res.data ? { found: true, order: normalise('futures', res.data as Row) } : { found: false };
  } catch (e) {
    if (notFound(e)) return { found: false };
    throw e;
  }
}

async function spotByClientOid(client: BitgetClient, ref: OrderRef): Promise<ClientOidLookup> {
  // orderInfo by clientOid only finds orders that are not filled yet (CONTRACT §5.8) …
  try {
    const res = await client.call('spot_order_detail', [{ client_oid: ref.clientOid }]);
    const hit = (Array.isArray(res.data) ? (res.data as Row[]) : []).find((o) => o['clientOid'] === ref.clientOid);
    if (hit) return { found: true, order: normalise('spot', hit) };
  } catch (e) {
    if (!notFound(e)) throw e;
  }
  // … so filled (and cancelled) ones are searched in the order history around the row's creation.
  const t = ref.createdAt.getTime();
  let cursor: string | undefined;
  for (let page = 0; page < SPOT_HISTORY_PAGES; page++) {
    const res = await client.call('spot_orders_history', [{
      symbol: ref.symbol, start_time: t - SPOT_WINDOW_MS, end_time: t + SPOT_WINDOW_MS, limit: 100, ...(cursor ? { id_less_than: cursor } : {}),
    }]);
    const list = Array.isArray(res.data) ? (res.data as Row[]) : [];
    const hit = list.find((o) => o['clientOid'] === ref.clientOid);
    if (hit) return { found: true, order: normalise('spot', hit) };
    if (list.length < 100) return { found: false };
    cursor = String(list.at(-1)!['orderId']);
  }
  return { found: false, inconclusive: `more than ${SPOT_HISTORY_PAGES * 100} spot orders around its creation time` };
}
