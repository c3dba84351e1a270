import Type from 'typebox';
import type { Static } from 'typebox';

/** Most entries a webhook's sender allowlist may hold. */
export const MAX_WEBHOOK_ALLOWED_IPS = 32;

const AllowedIps = Type.Array(Type.String(), {
  description: 'IPv4/IPv6 addresses and CIDR ranges (normalised) the webhook accepts alerts from; empty = any sender',
});

/** Whether a worker has a webhook URL; the secret itself is never shown again after creation. */
export const WorkerWebhookStatus = Type.Object({
  enabled: Type.Boolean(),
  createdAt: Type.Union([Type.String(), Type.Null()]),
  allowedIps: AllowedIps,
});
export type WorkerWebhookStatusT = Static<typeof WorkerWebhookStatus>;

/** PUT /api/workers/:id/webhook/allowlist. */
export const WebhookAllowlistBody = Type.Object({
  ips: Type.Array(Type.String(), {
    description: `at most ${MAX_WEBHOOK_ALLOWED_IPS} IPv4/IPv6 addresses or CIDR ranges (e.g. 52.89.214.238, 10.0.0.0/8, 2001:db8::/32); [] accepts any sender`,
  }),
}, { additionalProperties: false });
export type WebhookAllowlistBodyT = Static<typeof WebhookAllowlistBody>;

/** POST /api/workers/:id/webhook: the URL, shown this once. */
export const WebhookCreatedView = Type.Object({
  url: Type.String({ description: 'path of the webhook URL, /hooks/<workerId>/<secret>' }),
  absoluteUrl: Type.String({ description: 'the same URL on TICKBOX_PUBLIC_URL, else on the host this request was sent to' }),
  createdAt: Type.String(),
  rotated: Type.Boolean({ description: 'true when it replaced an earlier URL, which stops working now' }),
  allowedIps: AllowedIps,
});
export type WebhookCreatedViewT = Static<typeof WebhookCreatedView>;

/** POST /hooks/:workerId/:secret: the alert is queued as one run of the worker. */
export const WebhookAcceptedView = Type.Object({
  queued: Type.Literal(true),
  runId: Type.String({ description: 'id of the TickRun the alert becomes (GET /api/workers/:id/runs)' }),
});
