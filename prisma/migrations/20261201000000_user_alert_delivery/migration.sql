-- How the last alert delivery went, so a user learns that alerts do not arrive (a revoked Slack
-- webhook answering 404, a URL the scheduler refuses) without reading the scheduler's log.
ALTER TABLE "User" ADD COLUMN "alertLastSentAt" TIMESTAMPTZ(3);
ALTER TABLE "User" ADD COLUMN "alertLastError" TEXT;
ALTER TABLE "User" ADD COLUMN "alertLastErrorAt" TIMESTAMPTZ(3);
