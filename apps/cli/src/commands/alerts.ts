import type { AlertsViewT } from '@tickbox/contract';
import type { Command } from '../context.ts';
import { json, keyValues, time } from '../output.ts';
import { readSecrets } from '../prompt.ts';

/**
 * Failure alerts: where the scheduler POSTs when a worker's setup fails (it stops), a tick fails
 * after one that did not, or a worker recovers. The URL is a credential (a Slack or Discord
 * webhook URL carries its token), so like key secrets it is read from stdin or TICKBOX_ALERT_URL,
 * never from a flag, and never printed back (only its host).
 */
const show: Command = {
  name: 'alerts show',
  async run(_args, _opts, ctx) {
    const a = await (await ctx.api()).get<AlertsViewT>('/api/me/alerts');
    if (ctx.json) return ctx.print(json(a));
    ctx.print(keyValues([['alerts', a.enabled ? `on, to ${a.host}` : 'off'], ['changed', a.updatedAt ? time(a.updatedAt) : null]]));
  },
};

const set: Command = {
  name: 'alerts set',
  async run(_args, _opts, ctx) {
    const url = ctx.env.alertUrl ?? (await readSecrets(ctx.io, ['alert URL'], 'or set TICKBOX_ALERT_URL'))[0]!;
    const a = await (await ctx.api()).put<AlertsViewT>('/api/me/alerts', { url: url.trim() });
    if (ctx.json) return ctx.print(json(a));
    ctx.print(`alerts on, to ${a.host}; tickbox alerts test sends one now\n`);
  },
};

const off: Command = {
  name: 'alerts off',
  async run(_args, _opts, ctx) {
    await (await ctx.api()).del('/api/me/alerts');
    if (!ctx.json) ctx.print('alerts off\n');
  },
};

const test: Command = {
  name: 'alerts test',
  async run(_args, _opts, ctx) {
    const r = await (await ctx.api()).post<{ queued: boolean; host: string }>('/api/me/alerts/test');
    if (ctx.json) return ctx.print(json(r));
    ctx.print(`test alert queued for ${r.host}; the scheduler sends it (tried 3 times)\n`);
  },
};

export const alertCommands: Command[] = [show, set, off, test];
