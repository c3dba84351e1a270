-- When a key's credentials were last replaced (PATCH /api/keys/:id with a rotated API key);
-- NULL while they are the ones it was created with.
ALTER TABLE "ApiKey" ADD COLUMN "rotatedAt" TIMESTAMPTZ(3);
