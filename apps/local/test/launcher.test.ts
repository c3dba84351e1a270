// `npm start` as a user runs it: a real child process with embedded PostgreSQL, redis-server,
// the simulator, the api and the scheduler, then Ctrl-C, then a second start on the same data.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/free-port.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const TOKEN = 'tbx_launcher_test_token_0123456789';
let dataDir: string;
const running: ChildProcess[] = [];

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra, LOG_LEVEL: 'warn' };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'TICKBOX_MASTER_KEYS', 'TICKBOX_ACTIVE_KEY_ID', 'SIM_URL', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[k];
  return env;
}

function start(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--no-node-snapshot', MAIN], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function poll<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, output: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; launcher output:\n${output()}`);
}

const get = async (port: number, path: string) => {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return res.ok ? ((await res.json()) as any) : undefined;
};

/** Command lines of the live processes that mention `text` (Linux /proc). */
async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) found.push(cmdline.replaceAll('\0', ' ').trim());
  }
  return found;
}

afterAll(async () => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('comes up from nothing, places the demo order within 60 s, stops on Ctrl-C, and restarts on the same data', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tickbox-start-'));
    await chmod(dataDir, 0o755);
    const port = await freePort();
    const env = baseEnv({ TICKBOX_DATA_DIR: dataDir, PORT: String(port), TICKBOX_ADMIN_TOKEN: TOKEN });
    const first = start(env);
    const startedAt = Date.now();
    const trade = await poll('a demo order in /api/trades', async () => {
      const page = await get(port, '/api/trades');
      return page?.items.find((t: { status: string }) => t.status === 'accepted');
    }, 60_000, first.output);
    const seconds = (Date.now() - startedAt) / 1000;
    expect(seconds).toBeLessThan(60);
    expect(trade).toMatchObject({ mode: 'sim', symbol: 'BTCUSDT', side: 'buy' });
    expect(first.output()).toContain(`dashboard: http://localhost:${port}/`);
    expect((await get(port, '/api/workers')).map((w: { name: string }) => w.name)).toEqual(['demo-dca-btcusdt']);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('stopped');

    const second = start(env);
    const workers = await poll('the api after restart', () => get(port, '/api/workers'), 60_000, second.output);
    expect(workers.map((w: { name: string }) => w.name)).toEqual(['demo-dca-btcusdt']);
    expect(second.output()).toContain('using existing data');
    const trades = await get(port, '/api/trades');
    expect(trades.items.some((t: { clientOid: string }) => t.clientOid === trade.clientOid)).toBe(true);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 180_000);

  it('Ctrl-C while PostgreSQL is still starting stops it too: nothing is left running', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tickbox-early-stop-'));
    await chmod(dir, 0o755);
    try {
      const run = start(baseEnv({ TICKBOX_DATA_DIR: dir, PORT: String(await freePort()), TICKBOX_ADMIN_TOKEN: TOKEN }));
      await poll('PostgreSQL starting', async () => (run.output().includes('starting embedded PostgreSQL') ? true : undefined), 30_000, run.output);
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('stopped');
      // no process (postgres, redis-server) still uses the data directory
      expect(await processesMentioning(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('without REDIS_URL or a redis-server binary, prints the install hint and exits non-zero', async () => {
    const nodeDir = dirname(process.execPath);
    const which = spawnSync('sh', ['-c', 'command -v redis-server'], { env: { PATH: nodeDir } });
    expect(which.status).not.toBe(0);
    const run = start(baseEnv({ PATH: nodeDir, TICKBOX_DATA_DIR: join(tmpdir(), 'tickbox-unused') }));
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toContain('apt-get install -y redis-server');
  }, 30_000);
});
