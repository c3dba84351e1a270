-- Initial Tickbox schema (hand-written to match prisma/schema.prisma; see packages/db/test/schema-matches.test.ts).

CREATE TABLE "User" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "isAdmin" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "User_name_key" ON "User"("name");

CREATE TABLE "ApiToken" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");
CREATE INDEX "ApiToken_userId_idx" ON "ApiToken"("userId");

CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "apiKeyHint" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "keyId" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ApiKey_userId_idx" ON "ApiKey"("userId");

CREATE TABLE "Worker" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "schedule" JSONB NOT NULL,
    "productType" TEXT NOT NULL DEFAULT 'USDT-FUTURES',
    "keyId" UUID,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "status" TEXT NOT NULL DEFAULT 'idle',
    "lastError" TEXT,
    "versionId" UUID,
    "setupDoneFor" UUID,
    "deletedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "Worker_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Worker_userId_idx" ON "Worker"("userId");

CREATE TABLE "WorkerVersion" (
    "id" UUID NOT NULL,
    "workerId" UUID NOT NULL,
    "language" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "compiledCode" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WorkerVersion_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "WorkerVersion_workerId_idx" ON "WorkerVersion"("workerId");

CREATE TABLE "WorkerState" (
    "workerId" UUID NOT NULL,
    "data" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "WorkerState_pkey" PRIMARY KEY ("workerId")
);

CREATE TABLE "TickRun" (
    "id" UUID NOT NULL,
    "workerId" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "phase" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "scheduledAt" TIMESTAMPTZ(3),
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL,
    "error" TEXT,
    "cpuMs" DOUBLE PRECISION,
    "wallMs" DOUBLE PRECISION,
    CONSTRAINT "TickRun_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "TickRun_workerId_startedAt_idx" ON "TickRun"("workerId", "startedAt");

CREATE TABLE "LogEntry" (
    "id" BIGSERIAL NOT NULL,
    "workerId" UUID NOT NULL,
    "tickRunId" UUID NOT NULL,
    "level" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "LogEntry_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "LogEntry_workerId_id_idx" ON "LogEntry"("workerId", "id");

CREATE TABLE "TradeLog" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "workerId" UUID,
    "tickRunId" UUID,
    "versionId" UUID,
    "keyId" UUID,
    "mode" TEXT NOT NULL,
    "market" TEXT NOT NULL,
    "productType" TEXT,
    "action" TEXT NOT NULL,
    "symbol" TEXT NOT NULL,
    "side" TEXT,
    "tradeSide" TEXT,
    "orderType" TEXT,
    "force" TEXT,
    "marginMode" TEXT,
    "marginCoin" TEXT,
    "reduceOnly" TEXT,
    "size" DECIMAL(36,18),
    "price" DECIMAL(36,18),
    "clientOid" TEXT NOT NULL,
    "orderId" TEXT,
    "status" TEXT NOT NULL,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "request" JSONB NOT NULL,
    "response" JSONB,
    "fillSize" DECIMAL(36,18),
    "fillPrice" DECIMAL(36,18),
    "fee" DECIMAL(36,18),
    "realizedPnl" DECIMAL(36,18),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "TradeLog_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "TradeLog_clientOid_key" ON "TradeLog"("clientOid");
CREATE INDEX "TradeLog_userId_createdAt_id_idx" ON "TradeLog"("userId", "createdAt", "id");
CREATE INDEX "TradeLog_workerId_createdAt_idx" ON "TradeLog"("workerId", "createdAt");

ALTER TABLE "ApiToken" ADD CONSTRAINT "ApiToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Worker" ADD CONSTRAINT "Worker_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Worker" ADD CONSTRAINT "Worker_keyId_fkey" FOREIGN KEY ("keyId") REFERENCES "ApiKey"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "WorkerVersion" ADD CONSTRAINT "WorkerVersion_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "WorkerState" ADD CONSTRAINT "WorkerState_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TickRun" ADD CONSTRAINT "TickRun_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TickRun" ADD CONSTRAINT "TickRun_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "WorkerVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "LogEntry" ADD CONSTRAINT "LogEntry_tickRunId_fkey" FOREIGN KEY ("tickRunId") REFERENCES "TickRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TradeLog" ADD CONSTRAINT "TradeLog_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TradeLog" ADD CONSTRAINT "TradeLog_workerId_fkey" FOREIGN KEY ("workerId") REFERENCES "Worker"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "TradeLog" ADD CONSTRAINT "TradeLog_tickRunId_fkey" FOREIGN KEY ("tickRunId") REFERENCES "TickRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "TradeLog" ADD CONSTRAINT "TradeLog_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "WorkerVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;
