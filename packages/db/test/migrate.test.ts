import { cp, mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations, MIGRATIONS_DIR } from '../src/index.ts';

// Each test gets its own database on the shared server, so the runner is exercised from scratch.
let admin: pg.Client;
const made: string[] = [];
beforeAll(async () => { admin = new pg.Client({ connectionString: inject('databaseUrl') }); await admin.connect(); });
afterAll(async () => {
  for (const db of made) await admin.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  await admin.end();
});

async function freshDatabase(): Promise<string> {
  const name = `mig_${Math.random().toString(36).slice(2, 10)}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  made.push(name);
  const url = new URL(inject('databaseUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

describe('applyMigrations', () => {
  it('applies every migration once and records it the way prisma migrate deploy does', async () => {
    const url = await freshDatabase();
    const first = await applyMigrations(url, MIGRATIONS_DIR);
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await applyMigrations(url, MIGRATIONS_DIR);
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied });
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query('SELECT migration_name, length(checksum) AS len, finished_at IS NOT NULL AS done, applied_steps_count FROM "_prisma_migrations"');
    await c.end();
    expect(rows).toEqual(first.applied.map((name) => ({ migration_name: name, len: 64, done: true, applied_steps_count: 1 })));
  });

  it('two runners at once apply each migration exactly once', async () => {
    const url = await freshDatabase();
    const [a, b] = await Promise.all([applyMigrations(url, MIGRATIONS_DIR), applyMigrations(url, MIGRATIONS_DIR)]);
    expect([...a.applied, ...b.applied].sort()).toEqual([...a.applied, ...a.alreadyApplied].sort());
  });

  it('refuses a migration edited after it was applied', async () => {
    const url = await freshDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'tbx-mig-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await mkdir(join(dir, '30000101000000_extra'));
    await writeFile(join(dir, '30000101000000_extra', 'migration.sql'), 'CREATE TABLE extra (id int);');
    await applyMigrations(url, dir);
    await writeFile(join(dir, '30000101000000_extra', 'migration.sql'), 'CREATE TABLE extra (id bigint);');
    await expect(applyMigrations(url, dir)).rejects.toThrow(/30000101000000_extra was modified after it was applied/);
  });

  it('rolls back a failing migration and names it', async () => {
    const url = await freshDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'tbx-mig-'));
    await mkdir(join(dir, '001_bad'));
    await writeFile(join(dir, '001_bad', 'migration.sql'), 'CREATE TABLE ok (id int); SELECT nope FROM nowhere;');
    await expect(applyMigrations(url, dir)).rejects.toThrow(/migration 001_bad failed/);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query(`SELECT to_regclass('ok') AS t`);
    await c.end();
    expect(rows[0].t).toBeNull();
  });
});
