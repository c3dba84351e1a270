import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, UsageError } from './errors.ts';

/** What `tickbox login` saves. */
export interface SavedLogin { url?: string; token?: string }

/** Where the connection comes from, in order: flags, then environment, then the saved login. */
export interface ConnectionSources {
  flags: { url?: string; token?: string };
  env: { url?: string; token?: string };
  saved: SavedLogin;
}

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** TICKBOX_CONFIG, else $XDG_CONFIG_HOME/tickbox/config.json, else ~/.config/tickbox/config.json. */
export function configPath(env: { TICKBOX_CONFIG?: string; XDG_CONFIG_HOME?: string; HOME?: string }): string {
  if (env.TICKBOX_CONFIG) return env.TICKBOX_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'tickbox', 'config.json');
}

export async function readSavedLogin(path: string, warn: (line: string) => void): Promise<SavedLogin> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`);
  }
  const mode = (await stat(path)).mode;
  if (mode & 0o077) warn(`warning: ${path} can be read by other users; run: chmod 600 ${path}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not valid JSON; fix it or run tickbox login again`);
  }
  const o = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  return {
    ...(typeof o.url === 'string' ? { url: o.url } : {}),
    ...(typeof o.token === 'string' ? { token: o.token } : {}),
  };
}

/** Written next to the target and renamed into place, 0600 inside a 0700 directory. */
export async function saveLogin(path: string, login: Required<SavedLogin>): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomUUID().slice(0, 8)}.tmp`;
  await writeFile(tmp, JSON.stringify({ url: login.url, token: login.token }, null, 2) + '\n', { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

export async function forgetLogin(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new CliError(`cannot remove ${path}: ${(err as Error).message}`);
  }
}

/** `http(s)://host[:port][/prefix]` without a trailing slash; anything else is a usage mistake. */
export function normaliseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--url "${raw}" is not a URL (expected e.g. ${DEFAULT_URL})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--url must start with http:// or https:// (got "${raw}")`);
  if (url.search || url.hash || url.username || url.password) throw new UsageError('--url must not carry a query, fragment or credentials');
  return url.href.replace(/\/+$/, '');
}

export function resolveConnection(s: ConnectionSources): { url: string; token: string } {
  const url = normaliseUrl(s.flags.url ?? s.env.url ?? s.saved.url ?? DEFAULT_URL);
  const token = s.flags.token ?? s.env.token ?? s.saved.token;
  if (!token) throw new CliError('not logged in: run `tickbox login --url URL --token TOKEN`, set TICKBOX_TOKEN, or pass --token');
  return { url, token };
}
