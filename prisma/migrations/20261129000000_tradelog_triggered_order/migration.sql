-- The order a plan (trigger) or TP/SL order placed on the exchange when it fired, found by
-- reconciliation in the plan-order history; its fills are written to the plan order's row.
ALTER TABLE "TradeLog" ADD COLUMN "triggeredOrderId" TEXT;
