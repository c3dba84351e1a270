import type { Worker } from '@tickbox/db';

export function workerView(w: Worker, extra: Record<string, unknown> = {}) {
  return {
    id: w.id, name: w.name, schedule: w.schedule, productType: w.productType, keyId: w.keyId,
    enabled: w.enabled, status: w.status, lastError: w.lastError, versionId: w.versionId,
    createdAt: w.createdAt.toISOString(), updatedAt: w.updatedAt.toISOString(), ...extra,
  };
}
