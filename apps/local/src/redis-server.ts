import { spawn, spawnSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { freePort } from './free-port.ts';
import { LocalError } from './local-error.ts';
import type { RunningService } from './embedded-postgres.ts';

export const REDIS_MISSING_HINT =
  'Redis is required: set REDIS_URL, or install redis-server (Debian/Ubuntu: sudo apt-get install -y redis-server).';

export function redisServerAvailable(binary = 'redis-server'): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A private redis-server on loopback with its AOF/RDB data in `dir`. */
export async function startRedisServer(dir: string, binary = 'redis-server', stopGraceMs = 10_000): Promise<RunningService> {
  if (!redisServerAvailable(binary)) throw new LocalError('REDIS_MISSING', REDIS_MISSING_HINT);
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(binary, [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '60 1',
    '--appendonly', 'yes', '--daemonize', 'no', '--protected-mode', 'yes', '--loglevel', 'warning',
    // BullMQ requires that Redis never evicts its keys.
    '--maxmemory-policy', 'noeviction',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port, 10_000, () => child.exitCode !== null).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new LocalError('REDIS_START_FAILED', `redis-server did not start: ${err.message} ${stderr.trim()}`);
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      // Redis refuses to exit on SIGTERM when its final save fails (a full disk, a data dir
      // removed under it): after the grace period it is killed; the AOF keeps what was written.
      const timer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitForPort(port: number, timeoutMs: number, dead: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead()) throw new Error('process exited');
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} not open after ${timeoutMs} ms`);
}
