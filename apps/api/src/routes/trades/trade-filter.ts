import type { TradesQueryT } from '@tickbox/contract';

/** The journal filters shared by the list, CSV and summary endpoints (always scoped to the user). */
export function tradeFilter(userId: string, q: Pick<TradesQueryT, 'workerId' | 'symbol' | 'status' | 'from' | 'to'>) {
  return {
    userId,
    ...(q.workerId ? { workerId: q.workerId } : {}),
    ...(q.symbol ? { symbol: q.symbol.toUpperCase() } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.from || q.to ? { createdAt: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lt: new Date(q.to) } : {}) } } : {}),
  };
}
