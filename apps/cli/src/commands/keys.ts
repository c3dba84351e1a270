import type { KeyViewT } from '@tickbox/contract';
import { requireStr, str } from '../args.ts';
import type { Command } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { ApiError } from '../http.ts';
import { json, table, time } from '../output.ts';
import { readSecrets } from '../prompt.ts';
import { keyId } from '../refs.ts';

const MODES = ['sim', 'demo', 'live'];
const masked = (hint: string) => (hint === '****' ? '****' : `****${hint}`);

const list: Command = {
  name: 'keys list',
  async run(_args, _opts, ctx) {
    const keys = await (await ctx.api()).get<KeyViewT[]>('/api/keys');
    if (ctx.json) return ctx.print(json(keys));
    if (keys.length === 0) return ctx.print('no keys yet (tickbox keys add --name NAME --mode sim)\n');
    ctx.print(table(['id', 'name', 'mode', 'api key', 'created', 'rotated'], keys.map((k) => [k.id, k.name, k.mode, masked(k.apiKeyHint), time(k.createdAt), k.rotatedAt ? time(k.rotatedAt) : '-'])));
  },
};

/**
 * The API key is not secret (Bitget shows it in full), so it may be a flag; the secret and
 * passphrase come only from TICKBOX_KEY_SECRET / TICKBOX_KEY_PASSPHRASE or stdin. A `sim` key
 * without --api-key gets credentials made up by Tickbox, so nothing is read.
 */
const add: Command = {
  name: 'keys add',
  options: { name: { type: 'string' }, mode: { type: 'string' }, 'api-key': { type: 'string' } },
  async run(_args, opts, ctx) {
    const name = requireStr(opts, 'name', 'keys add');
    const mode = requireStr(opts, 'mode', 'keys add');
    if (!MODES.includes(mode)) throw new UsageError(`keys add: --mode must be one of ${MODES.join(', ')} (got "${mode}")`, 'keys');
    const apiKey = str(opts, 'api-key');
    if (!apiKey && mode !== 'sim') throw new UsageError(`keys add: --api-key is required for a ${mode} key`, 'keys');
    const creds = apiKey ? { apiKey, ...(await readKeySecrets(ctx)) } : {};
    const key = await (await ctx.api()).post<KeyViewT>('/api/keys', { name, mode, ...creds });
    if (ctx.json) return ctx.print(json(key));
    ctx.print(`added ${key.mode} key ${key.name} (${key.id}), API key ${masked(key.apiKeyHint)}\n`);
  },
};

/** Secret and passphrase as `keys add` reads them: environment, else stdin. */
async function readKeySecrets(ctx: Parameters<Command['run']>[2]): Promise<{ secret: string; passphrase: string }> {
  const missing = [ctx.env.keySecret === undefined ? 'API secret' : '', ctx.env.keyPassphrase === undefined ? 'passphrase' : ''].filter(Boolean);
  const read = await readSecrets(ctx.io, missing, 'or set TICKBOX_KEY_SECRET and TICKBOX_KEY_PASSPHRASE');
  return { secret: ctx.env.keySecret ?? read.shift()!, passphrase: ctx.env.keyPassphrase ?? read.shift()! };
}

/**
 * New credentials of the same Bitget account under the same key (Bitget keys expire, or get
 * replaced): the workers bound to it sign with them from their next tick.
 */
const rotate: Command = {
  name: 'keys rotate',
  args: ['key'],
  options: { 'api-key': { type: 'string' } },
  async run([ref], opts, ctx) {
    const apiKey = requireStr(opts, 'api-key', 'keys rotate');
    const api = await ctx.api();
    const id = await keyId(api, ref!);
    const key = await api.patch<KeyViewT>(`/api/keys/${id}`, { apiKey, ...(await readKeySecrets(ctx)) });
    if (ctx.json) return ctx.print(json(key));
    ctx.print(`rotated ${key.mode} key ${key.name} (${key.id}): API key now ${masked(key.apiKeyHint)}; its workers use it from their next tick\n`);
  },
};

const rename: Command = {
  name: 'keys rename',
  args: ['key', 'name'],
  async run([ref, name], _opts, ctx) {
    const api = await ctx.api();
    const key = await api.patch<KeyViewT>(`/api/keys/${await keyId(api, ref!)}`, { name });
    if (ctx.json) return ctx.print(json(key));
    ctx.print(`renamed key ${ref} to ${key.name}\n`);
  },
};

interface AccountView {
  productType: string; fetchedAt: string;
  accounts: Record<string, string | null>[]; positions: Record<string, string | null>[];
}

/** A key's futures balances and open positions, as the exchange reports them (read by the scheduler). */
const account: Command = {
  name: 'keys account',
  args: ['key'],
  options: { 'product-type': { type: 'string' } },
  async run([ref], opts, ctx) {
    const api = await ctx.api();
    const productType = str(opts, 'product-type');
    const view = await api.get<AccountView>(`/api/keys/${await keyId(api, ref!)}/account`, { productType });
    if (ctx.json) return ctx.print(json(view));
    const list = <T>(v: T[] | unknown): T[] => (Array.isArray(v) ? v : []);
    ctx.print(`${view.productType} balances at ${time(view.fetchedAt)}\n`);
    ctx.print(table(['coin', 'equity', 'available', 'locked', 'unrealized pnl'],
      list<Record<string, string | null>>(view.accounts).map((a) => [a.marginCoin, a.accountEquity, a.available, a.locked, a.unrealizedPL])));
    const positions = list<Record<string, string | null>>(view.positions);
    if (positions.length === 0) return ctx.print('\nno open positions\n');
    ctx.print('\n');
    ctx.print(table(['symbol', 'side', 'size', 'entry', 'mark', 'unrealized pnl', 'leverage', 'margin mode', 'liquidation'],
      positions.map((p) => [p.symbol, p.holdSide, p.total, p.openPriceAvg, p.markPrice, p.unrealizedPL, p.leverage, p.marginMode, p.liquidationPrice])));
  },
};

const rm: Command = {
  name: 'keys rm',
  args: ['key'],
  options: { force: { type: 'boolean' } },
  async run([ref], opts, ctx) {
    const api = await ctx.api();
    const id = await keyId(api, ref!);
    try {
      await api.del(`/api/keys/${id}`, { force: opts.force ? 'true' : undefined });
    } catch (err) {
      // The api's advice names its query parameter; say it the CLI's way.
      if (err instanceof ApiError && err.status === 409) {
        const workers = (err.details as { workers?: { id: string; name: string }[] } | undefined)?.workers;
        throw new CliError(err.summary(), {
          lines: [
            ...(workers?.length ? [`used by: ${workers.map((w) => `${w.name} (${w.id})`).join(', ')}`] : []),
            `hint: tickbox keys rm ${ref} --force removes it anyway (workers using it lose their key)`,
          ],
        });
      }
      throw err;
    }
    if (!ctx.json) ctx.print(`removed key ${ref}\n`);
  },
};

export const keyCommands: Command[] = [list, add, rotate, rename, account, rm];
