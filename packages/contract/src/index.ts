export { ErrorBody, IdParams } from './common.ts';
export { CreateKeyBody, KeyView } from './keys.ts';
export type { CreateKey, KeyViewT } from './keys.ts';
export { CreateWorkerBody, PatchWorkerBody, WorkerView, RunResultView, PRODUCT_TYPES } from './workers.ts';
export type { CreateWorker, PatchWorker, WorkerViewT } from './workers.ts';
export { TradesQuery, TradeView, TradesPage, TradesCsvQuery, TradesSummaryQuery } from './trades.ts';
export type { TradesQueryT, TradeViewT } from './trades.ts';
export { LogsQuery, LogView, RunView } from './logs.ts';
export type { LogsQueryT } from './logs.ts';
