import type { AlertsViewT, WorkerViewT } from '@tickbox/contract';
import type { Command } from '../context.ts';
import { json, keyValues, time } from '../output.ts';
import { readSecrets } from '../prompt.ts';
import { workerId } from '../refs.ts';

/**
 * Failure alerts: where the scheduler POSTs when a worker's setup fails (it stops), a tick fails
 * after one that did not, a worker recovers, or the exchange rejects an order. The URL is a
 * credential (a Slack or Discord webhook URL carries its token), so like key secrets it is read
 * from stdin or TICKBOX_ALERT_URL, never from a flag, and never printed back (only its host).
 */
const show: Command = {
  name: 'alerts show',
  async run(_args, _opts, ctx) {
    const api = await ctx.api();
    const a = await api.get<AlertsViewT>('/api/me/alerts');
    if (ctx.json) return ctx.print(json(a));
    const muted = (await api.get<WorkerViewT[]>('/api/workers')).filter((w) => !w.alerts).map((w) => w.name);
    ctx.print(keyValues([
      ['alerts', a.enabled ? `on, to ${a.host}` : 'off'], ['changed', a.updatedAt ? time(a.updatedAt) : null],
      ...(a.enabled ? [['last delivered', a.lastSentAt ? time(a.lastSentAt) : 'never'] as [string, string]] : []),
      ...(a.lastError ? [['last failure', `${time(a.lastErrorAt)}: ${a.lastError}`] as [string, string]] : []),
      ['muted workers', muted.length > 0 ? muted.join(', ') : 'none'],
    ]));
  },
};

/** mute / unmute: one worker's alerts off or on again (PATCH /api/workers/:id {alerts}). */
function mute(action: 'mute' | 'unmute'): Command {
  return {
    name: `alerts ${action}`,
    args: ['worker'],
    async run([ref], _opts, ctx) {
      const api = await ctx.api();
      const w = await api.patch<WorkerViewT>(`/api/workers/${await workerId(api, ref!)}`, { alerts: action === 'unmute' });
      if (ctx.json) return ctx.print(json(w));
      ctx.print(action === 'mute' ? `worker ${w.name} sends no alerts now\n` : `worker ${w.name} sends alerts again\n`);
    },
  };
}

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

export const alertCommands: Command[] = [show, set, off, test, mute('mute'), mute('unmute')];
