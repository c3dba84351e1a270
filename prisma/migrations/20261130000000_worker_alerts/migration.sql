-- Per-worker alert switch: false = no failure, recovery or rejected-order alerts for this worker
-- (the user's alert URL still serves the others).
ALTER TABLE "Worker" ADD COLUMN "alerts" BOOLEAN NOT NULL DEFAULT true;
