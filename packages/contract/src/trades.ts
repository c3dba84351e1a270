import Type from 'typebox';
import type { Static } from 'typebox';

export const TradesQuery = Type.Object({
  workerId: Type.Optional(Type.String({ format: 'uuid' })),
  symbol: Type.Optional(Type.String({ maxLength: 50 })),
  status: Type.Optional(Type.String({ maxLength: 30 })),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
}, { additionalProperties: false });
export type TradesQueryT = Static<typeof TradesQuery>;

const Dec = Type.Union([Type.String(), Type.Null()], { description: 'exact decimal as a string' });

export const TradeView = Type.Object({
  id: Type.String(),
  workerId: Type.Union([Type.String(), Type.Null()]),
  tickRunId: Type.Union([Type.String(), Type.Null()]),
  mode: Type.String(),
  market: Type.String(),
  productType: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  symbol: Type.String(),
  side: Type.Union([Type.String(), Type.Null()]),
  tradeSide: Type.Union([Type.String(), Type.Null()]),
  orderType: Type.Union([Type.String(), Type.Null()]),
  size: Dec,
  price: Dec,
  clientOid: Type.String(),
  orderId: Type.Union([Type.String(), Type.Null()]),
  /** Plan and TP/SL orders: the order the exchange placed when they fired (its fills are this row's). */
  triggeredOrderId: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  errorCode: Type.Union([Type.String(), Type.Null()]),
  errorMessage: Type.Union([Type.String(), Type.Null()]),
  fillSize: Dec,
  fillPrice: Dec,
  fee: Dec,
  realizedPnl: Dec,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type TradeViewT = Static<typeof TradeView>;

export const TradesPage = Type.Object({ items: Type.Array(TradeView), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** The list's filters without paging: the CSV export streams everything that matches. */
export const TradesCsvQuery = Type.Omit(TradesQuery, ['cursor', 'limit'], { additionalProperties: false });

/** Per worker and symbol, so only the worker and time filters apply. */
export const TradesSummaryQuery = Type.Omit(TradesQuery, ['symbol', 'status', 'cursor', 'limit'], { additionalProperties: false });
