import type { WorkerWebhookStatusT } from '@tickbox/contract';
import type { Worker } from '@tickbox/db';

type WebhookFields = Pick<Worker, 'webhookSecretHash' | 'webhookCreatedAt' | 'webhookAllowedIps'>;

/** A worker's webhook as the api shows it: on or off and who may send, never the secret or its hash. */
export function webhookView(w: WebhookFields): WorkerWebhookStatusT {
  return { enabled: w.webhookSecretHash !== null, createdAt: w.webhookCreatedAt?.toISOString() ?? null, allowedIps: w.webhookAllowedIps };
}

/** A worker as the api shows it. */
export function workerView(w: Worker, extra: Record<string, unknown> = {}) {
  return {
    id: w.id, name: w.name, schedule: w.schedule, productType: w.productType, keyId: w.keyId,
    enabled: w.enabled, alerts: w.alerts, status: w.status, lastError: w.lastError, versionId: w.versionId,
    webhook: webhookView(w),
    createdAt: w.createdAt.toISOString(), updatedAt: w.updatedAt.toISOString(), ...extra,
  };
}
