// Order reconciliation: brings TradeLog rows up to date with the exchange after the fact.
// Read-only towards the exchange (order look-ups only); writes TradeLog rows with guarded updates.
import type { Logger } from 'pino';
import { BitgetRateLimitError } from '@tickbox/bitget';
import type { BitgetClient } from '@tickbox/bitget';
import { Prisma } from '@tickbox/db';
import type { ApiKey, Db, TradeLog } from '@tickbox/db';
import type { BitgetHost } from './bitget-host.ts';
import { isPlanAction, orderById, orderByClientOid, planOrder, PLAN_HISTORY_SPAN_MS, TERMINAL_STATUSES } from './exchange-order.ts';
import type { ExchangeOrder } from './exchange-order.ts';

export interface ReconcileDeps {
  db: Db;
  bitget: BitgetHost;
  logger: Logger;
  /** Kept between passes (see createReconcileState); a fresh one per call when omitted. */
  state?: ReconcileState;
}

export interface ReconcileOptions {
  now?: number;
  /** A `pending` row younger than this may still be in flight and is left alone. */
  pendingGraceMs?: number;
  /** Rows looked up per key and pass (each is one rate-limited request, spot history scans a few). */
  batchPerKey?: number;
  /** Keys reconciled at the same time. */
  keyConcurrency?: number;
}

export interface ReconcileSummary {
  /** Keys looked at in this pass. */
  keys: number;
  checked: number;
  updated: number;
  /** Keys with open rows that are gone (deleted) or rows without a key: left as they are. */
  skippedKeys: number;
  /** Keys whose pass failed now, and keys still waiting after an earlier failure. */
  failedKeys: number;
  deferredKeys: number;
}

export interface ReconcileState {
  /** Round-robin position per key: the last row id looked at, so a long list of resting orders is walked in turns. */
  cursors: Map<string, string>;
  /** Keys already reported as missing (logged once per process, not every pass). */
  reported: Set<string>;
  /** Keys whose last pass failed: skipped until `until`, backing off up to 10 minutes. */
  backoff: Map<string, { until: number; failures: number }>;
}

export function createReconcileState(): ReconcileState {
  return { cursors: new Map(), reported: new Set(), backoff: new Map() };
}

/**
 * Followed until terminal: regular orders through their detail; plan and TP/SL orders through the
 * plan lists until they fire, then through the order they placed (reconcilePlan).
 */
const POLLED_ACTIONS = ['place', 'batch_place', 'close_position', 'replace', 'plan', 'tpsl'];

function openRows(cutoff: Date): Prisma.TradeLogWhereInput {
  const polled = { orderId: { not: null }, action: { in: POLLED_ACTIONS }, errorCode: null };
  return {
    OR: [
      { status: { in: ['accepted', 'partially_filled'] }, ...polled },
      // Cancelled or replaced by the worker (journal onChange): looked up once for what filled before.
      { status: { in: ['cancelled', 'replaced'] }, fillSize: null, ...polled },
      // The process stopped between the two journal writes, or the client's own lookup failed.
      { status: 'pending', createdAt: { lt: cutoff } },
      { status: 'failed', errorCode: 'LOOKUP_FAILED', createdAt: { lt: cutoff } },
    ],
  };
}

const safeError = (e: unknown) => ({ name: (e as Error)?.name, code: (e as { code?: unknown })?.code, message: (e as Error)?.message });

/** One reconciliation pass over every key that has unresolved orders. */
export async function reconcileOrders(deps: ReconcileDeps, options: ReconcileOptions = {}): Promise<ReconcileSummary> {
  const now = options.now ?? Date.now();
  const opts = { now, grace: options.pendingGraceMs ?? 60_000, batch: options.batchPerKey ?? 20 };
  const state = deps.state ?? createReconcileState();
  const where = openRows(new Date(now - opts.grace));
  const groups = await deps.db.tradeLog.groupBy({ by: ['keyId'], where });
  const keyIds = groups.map((g) => g.keyId).filter((k): k is string => k !== null);
  const keys = await deps.db.apiKey.findMany({ where: { id: { in: keyIds } } });
  const summary: ReconcileSummary = { keys: 0, checked: 0, updated: 0, skippedKeys: 0, failedKeys: 0, deferredKeys: 0 };

  for (const g of groups) {
    if (g.keyId !== null && keys.some((k) => k.id === g.keyId)) continue;
    summary.skippedKeys++;
    const id = g.keyId ?? 'none';
    if (!state.reported.has(id)) {
      state.reported.add(id);
      deps.logger.warn({ keyId: g.keyId }, g.keyId ? 'reconcile: skipping orders of a deleted API key (they stay as they are)' : 'reconcile: skipping orders without an API key');
    }
  }

  const due = keys.filter((k) => (state.backoff.get(k.id)?.until ?? 0) <= now);
  summary.deferredKeys = keys.length - due.length;
  const concurrency = Math.max(1, options.keyConcurrency ?? 4);
  for (let i = 0; i < due.length; i += concurrency) {
    await Promise.all(due.slice(i, i + concurrency).map(async (key) => {
      summary.keys++;
      try {
        const r = await reconcileKey(deps, state, key, where, opts);
        summary.checked += r.checked;
        summary.updated += r.updated;
        state.backoff.delete(key.id);
      } catch (e) {
        summary.failedKeys++;
        const failures = (state.backoff.get(key.id)?.failures ?? 0) + 1;
        const waitMs = e instanceof BitgetRateLimitError ? 0 : Math.min(600_000, 15_000 * 2 ** (failures - 1));
        state.backoff.set(key.id, { until: now + waitMs, failures });
        deps.logger.warn({ keyId: key.id, err: safeError(e), retryInMs: waitMs }, 'reconcile: key pass failed');
      }
    }));
  }
  if (summary.updated > 0) deps.logger.info(summary, 'reconcile: orders updated');
  return summary;
}

async function nextRows(db: Db, state: ReconcileState, keyId: string, where: Prisma.TradeLogWhereInput, batch: number): Promise<TradeLog[]> {
  const cursor = state.cursors.get(keyId);
  const base = { AND: [where, { keyId }] };
  let rows = await db.tradeLog.findMany({ where: cursor ? { ...base, id: { gt: cursor } } : base, orderBy: { id: 'asc' }, take: batch });
  if (cursor && rows.length < batch) {
    // Wrap around: the rest of this turn starts again from the beginning.
    rows = rows.concat(await db.tradeLog.findMany({ where: { ...base, id: { lte: cursor } }, orderBy: { id: 'asc' }, take: batch - rows.length }));
  }
  if (rows.length === batch) state.cursors.set(keyId, rows.at(-1)!.id);
  else state.cursors.delete(keyId);
  return rows;
}

async function reconcileKey(
  deps: ReconcileDeps, state: ReconcileState, key: ApiKey, where: Prisma.TradeLogWhereInput, opts: { now: number; grace: number; batch: number },
): Promise<{ checked: number; updated: number }> {
  const rows = await nextRows(deps.db, state, key.id, where, opts.batch);
  if (rows.length === 0) return { checked: 0, updated: 0 };
  // No order hooks: nothing here places orders, and nothing may be journalled.
  const client = await deps.bitget.clientFor(key, 'USDT-FUTURES', {});
  let updated = 0;
  try {
    for (const row of rows) {
      if (await reconcileRow(deps.db, client, row, opts.now)) updated++;
    }
  } finally {
    await client.close();
  }
  return { checked: rows.length, updated };
}

/** Looks one row up on the exchange and writes what changed; true when the row was updated. */
async function reconcileRow(db: Db, client: BitgetClient, row: TradeLog, now: number): Promise<boolean> {
  if (isPlanAction(row.action)) return reconcilePlan(db, client, row, now);
  if (row.status === 'pending' || row.status === 'failed') {
    const ageS = Math.round((now - row.createdAt.getTime()) / 1000);
    if (row.action === 'close_position') {
      // close-positions sends no clientOid, so there is nothing to look it up by.
      return write(db, row, { status: 'failed', errorCode: 'UNRESOLVED', errorMessage: `reconciliation: the outcome of this close-positions request is unknown (the process stopped while sending it, and close-positions carries no clientOid to look up); check the exchange` });
    }
    const found = await orderByClientOid(client, row);
    if (found.found) return write(db, row, { ...orderData(found.order, row), orderId: found.order.orderId, errorCode: null, errorMessage: null, status: found.order.status ?? 'accepted' });
    if ('inconclusive' in found) {
      return unresolved(db, row, ageS, found.inconclusive);
    }
    return notPlaced(db, row, ageS);
  }
  return followOrder(db, client, row, row.orderId!);
}

const unresolved = (db: Db, row: TradeLog, ageS: number, why: string) =>
  write(db, row, { status: 'failed', errorCode: 'UNRESOLVED', errorMessage: `reconciliation: no order with this clientOid was found ${ageS} s after it was written, but the search was inconclusive: ${why}; check the exchange` });
const notPlaced = (db: Db, row: TradeLog, ageS: number) =>
  write(db, row, { status: 'failed', errorCode: 'NOT_PLACED', errorMessage: `reconciliation: the order was never placed — no order with this clientOid exists on the exchange ${ageS} s after it was written (the process stopped before or while sending it)` });
/** The row is not looked up again (openRows wants errorCode null). */
const notFoundPatch = (what: string): Patch => ({ errorCode: 'ORDER_NOT_FOUND', errorMessage: `reconciliation: ${what}; the row is no longer checked` });
const notFound = (db: Db, row: TradeLog, what: string) => write(db, row, notFoundPatch(what));

/**
 * A plan or TP/SL row: found among the waiting plan orders (by clientOid while `pending`, else by
 * orderId) or in the plan history. Once it fired, the order it placed is followed like any other
 * (`triggeredOrderId`), and its state and fills become the row's.
 */
async function reconcilePlan(db: Db, client: BitgetClient, row: TradeLog, now: number): Promise<boolean> {
  if (row.triggeredOrderId) return followOrder(db, client, row, row.triggeredOrderId);
  const unsent = row.status === 'pending' || row.status === 'failed';
  const plan = await planOrder(client, row, unsent ? { client_oid: row.clientOid } : { order_id: row.orderId! }, now);
  const ageS = Math.round((now - row.createdAt.getTime()) / 1000);
  if (!plan.found) {
    if (!unsent) return notFound(db, row, 'the exchange lists this plan order neither as waiting nor in its plan history');
    // The history is searched back PLAN_HISTORY_SPAN_MS; an older row cannot be settled.
    if (now - row.createdAt.getTime() > PLAN_HISTORY_SPAN_MS) return unresolved(db, row, ageS, 'it is older than the plan history the exchange keeps');
    return notPlaced(db, row, ageS);
  }
  const found: Patch = unsent ? { orderId: plan.orderId, errorCode: null, errorMessage: null } : {};
  switch (plan.state) {
    case 'waiting':
      return unsent ? write(db, row, { ...found, status: 'accepted' }) : false;
    case 'cancelled':
      return write(db, row, { ...found, status: 'cancelled', fillSize: row.fillSize ?? new Prisma.Decimal(0) });
    case 'fail_trigger':
      return write(db, row, {
        ...found, status: 'failed', errorCode: 'TRIGGER_FAILED',
        errorMessage: 'the trigger fired but the exchange could not place its order (e.g. not enough margin, or no position left to close)',
      });
    case 'executed': {
      if (!plan.executeOrderId) return write(db, row, { ...found, status: 'accepted', ...notFoundPatch('the plan order fired, but the exchange does not name the order it placed') });
      const order = await orderById(client, { ...row, orderId: plan.executeOrderId });
      const patch: Patch = { ...found, status: 'accepted', triggeredOrderId: plan.executeOrderId };
      return write(db, row, order?.status ? { ...patch, ...orderData(order, row), status: order.status } : patch);
    }
    default:
      return unsent ? write(db, row, { ...found, status: 'accepted' }) : false;
  }
}

/** A placed order (or the order a plan placed) looked up by its exchange id; its state and fills become the row's. */
async function followOrder(db: Db, client: BitgetClient, row: TradeLog, orderId: string): Promise<boolean> {
  const order = await orderById(client, { ...row, orderId });
  if (!order) return notFound(db, row, 'the exchange does not know this orderId (any more)');
  if (!order.status) return false; // an exchange state we do not know: leave the row for a later pass
  if (row.status === 'replaced') {
    // Replaced by a modify: looked up once it is cancelled on the exchange (Bitget replaces
    // asynchronously), for anything that filled before; it stays `replaced` unless it filled whole.
    if (!TERMINAL_STATUSES.includes(order.status)) return false;
    return write(db, row, { ...orderData(order, row), status: order.status === 'filled' ? 'filled' : 'replaced' });
  }
  return write(db, row, { ...orderData(order, row), status: order.status });
}

function orderData(order: ExchangeOrder, row: TradeLog): Prisma.TradeLogUpdateManyMutationInput {
  const terminal = order.status !== undefined && TERMINAL_STATUSES.includes(order.status);
  const filled = order.fillSize !== null && !order.fillSize.isZero();
  // A resting order with nothing filled keeps fillSize null (so a later cancel by the worker is
  // looked up once for its fills); a terminal row always gets one (0 when nothing filled).
  if (!terminal && !filled) return {};
  return {
    fillSize: order.fillSize ?? new Prisma.Decimal(0),
    fillPrice: order.fillPrice ?? row.fillPrice,
    fee: order.fee ?? row.fee,
    realizedPnl: order.realizedPnl ?? row.realizedPnl,
  };
}

type Patch = Prisma.TradeLogUpdateManyMutationInput;
const same = (a: unknown, b: unknown) =>
  a instanceof Prisma.Decimal && b instanceof Prisma.Decimal ? a.equals(b) : (a ?? null) === (b ?? null);

/** Writes only what changed, and only if nobody changed the row since it was read (the journal may be writing it too). */
async function write(db: Db, row: TradeLog, patch: Patch): Promise<boolean> {
  const changed = Object.fromEntries(Object.entries(patch).filter(([k, v]) => !same(v, (row as Record<string, unknown>)[k])));
  if (Object.keys(changed).length === 0) return false;
  const res = await db.tradeLog.updateMany({ where: { id: row.id, status: row.status, updatedAt: row.updatedAt }, data: changed });
  return res.count === 1;
}
