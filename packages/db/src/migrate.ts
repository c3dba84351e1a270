import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { DbError } from './db-error.ts';

export interface MigrationFile { name: string; sql: string; checksum: string }
export interface MigrationResult { applied: string[]; alreadyApplied: string[] }

// An arbitrary constant shared by every Tickbox process, so two processes starting at once
// apply migrations one after the other instead of racing.
const LOCK_ID = 72707369;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
    files.push({ name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return files;
}

/**
 * Applies pending migrations in name order, one transaction per file, under an advisory
 * lock, recording each in Prisma's `_prisma_migrations` table exactly as `prisma migrate
 * deploy` would. A changed checksum of an applied migration is an error, never a re-run.
 */
export async function applyMigrations(databaseUrl: string, dir: string): Promise<MigrationResult> {
  const files = await readMigrations(dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const done = new Map(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r.checksum]));
    const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
    if (failed) throw new DbError('MIGRATION_FAILED_BEFORE', `migration ${failed.migration_name} failed earlier; resolve it before applying more`);
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const file of files) {
      const known = done.get(file.name);
      if (known !== undefined) {
        if (known !== file.checksum) {
          throw new DbError('MIGRATION_CHANGED', `migration ${file.name} was modified after it was applied (checksum ${known.slice(0, 12)}… ≠ ${file.checksum.slice(0, 12)}…)`);
        }
        result.alreadyApplied.push(file.name);
        continue;
      }
      await applyOne(client, file);
      result.applied.push(file.name);
    }
    return result;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}

async function applyOne(client: pg.Client, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
      [id, file.checksum, file.name],
    );
    await client.query(file.sql);
    await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw new DbError('MIGRATION_FAILED', `migration ${file.name} failed: ${(err as Error).message}`, { cause: err });
  }
}
