-- A TradeLog clientOid is unique per API key, no longer across every user: Bitget keeps
-- clientOids unique per exchange account, and a worker may choose its own (two users may both
-- use "dca-1"). Written as `prisma migrate` generates `@@unique([keyId, clientOid])` in place of
-- `clientOid @unique`, so a later `prisma migrate dev` finds no drift. Like Prisma's index, NULLs
-- stay distinct: rows without a key are not constrained, and the journal never writes one (orders
-- need a key). The old index was global, so no existing rows can conflict with the new one.

-- DropIndex
DROP INDEX "TradeLog_clientOid_key";

-- CreateIndex
CREATE UNIQUE INDEX "TradeLog_keyId_clientOid_key" ON "TradeLog"("keyId", "clientOid");
