import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/** Runs `fn` while holding a Redis lock (SET NX PX, released only by its owner); `locked: false` when someone else holds it. */
export async function withLock<T>(redis: Redis, key: string, ttlMs: number, fn: () => Promise<T>): Promise<{ locked: false } | { locked: true; value: T }> {
  const token = randomUUID();
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  if (ok !== 'OK') return { locked: false };
  try {
    return { locked: true, value: await fn() };
  } finally {
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}

/**
 * One run per worker at a time across every scheduler process: a tick that is still running
 * when the next is due makes the next one `skipped` rather than overlapping it.
 */
export async function withWorkerLock<T>(redis: Redis, prefix: string, workerId: string, ttlMs: number, fn: () => Promise<T>): Promise<{ locked: false } | { locked: true; value: T }> {
  return withLock(redis, `${prefix}:lock:worker:${workerId}`, ttlMs, fn);
}
