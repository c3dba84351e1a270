-- Webhook sender allowlist: IP addresses and CIDR ranges (normalised by the api) a worker's
-- webhook accepts alerts from; an empty array accepts any sender. Written as `prisma migrate`
-- generates a `String[] @default([])` field on PostgreSQL (a nullable array column; the client
-- reads NULL as an empty list), so a later `prisma migrate dev` finds no drift.
ALTER TABLE "Worker" ADD COLUMN "webhookAllowedIps" TEXT[] DEFAULT ARRAY[]::TEXT[];
