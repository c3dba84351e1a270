import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { inject } from 'vitest';
import { createDb } from '@tickbox/db';
import type { Db } from '@tickbox/db';
import { createLogBus, createQueues, createRedis } from '@tickbox/queue';
import type { LogBus, Queues } from '@tickbox/queue';
import { createKeyring, generateToken, hashToken, parseMasterKeys } from '@tickbox/secrets';
import type { Keyring } from '@tickbox/secrets';
import { buildApp } from '../src/app.ts';
import type { App } from '../src/app.ts';

export interface Harness { app: App; db: Db; queues: Queues; keyring: Keyring; prefix: string; close(): Promise<void> }

/** The real app on the real test PostgreSQL and Redis, with a queue prefix of its own. */
export async function createHarness(options: { runTimeoutMs?: number; prefix?: string; logBus?: LogBus; logger?: FastifyBaseLogger; publicUrl?: string; trustProxy?: boolean | string[] } = {}): Promise<Harness> {
  const db = createDb(inject('databaseUrl'), { max: 4 });
  const prefix = options.prefix ?? `t${randomUUID().slice(0, 8)}`;
  const queues = createQueues(inject('redisUrl'), { prefix });
  const redis = createRedis(inject('redisUrl'));
  const logBus = options.logBus ?? createLogBus(inject('redisUrl'), prefix);
  const keyring = createKeyring(parseMasterKeys(`t1:${randomBytes(32).toString('base64')}`), 't1');
  const app = await buildApp({
    db, queues, logBus, keyring, logger: options.logger ?? false, pingRedis: async () => { await redis.ping(); },
    runTimeoutMs: options.runTimeoutMs ?? 5000, publicUrl: options.publicUrl, trustProxy: options.trustProxy,
  });
  return {
    app, db, queues, keyring, prefix,
    async close() { await app.close(); await queues.close(); await logBus.close(); redis.disconnect(); await db.$disconnect(); },
  };
}

/** A new user with a token; returns the Authorization header. */
export async function createUser(db: Db, isAdmin = false): Promise<{ userId: string; auth: { authorization: string } }> {
  const token = generateToken();
  const user = await db.user.create({ data: { name: `u-${randomUUID()}`, isAdmin, tokens: { create: { name: 't', tokenHash: hashToken(token) } } } });
  return { userId: user.id, auth: { authorization: `Bearer ${token}` } };
}
