import type { UserCreatedViewT, UserViewT } from '@tickbox/contract';
import type { Command } from '../context.ts';
import { json, table, time } from '../output.ts';

/** Admins only; the api answers anyone else with 403 (`only an admin can list users`). */
const list: Command = {
  name: 'users list',
  async run(_args, _opts, ctx) {
    const users = await (await ctx.api()).get<UserViewT[]>('/api/users');
    if (ctx.json) return ctx.print(json(users));
    ctx.print(table(['id', 'name', 'admin', 'workers', 'tokens', 'created'],
      users.map((u) => [u.id, u.name, u.isAdmin ? 'yes' : 'no', u.workers, u.tokens, time(u.createdAt)])));
  },
};

/** Admins only. The new user's first token is in the api's answer only, so it is printed this once. */
const create: Command = {
  name: 'users create',
  args: ['name'],
  options: { admin: { type: 'boolean' } },
  async run([name], opts, ctx) {
    const user = await (await ctx.api()).post<UserCreatedViewT>('/api/users', { name, isAdmin: opts.admin === true });
    if (ctx.json) return ctx.print(json(user));
    ctx.print([
      `created ${user.isAdmin ? 'admin' : 'user'} ${user.name} (${user.id}); API token:`,
      '',
      `  ${user.token}`,
      '',
      `It is shown only now and cannot be shown again: hand it to ${user.name} over a safe channel;`,
      'they log in with tickbox login --token … and can make more with tickbox tokens create.',
      '',
    ].join('\n'));
  },
};

export const userCommands: Command[] = [list, create];
