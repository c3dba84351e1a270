import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { applyMigrations, MIGRATIONS_DIR } from '@tickbox/db';
import { startEmbeddedPostgres, startRedisServer, redisServerAvailable, REDIS_MISSING_HINT } from '@tickbox/local';
import type { RunningService } from '@tickbox/local';

/**
 * Integration tests use real PostgreSQL and Redis: TEST_DATABASE_URL / TEST_REDIS_URL when
 * set, otherwise a private embedded PostgreSQL and redis-server on free loopback ports.
 * When neither works the whole run fails here with the reason — tests never skip.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: RunningService[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'tickbox-test-'));
  // Postgres runs as its own user when we are root; it must be able to enter this folder.
  await chmod(dir, 0o755);
  let databaseUrl = process.env.TEST_DATABASE_URL;
  let redisUrl = process.env.TEST_REDIS_URL;
  try {
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres(join(dir, 'pg'));
      started.push(pg);
      databaseUrl = pg.url;
    }
    if (!redisUrl) {
      if (!redisServerAvailable()) throw new Error(`TEST_REDIS_URL is unset and redis-server is not installed. ${REDIS_MISSING_HINT}`);
      const redis = await startRedisServer(join(dir, 'redis'));
      started.push(redis);
      redisUrl = redis.url;
    }
    await applyMigrations(databaseUrl, MIGRATIONS_DIR);
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    throw new Error(`integration services unavailable: ${(err as Error).message}`, { cause: err });
  }
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  return async () => {
    await Promise.all(started.map((s) => s.stop().catch(() => undefined)));
    await rm(dir, { recursive: true, force: true });
  };
}
