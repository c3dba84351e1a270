import type { TokenCreatedViewT, TokenViewT } from '@tickbox/contract';
import type { Command } from '../context.ts';
import { CliError } from '../errors.ts';
import { ApiError } from '../http.ts';
import { json, table, time } from '../output.ts';
import { tokenRef } from '../refs.ts';

/** Your API tokens; the one this command used is marked (like kubectl's current context). */
const list: Command = {
  name: 'tokens list',
  async run(_args, _opts, ctx) {
    const tokens = await (await ctx.api()).get<TokenViewT[]>('/api/tokens');
    if (ctx.json) return ctx.print(json(tokens));
    ctx.print(table(['current', 'name', 'id', 'created', 'last used'],
      tokens.map((t) => [t.current ? '*' : ' ', t.name, t.id, time(t.createdAt), t.lastUsedAt ? time(t.lastUsedAt) : 'never'])));
  },
};

/** The token is in the api's answer only, so this is the one time it can be printed. */
const create: Command = {
  name: 'tokens create',
  args: ['name'],
  async run([name], _opts, ctx) {
    const token = await (await ctx.api()).post<TokenCreatedViewT>('/api/tokens', { name });
    if (ctx.json) return ctx.print(json(token));
    ctx.print([
      `created token ${token.name} (${token.id}):`,
      '',
      `  ${token.token}`,
      '',
      'It is shown only now and cannot be shown again; keep it like a password.',
      `Use it with tickbox login --token … or TICKBOX_TOKEN; tickbox tokens revoke ${token.name} revokes it.`,
      '',
    ].join('\n'));
  },
};

const revoke: Command = {
  name: 'tokens revoke',
  args: ['token'],
  async run([ref], _opts, ctx) {
    const api = await ctx.api();
    const token = await tokenRef(api, ref!);
    try {
      await api.del(`/api/tokens/${token.id}`);
    } catch (err) {
      // The api's advice names its route; say it the CLI's way.
      if (err instanceof ApiError && err.status === 409) {
        throw new CliError(err.summary(), { lines: ['hint: tickbox tokens create NAME makes another token; log in with it, then revoke this one'] });
      }
      throw err;
    }
    if (ctx.json) return;
    ctx.print(token.current
      ? `revoked token ${ref}, the one this command used: log in with another token (tickbox login)\n`
      : `revoked token ${ref}; it no longer works\n`);
  },
};

export const tokenCommands: Command[] = [list, create, revoke];
