// Runs the real CLI as a child process against a real api (see apps/api/test/harness.ts)
// on the test PostgreSQL and Redis.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { createHarness, createUser } from '../../api/test/harness.ts';
import type { Harness } from '../../api/test/harness.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface Result { code: number | null; stdout: string; stderr: string }

export interface RunOptions {
  /** Extra environment (TICKBOX_* and friends); nothing of the test runner's own TICKBOX_* leaks in. */
  env?: Record<string, string>;
  /** Written to the child's stdin, which is then closed. */
  stdin?: string;
}

/** A temp folder standing in for the user's home; its config file is what TICKBOX_CONFIG names. */
export interface Sandbox { dir: string; configFile: string; env: Record<string, string>; cleanup(): Promise<void> }

export async function sandbox(): Promise<Sandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'tickbox-cli-'));
  const configFile = join(dir, 'config', 'tickbox', 'config.json');
  return {
    dir, configFile,
    env: { HOME: dir, TICKBOX_CONFIG: configFile },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('TICKBOX_') && k !== 'XDG_CONFIG_HOME') base[k] = v;
  return { ...base, NO_COLOR: '1', ...extra };
}

export function start(args: string[], options: RunOptions = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: REPO_ROOT, env: childEnv(options.env) });
}

export async function cli(args: string[], options: RunOptions = {}): Promise<Result> {
  const child = start(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  child.stdin.end(options.stdin ?? '');
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  });
  return { code, stdout, stderr };
}

/** The api on a real loopback port, plus a user and its token. */
export interface LiveApi { h: Harness; url: string; token: string; userId: string; close(): Promise<void> }

export async function liveApi(): Promise<LiveApi> {
  const h = await createHarness();
  const url = await h.app.listen({ host: '127.0.0.1', port: 0 });
  const { userId, auth } = await createUser(h.db);
  return { h, url, userId, token: auth.authorization.slice('Bearer '.length), close: () => h.close() };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * For a test file: a live api and a private config directory for its whole run, and the CLI's
 * environment logged in through TICKBOX_URL / TICKBOX_TOKEN. Read the fields inside tests.
 */
export function useLiveCli(): { api: LiveApi; box: Sandbox; env: Record<string, string> } {
  const ctx = {} as { api: LiveApi; box: Sandbox; env: Record<string, string> };
  beforeAll(async () => {
    ctx.api = await liveApi();
    ctx.box = await sandbox();
    ctx.env = { ...ctx.box.env, TICKBOX_URL: ctx.api.url, TICKBOX_TOKEN: ctx.api.token };
  });
  afterAll(async () => {
    await ctx.api?.close();
    await ctx.box?.cleanup();
  });
  return ctx;
}
