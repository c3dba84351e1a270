// The whole product on real parts for end-to-end tests: simulator over HTTP, sandbox runner
// processes, BullMQ scheduler on the test Redis, api on a real port over the test PostgreSQL.
import { randomBytes, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { inject } from 'vitest';
import { buildApp } from '@tickbox/api';
import type { App } from '@tickbox/api';
import { createSimulator } from '@tickbox/bitget-sim';
import { createDb } from '@tickbox/db';
import type { Db } from '@tickbox/db';
import { createLogBus, createQueues, createRedis } from '@tickbox/queue';
import type { Queues } from '@tickbox/queue';
import { SandboxSupervisor } from '@tickbox/sandbox';
import { createKeyring, generateToken, hashToken, parseMasterKeys } from '@tickbox/secrets';
import type { Keyring } from '@tickbox/secrets';
import { createScheduler } from '../src/create-scheduler.ts';
import type { SchedulerDeps } from '../src/create-scheduler.ts';
import type { ReconcileOptions, ReconcileSummary } from '../src/reconcile-orders.ts';

export interface Stack {
  base: string; simUrl: string; db: Db; queues: Queues; authHeader: string;
  /** The keyring the api encrypts keys with (tests decrypt a sim key to talk to the simulator directly). */
  keyring: Keyring;
  /** One order-reconciliation pass in the scheduler, now. */
  reconcileNow(options?: ReconcileOptions): Promise<ReconcileSummary>;
  http(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** Another user with an api token of its own: `http` as that user. */
  newUser(): Promise<Stack['http']>;
  stop(): Promise<void>;
}

export interface StackOptions { reconcile?: SchedulerDeps['reconcile'] }

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const db = createDb(inject('databaseUrl'), { max: 6 });
  const prefix = `e2e${randomUUID().slice(0, 6)}`;
  const keyring = createKeyring(parseMasterKeys(`e:${randomBytes(32).toString('base64')}`), 'e');
  const queues = createQueues(inject('redisUrl'), { prefix });
  const logBus = createLogBus(inject('redisUrl'), prefix);
  const redis = createRedis(inject('redisUrl'));
  const sim = createSimulator({ port: 0, seed: 42 });
  const simUrl = await sim.start();
  const supervisor = new SandboxSupervisor({
    limits: { wallTimeoutMs: 5000 },
    runnerHost: { module: new URL('../src/runner-public-bitget.ts', import.meta.url).href },
  });
  await supervisor.start();
  const scheduler = createScheduler({
    db, redisUrl: inject('redisUrl'), keyring, supervisor, logger: pino({ level: 'silent' }),
    bitgetBaseUrl: simUrl, simUrl, concurrency: 4, queuePrefix: prefix, wallTimeoutMs: 5000, reconcile: options.reconcile,
    // Alert receivers in tests listen on loopback.
    alertsAllowPrivate: true,
  });
  await scheduler.start();
  const app: App = await buildApp({ db, queues, logBus, keyring, logger: false, pingRedis: async () => { await redis.ping(); }, runTimeoutMs: 20_000 });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const newUser = async (): Promise<{ authorization: string; http: Stack['http'] }> => {
    const token = generateToken();
    await db.user.create({ data: { name: `e2e-${randomUUID()}`, tokens: { create: { name: 't', tokenHash: hashToken(token) } } } });
    const auth = { authorization: `Bearer ${token}` };
    return {
      authorization: auth.authorization,
      async http(method, path, body) {
        const res = await fetch(`${base}${path}`, {
          method, headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          body: body !== undefined ? JSON.stringify(body) : undefined,
        });
        const text = await res.text();
        return { status: res.status, json: text ? JSON.parse(text) : undefined };
      },
    };
  };
  const first = await newUser();
  return {
    base, simUrl, db, queues, authHeader: first.authorization, keyring,
    reconcileNow: (o) => scheduler.reconcileNow(o),
    http: first.http,
    newUser: async () => (await newUser()).http,
    async stop() {
      await app.close();
      await scheduler.stop();
      await supervisor.stop();
      await sim.stop();
      await queues.close();
      await logBus.close();
      redis.disconnect();
      await db.$disconnect();
    },
  };
}

export async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}
