// Entry: reads config, starts the sandbox runners and the BullMQ workers, stops cleanly.
import { pino } from 'pino';
import { createDb } from '@tickbox/db';
import { SandboxSupervisor } from '@tickbox/sandbox';
import { createKeyring, parseMasterKeys } from '@tickbox/secrets';
import { loadConfig } from './config.ts';
import { createScheduler } from './create-scheduler.ts';

const config = loadConfig(process.env);
const logger = pino({ level: config.logLevel, name: 'scheduler', redact: { paths: ['*.secret', '*.passphrase', '*.apiKey', 'credentials'], censor: '[redacted]' } });
const db = createDb(config.databaseUrl);
const supervisor = new SandboxSupervisor({
  runners: config.runners,
  limits: { memoryMb: config.sandbox.memoryMb, wallTimeoutMs: config.sandbox.wallTimeoutMs, cpuTimeoutMs: config.sandbox.cpuTimeoutMs },
  logger: logger.child({ component: 'sandbox' }),
  // Public (keyless) ctx.bitget calls run inside the runners; keyed ones still come here.
  runnerHost: { module: new URL('./runner-public-bitget.ts', import.meta.url).href },
});
await supervisor.start();
const scheduler = createScheduler({
  db, redisUrl: config.redisUrl, keyring: createKeyring(parseMasterKeys(config.masterKeys), config.activeKeyId),
  supervisor, logger, bitgetBaseUrl: config.bitgetBaseUrl, simUrl: config.simUrl, runners: config.runners, concurrency: config.concurrency,
  queuePrefix: config.queuePrefix, wallTimeoutMs: config.sandbox.wallTimeoutMs, alertsAllowPrivate: config.alertsAllowPrivate,
});
await scheduler.start();
logger.info({ concurrency: config.concurrency, runners: config.runners }, 'scheduler started');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  await scheduler.stop();
  await supervisor.stop();
  await db.$disconnect();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
