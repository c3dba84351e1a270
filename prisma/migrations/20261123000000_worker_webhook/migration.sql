-- Webhook trigger: a worker's secret webhook URL (only the secret's SHA-256 is stored, like API
-- tokens) and, on each run it caused, the alert it carried.
ALTER TABLE "Worker" ADD COLUMN "webhookSecretHash" TEXT;
ALTER TABLE "Worker" ADD COLUMN "webhookCreatedAt" TIMESTAMPTZ(3);
ALTER TABLE "TickRun" ADD COLUMN "triggerPayload" JSONB;
