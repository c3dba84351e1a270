import { defaultActiveKeyId } from '@tickbox/secrets';

export interface SchedulerConfig {
  databaseUrl: string;
  redisUrl: string;
  masterKeys: string;
  activeKeyId: string;
  bitgetBaseUrl: string;
  simUrl: string | undefined;
  concurrency: number;
  runners: number;
  logLevel: string;
  queuePrefix: string;
  sandbox: { memoryMb: number; wallTimeoutMs: number; cpuTimeoutMs: number };
  alertsAllowPrivate: boolean;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (!v) throw new Error(`${name} is required (see .env.example)`);
  return v;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min} (got "${raw}")`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv): Readonly<SchedulerConfig> {
  const masterKeys = required(env, 'TICKBOX_MASTER_KEYS');
  return Object.freeze({
    databaseUrl: required(env, 'DATABASE_URL'),
    redisUrl: required(env, 'REDIS_URL'),
    masterKeys,
    activeKeyId: env.TICKBOX_ACTIVE_KEY_ID ?? defaultActiveKeyId(masterKeys),
    bitgetBaseUrl: env.BITGET_BASE_URL ?? 'https://api.bitget.com',
    simUrl: env.SIM_URL || undefined,
    concurrency: int(env, 'SCHEDULER_CONCURRENCY', 8),
    runners: int(env, 'SANDBOX_RUNNERS', 1),
    logLevel: env.LOG_LEVEL ?? 'info',
    queuePrefix: env.TICKBOX_QUEUE_PREFIX ?? 'tickbox',
    alertsAllowPrivate: ['1', 'true', 'yes'].includes((env.TICKBOX_ALERTS_ALLOW_PRIVATE ?? '').toLowerCase()),
    sandbox: {
      memoryMb: int(env, 'SANDBOX_MEMORY_MB', 64, 8),
      wallTimeoutMs: int(env, 'SANDBOX_TICK_TIMEOUT_MS', 10_000, 100),
      cpuTimeoutMs: int(env, 'SANDBOX_CPU_TIMEOUT_MS', 1_000, 10),
    },
  });
}
