import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { KeyViewT, WorkerViewT } from '@tickbox/contract';
import { str } from '../args.ts';
import type { Command } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { ApiError, type Api } from '../http.ts';
import { json, schedule } from '../output.ts';
import { keyId, workersNamed } from '../refs.ts';

const LANGUAGES: Record<string, 'js' | 'ts'> = { '.js': 'js', '.mjs': 'js', '.ts': 'ts', '.mts': 'ts' };

/**
 * Creates the worker, or — when one with that name exists — sends the new code (a new version:
 * setup runs again before the next tick) and any schedule, key or product type given.
 */
const deploy: Command = {
  name: 'workers deploy',
  args: ['file'],
  options: {
    name: { type: 'string' }, every: { type: 'string' }, cron: { type: 'string' }, key: { type: 'string' },
    'product-type': { type: 'string' }, disabled: { type: 'boolean' },
  },
  async run([file], opts, ctx) {
    const language = LANGUAGES[extname(file!).toLowerCase()];
    if (!language) throw new UsageError(`workers deploy: cannot tell the language of ${file}; use a .js or .ts file`, 'workers');
    const name = str(opts, 'name') ?? basename(file!, extname(file!));
    const every = str(opts, 'every');
    const cron = str(opts, 'cron');
    if (every !== undefined && cron !== undefined) throw new UsageError('workers deploy: give --every or --cron, not both', 'workers');
    const sched = every !== undefined ? { every } : cron !== undefined ? { cron } : undefined;
    let code: string;
    try {
      code = await readFile(resolve(ctx.env.cwd, file!), 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const api = await ctx.api();
    const key = str(opts, 'key');
    const fields: { schedule?: unknown; keyId?: string | null; productType?: string } = {
      ...(sched ? { schedule: sched } : {}),
      // --key none: no key (only public market data), also to unbind one on a redeploy.
      ...(key !== undefined ? { keyId: key === 'none' ? null : await keyId(api, key) } : {}),
      ...(str(opts, 'product-type') !== undefined ? { productType: str(opts, 'product-type') } : {}),
    };
    const existing = await workersNamed(api, name);
    if (existing.length > 1) throw new CliError(`${existing.length} workers are named "${name}"; rename or remove one first (${existing.map((w) => w.id).join(', ')})`);
    const before = existing[0];
    let w: WorkerViewT;
    let keyNote: string | undefined;
    try {
      if (before) {
        w = await api.patch<WorkerViewT>(`/api/workers/${before.id}`, { code, language, ...fields });
        if (opts.disabled && w.enabled) w = await api.post<WorkerViewT>(`/api/workers/${w.id}/disable`);
      } else {
        if (!sched) throw new UsageError('workers deploy: a new worker needs --every (e.g. 10s) or --cron', 'workers');
        if (key === undefined) keyNote = await defaultKey(api, fields);
        w = await api.post<WorkerViewT>('/api/workers', { name, code, language, ...fields, enabled: !opts.disabled });
      }
    } catch (err) {
      throw located(err, file!, code);
    }
    // On stderr, so also with --json: a key is never bound without the user seeing which.
    if (keyNote) ctx.warn(keyNote);
    if (ctx.json) return ctx.print(json(w));
    const how = `${schedule(w.schedule)}, ${w.enabled ? 'enabled' : 'disabled'}`;
    ctx.print(before
      ? `updated worker ${w.name} (${w.id}): new version ${w.versionId} (was ${before.versionId}), ${how}\n`
      : `created worker ${w.name} (${w.id}), version ${w.versionId}, ${how}\n`);
  },
};

/**
 * A new worker deployed without --key: a user whose only key is a sim or demo key gets it bound
 * (a trader with one paper key means it); a live key is never bound unasked, and with none or
 * several keys none is. The note says which, so a key is never bound without the user seeing it.
 */
async function defaultKey(api: Api, fields: { keyId?: string | null }): Promise<string> {
  const keys = await api.get<KeyViewT[]>('/api/keys');
  const only = keys.length === 1 ? keys[0]! : undefined;
  if (only && only.mode !== 'live') {
    fields.keyId = only.id;
    return `key: ${only.name} (${only.mode}), your only key; --key none deploys without one`;
  }
  const hint = keys.length === 0 ? 'add one with tickbox keys add, then deploy again with --key NAME'
    : only ? `your only key, ${only.name}, is a live key: bind it explicitly with --key ${only.name}`
      : `choose one with --key (${keys.map((k) => k.name).join(', ')})`;
  return `note: no exchange key bound: only public market data works (orders, balances and positions fail); ${hint}`;
}

/** A syntax error answer points into the user's file: `--> bot.js:2:13`, the line and a caret. */
function located(err: unknown, file: string, code: string): unknown {
  if (!(err instanceof ApiError)) return err;
  const d = err.details as { line?: unknown; column?: unknown } | undefined;
  if (typeof d?.line !== 'number' || typeof d.column !== 'number') return err;
  const text = code.split(/\r?\n/)[d.line - 1];
  const lines = [`  --> ${file}:${d.line}:${d.column}`];
  if (text !== undefined) {
    const gutter = String(d.line).length;
    const pad = text.slice(0, Math.max(0, d.column - 1)).replace(/[^\t]/g, ' ');
    lines.push(`${' '.repeat(gutter)} |`, `${d.line} | ${text}`, `${' '.repeat(gutter)} | ${pad}^`);
  }
  return new CliError(err.summary(), { lines });
}

export const deployCommands: Command[] = [deploy];
