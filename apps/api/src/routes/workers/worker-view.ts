import type { Worker } from '@tickbox/db';

/** A worker as the api shows it: whether it has a webhook, never the webhook's secret or hash. */
export function workerView(w: Worker, extra: Record<string, unknown> = {}) {
  return {
    id: w.id, name: w.name, schedule: w.schedule, productType: w.productType, keyId: w.keyId,
    enabled: w.enabled, status: w.status, lastError: w.lastError, versionId: w.versionId,
    webhook: { enabled: w.webhookSecretHash !== null, createdAt: w.webhookCreatedAt?.toISOString() ?? null },
    createdAt: w.createdAt.toISOString(), updatedAt: w.updatedAt.toISOString(), ...extra,
  };
}
