import Type from 'typebox';
import type { Static } from 'typebox';

/** Whether a worker has a webhook URL; the secret itself is never shown again after creation. */
export const WorkerWebhookStatus = Type.Object({
  enabled: Type.Boolean(),
  createdAt: Type.Union([Type.String(), Type.Null()]),
});

/** POST /api/workers/:id/webhook: the URL, shown this once. */
export const WebhookCreatedView = Type.Object({
  url: Type.String({ description: 'path of the webhook URL, /hooks/<workerId>/<secret>' }),
  absoluteUrl: Type.String({ description: 'the same URL on TICKBOX_PUBLIC_URL, else on the host this request was sent to' }),
  createdAt: Type.String(),
  rotated: Type.Boolean({ description: 'true when it replaced an earlier URL, which stops working now' }),
});
export type WebhookCreatedViewT = Static<typeof WebhookCreatedView>;

/** POST /hooks/:workerId/:secret: the alert is queued as one run of the worker. */
export const WebhookAcceptedView = Type.Object({
  queued: Type.Literal(true),
  runId: Type.String({ description: 'id of the TickRun the alert becomes (GET /api/workers/:id/runs)' }),
});
