import type { TradesQueryT } from '@tickbox/contract';
import { badRequest } from '../../api-error.ts';

// PostgreSQL timestamptz and JavaScript Date both cover years 1..9999 the way users write them;
// outside that (year 0000, a leap second at the end of 9999) the database refuses the value.
const MIN_TIME = Date.parse('0001-01-01T00:00:00Z');
const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');

/** A `from`/`to` query value as a Date; 400 naming the parameter when it is outside what can be stored. */
export function queryTime(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t) || t < MIN_TIME || t > MAX_TIME) throw badRequest(`query.${name} must be a date-time between 0001-01-01 and 9999-12-31 (got "${value}")`);
  return new Date(t);
}

/** The journal filters shared by the list, CSV and summary endpoints (always scoped to the user). */
export function tradeFilter(userId: string, q: Pick<TradesQueryT, 'workerId' | 'symbol' | 'status' | 'from' | 'to'>) {
  const from = queryTime('from', q.from);
  const to = queryTime('to', q.to);
  return {
    userId,
    ...(q.workerId ? { workerId: q.workerId } : {}),
    ...(q.symbol ? { symbol: q.symbol.toUpperCase() } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(from || to ? { createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
  };
}
