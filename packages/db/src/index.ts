export { createDb } from './create-db.ts';
export type { Db } from './create-db.ts';
export { applyMigrations, readMigrations } from './migrate.ts';
export type { MigrationResult, MigrationFile } from './migrate.ts';
export { DbError } from './db-error.ts';
export { Prisma } from './generated/client.ts';
export type { TradeLog, Worker, WorkerVersion, ApiKey, TickRun, LogEntry, User } from './generated/client.ts';
export { MIGRATIONS_DIR } from './migrations-dir.ts';
export { ensureAdmin } from './ensure-admin.ts';
