import { resolve } from 'node:path';

export interface LocalConfig {
  dataDir: string;
  port: number;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  adminToken: string | undefined;
  masterKeys: string | undefined;
  activeKeyId: string | undefined;
  bitgetBaseUrl: string | undefined;
  simPort: number;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv, cwd: string): Readonly<LocalConfig> {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (got "${env.PORT}")`);
  const simPort = Number(env.SIM_PORT ?? 0);
  if (!Number.isInteger(simPort) || simPort < 0 || simPort > 65535) throw new Error(`SIM_PORT must be a port number (got "${env.SIM_PORT}")`);
  return Object.freeze({
    dataDir: resolve(cwd, env.TICKBOX_DATA_DIR ?? '.data'),
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    adminToken: env.TICKBOX_ADMIN_TOKEN || undefined,
    masterKeys: env.TICKBOX_MASTER_KEYS || undefined,
    activeKeyId: env.TICKBOX_ACTIVE_KEY_ID || undefined,
    bitgetBaseUrl: env.BITGET_BASE_URL || undefined,
    simPort,
    logLevel: env.LOG_LEVEL ?? 'info',
  });
}
