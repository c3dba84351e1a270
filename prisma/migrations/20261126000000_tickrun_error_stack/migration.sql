-- Where a failed run's error was thrown: the error's header line and the user's own stack frames,
-- mapped to their source lines (never a host frame). NULL for runs that succeeded, and for errors
-- with no user frame (a timeout, a crash, a host that could not prepare the run).
ALTER TABLE "TickRun" ADD COLUMN "errorStack" TEXT;
