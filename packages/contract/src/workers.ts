import Type from 'typebox';
import type { Static } from 'typebox';
import { WorkerWebhookStatus } from './webhooks.ts';

export const PRODUCT_TYPES = ['USDT-FUTURES', 'USDC-FUTURES', 'COIN-FUTURES'] as const;

export const ProductType = Type.Union(PRODUCT_TYPES.map((p) => Type.Literal(p)));
// The schedule's inner shape is validated by @tickbox/queue's parseSchedule, whose messages are clearer.
const Schedule = Type.Object({}, { additionalProperties: true });

export const CreateWorkerBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  code: Type.String({ minLength: 1, maxLength: 256 * 1024 }),
  language: Type.Optional(Type.Union([Type.Literal('js'), Type.Literal('ts')])),
  schedule: Schedule,
  keyId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  productType: Type.Optional(ProductType),
  enabled: Type.Optional(Type.Boolean()),
  alerts: Type.Optional(Type.Boolean({ description: 'false: this worker sends no alerts to the alert URL (default true)' })),
}, { additionalProperties: false });
export type CreateWorker = Static<typeof CreateWorkerBody>;

export const PatchWorkerBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 256 * 1024 })),
  language: Type.Optional(Type.Union([Type.Literal('js'), Type.Literal('ts')])),
  schedule: Type.Optional(Schedule),
  keyId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  productType: Type.Optional(ProductType),
  alerts: Type.Optional(Type.Boolean({ description: 'false: this worker sends no alerts to the alert URL' })),
}, { additionalProperties: false });
export type PatchWorker = Static<typeof PatchWorkerBody>;

export const WorkerView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  schedule: Type.Unknown(),
  productType: Type.String(),
  keyId: Type.Union([Type.String(), Type.Null()]),
  enabled: Type.Boolean(),
  /** Whether this worker's failures, recoveries and rejected orders are sent to the user's alert URL. */
  alerts: Type.Boolean(),
  status: Type.String(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  versionId: Type.Union([Type.String(), Type.Null()]),
  language: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  lastTick: Type.Optional(Type.Union([Type.Unknown(), Type.Null()])),
  nextTickAt: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  webhook: WorkerWebhookStatus,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type WorkerViewT = Static<typeof WorkerView>;

export const RunResultView = Type.Object({
  status: Type.String(),
  durationMs: Type.Number(),
  logs: Type.Array(Type.Object({ level: Type.String(), message: Type.String(), at: Type.String() })),
  error: Type.Optional(Type.Unknown()),
  tickRunId: Type.Optional(Type.String()),
});
