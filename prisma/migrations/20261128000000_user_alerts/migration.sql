-- Failure alerts: where a user's alerts are POSTed. The URL is a credential (Slack, Discord and
-- Telegram webhook URLs carry their token), so it is stored encrypted like an API key
-- (alertCiphertext under master key alertKeyId); alertHost is shown instead of it.
ALTER TABLE "User" ADD COLUMN "alertCiphertext" TEXT;
ALTER TABLE "User" ADD COLUMN "alertKeyId" TEXT;
ALTER TABLE "User" ADD COLUMN "alertHost" TEXT;
ALTER TABLE "User" ADD COLUMN "alertUpdatedAt" TIMESTAMPTZ(3);
