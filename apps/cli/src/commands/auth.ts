import type { MeViewT } from '@tickbox/contract';
import type { Command } from '../context.ts';
import { DEFAULT_URL, forgetLogin, normaliseUrl, readSavedLogin, saveLogin } from '../config.ts';
import { createApi } from '../http.ts';
import { json, keyValues } from '../output.ts';
import { readSecrets } from '../prompt.ts';

/** Checks the token with GET /api/me before saving it; a refused token is never saved. */
const login: Command = {
  name: 'login',
  async run(_args, _opts, ctx) {
    const saved = await readSavedLogin(ctx.env.configFile, ctx.warn);
    const url = normaliseUrl(ctx.flags.url ?? ctx.env.url ?? saved.url ?? DEFAULT_URL);
    const token = ctx.flags.token ?? ctx.env.token ?? (await readSecrets(ctx.io, ['API token'], 'or pass --token'))[0]!;
    const me = await createApi(url, token).get<MeViewT>('/api/me');
    await saveLogin(ctx.env.configFile, { url, token });
    if (ctx.json) return ctx.print(json(me));
    ctx.print(`logged in to ${url} as ${me.name}${me.isAdmin ? ' (admin)' : ''}\nsaved to ${ctx.env.configFile}\n`);
  },
};

const logout: Command = {
  name: 'logout',
  async run(_args, _opts, ctx) {
    const removed = await forgetLogin(ctx.env.configFile);
    ctx.print(removed ? `removed the saved login ${ctx.env.configFile}\n` : 'not logged in (no saved login)\n');
  },
};

const whoami: Command = {
  name: 'whoami',
  async run(_args, _opts, ctx) {
    const api = await ctx.api();
    const me = await api.get<MeViewT>('/api/me');
    if (ctx.json) return ctx.print(json(me));
    ctx.print(keyValues([['user', me.name], ['id', me.id], ['admin', me.isAdmin ? 'yes' : 'no'], ['server', api.url]]));
  },
};

export const authCommands: Command[] = [login, logout, whoami];
