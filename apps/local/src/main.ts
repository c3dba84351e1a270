// `npm start`: embedded PostgreSQL + Redis (unless DATABASE_URL / REDIS_URL are set),
// migrations, the Bitget simulator, first-start seeding, then the api and scheduler as
// their own processes. Ctrl-C stops everything.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations, createDb, MIGRATIONS_DIR } from '@tickbox/db';
import { createSimulator } from '@tickbox/bitget-sim';
import { createKeyring, defaultActiveKeyId, loadOrCreateMasterKeyFile, parseMasterKeys } from '@tickbox/secrets';
import { loadConfig } from './config.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import type { RunningService } from './embedded-postgres.ts';
import { redisServerAvailable, REDIS_MISSING_HINT, startRedisServer } from './redis-server.ts';
import { runChild } from './child-process.ts';
import type { ManagedChild } from './child-process.ts';
import { seedIfEmpty } from './seed.ts';

const config = loadConfig(process.env, process.cwd());
const say = (msg: string) => process.stdout.write(`[tickbox] ${msg}\n`);

if (!config.redisUrl && !redisServerAvailable()) {
  process.stderr.write(`[tickbox] ${REDIS_MISSING_HINT}\n`);
  process.exit(1);
}

const services: RunningService[] = [];
const children: ManagedChild[] = [];
let simulator: ReturnType<typeof createSimulator> | undefined;
let stopping = false;
/** Services still starting: a Ctrl-C then waits for them, so that it can stop them too. */
const starting = new Set<Promise<unknown>>();

/** Thrown into the startup sequence when a stop was requested while it was waiting. */
class StopRequested extends Error {}

/** Starts a service and records it for stopAll, also when a stop arrives while it starts. */
async function startService(start: Promise<RunningService>): Promise<RunningService> {
  const registered = start.then((service) => {
    services.push(service);
    return service;
  });
  starting.add(registered);
  try {
    const service = await registered;
    if (stopping) throw new StopRequested('stopping');
    return service;
  } finally {
    starting.delete(registered);
  }
}

async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  say('stopping…');
  await Promise.allSettled([...starting]);
  await Promise.all(children.map((c) => c.stop()));
  await simulator?.stop().catch(() => undefined);
  for (const s of services.reverse()) await s.stop().catch(() => undefined);
  say('stopped');
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void stopAll(0));

try {
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    say(`starting embedded PostgreSQL in ${join(config.dataDir, 'postgres')}`);
    databaseUrl = (await startService(startEmbeddedPostgres(join(config.dataDir, 'postgres')))).url;
  }
  let redisUrl = config.redisUrl;
  if (!redisUrl) {
    redisUrl = (await startService(startRedisServer(join(config.dataDir, 'redis')))).url;
  }
  const migrations = await applyMigrations(databaseUrl, MIGRATIONS_DIR);
  say(`migrations: ${migrations.applied.length} applied, ${migrations.alreadyApplied.length} already applied`);

  const master = config.masterKeys
    ? { spec: config.masterKeys, activeKeyId: config.activeKeyId ?? defaultActiveKeyId(config.masterKeys) }
    : await loadOrCreateMasterKeyFile(join(config.dataDir, 'master.key'));
  const keyring = createKeyring(parseMasterKeys(master.spec), master.activeKeyId);

  if (stopping) throw new StopRequested('stopping');
  simulator = createSimulator({ port: config.simPort, dataFile: join(config.dataDir, 'sim-state.json') });
  const simUrl = await simulator.start();
  say(`Bitget simulator on ${simUrl}`);

  const db = createDb(databaseUrl, { max: 2 });
  const seeded = await seedIfEmpty(db, keyring, config.adminToken);
  await db.$disconnect();

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, SIM_URL: simUrl, PORT: String(config.port),
    TICKBOX_MASTER_KEYS: master.spec, TICKBOX_ACTIVE_KEY_ID: master.activeKeyId, LOG_LEVEL: config.logLevel,
    ...(config.bitgetBaseUrl ? { BITGET_BASE_URL: config.bitgetBaseUrl } : {}),
  };
  // A stop requested during any step above: stopAll is already running and will exit.
  if (stopping) throw new StopRequested('stopping');
  const entry = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
  children.push(runChild('scheduler', entry('../../scheduler/src/main.ts'), env, say));
  children.push(runChild('api', entry('../../api/src/server.ts'), env, say));

  const url = `http://localhost:${config.port}/`;
  say(`dashboard: ${url}`);
  if (seeded.created) {
    say('first start: seeded user "admin", a sim key and the demo worker "demo-dca-btcusdt" (every 5s)');
    if (seeded.adminToken) say(`admin API token (shown once, keep it): ${seeded.adminToken}`);
    else say('admin API token: the value of TICKBOX_ADMIN_TOKEN');
    if (seeded.adminToken) say(`open ${url}#token=${seeded.adminToken}`);
  } else {
    say('using existing data; the admin token was printed on first start (or set TICKBOX_ADMIN_TOKEN)');
  }
  say('press Ctrl-C to stop');
} catch (err) {
  // After Ctrl-C, stopAll (already running) stops what was started and exits 0.
  if (!stopping) {
    process.stderr.write(`[tickbox] could not start: ${(err as Error).message}\n`);
    await stopAll(1);
  }
}
