import { defaultActiveKeyId } from '@tickbox/secrets';

export interface ApiConfig {
  databaseUrl: string;
  redisUrl: string;
  host: string;
  port: number;
  masterKeys: string;
  activeKeyId: string;
  logLevel: string;
  runTimeoutMs: number;
  queuePrefix: string;
  adminToken: string | undefined;
  /** Base of the URLs users (and alert senders) reach this api on; webhook URLs are built on it. */
  publicUrl: string | undefined;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw new Error(`${name} is required (see .env.example)`);
  return v;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (got "${raw}")`);
  return n;
}

function publicUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try { url = new URL(raw); } catch { throw new Error(`TICKBOX_PUBLIC_URL must be an absolute http(s) URL (got "${raw}")`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`TICKBOX_PUBLIC_URL must be an http(s) URL (got "${raw}")`);
  return raw.replace(/\/+$/, '');
}

export function loadConfig(env: NodeJS.ProcessEnv): Readonly<ApiConfig> {
  const masterKeys = required(env, 'TICKBOX_MASTER_KEYS');
  return Object.freeze({
    databaseUrl: required(env, 'DATABASE_URL'),
    redisUrl: required(env, 'REDIS_URL'),
    host: env.HOST ?? '127.0.0.1',
    port: int(env, 'PORT', 3000),
    masterKeys,
    activeKeyId: env.TICKBOX_ACTIVE_KEY_ID ?? defaultActiveKeyId(masterKeys),
    logLevel: env.LOG_LEVEL ?? 'info',
    runTimeoutMs: int(env, 'RUN_TIMEOUT_MS', 60_000),
    queuePrefix: env.TICKBOX_QUEUE_PREFIX ?? 'tickbox',
    adminToken: env.TICKBOX_ADMIN_TOKEN || undefined,
    publicUrl: publicUrl(env.TICKBOX_PUBLIC_URL),
  });
}
