// Entry: reads config, builds the app, listens, closes gracefully.
import { pino } from 'pino';
import { createDb, ensureAdmin } from '@tickbox/db';
import { createKeyring, hashToken, parseMasterKeys } from '@tickbox/secrets';
import { createLogBus, createQueues, createRedis } from '@tickbox/queue';
import { WEB_ROOT } from '@tickbox/web';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { LOG_REDACT } from './log-redact.ts';

const config = loadConfig(process.env);
const logger = pino({ level: config.logLevel, redact: LOG_REDACT, name: 'api' });
const db = createDb(config.databaseUrl);
const queues = createQueues(config.redisUrl, { prefix: config.queuePrefix });
const redis = createRedis(config.redisUrl);
const logBus = createLogBus(config.redisUrl, config.queuePrefix);
if (config.adminToken) {
  const admin = await ensureAdmin(db, hashToken(config.adminToken));
  if (admin.created) logger.info('created the admin user for TICKBOX_ADMIN_TOKEN');
}
const keyring = createKeyring(parseMasterKeys(config.masterKeys), config.activeKeyId);
const app = await buildApp({
  db, queues, logBus, keyring, logger, webRoot: WEB_ROOT, runTimeoutMs: config.runTimeoutMs, publicUrl: config.publicUrl,
  trustProxy: config.trustProxy, pingRedis: async () => { await redis.ping(); },
});
await app.listen({ host: config.host, port: config.port });

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down');
  await app.close();
  await queues.close();
  await logBus.close();
  redis.disconnect();
  await db.$disconnect();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
