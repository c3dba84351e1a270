-- Reconciliation scans open and pending orders every 15 s; index them by status.
CREATE INDEX "TradeLog_status_createdAt_idx" ON "TradeLog"("status", "createdAt");
