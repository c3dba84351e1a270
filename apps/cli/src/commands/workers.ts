import type { WorkerViewT } from '@tickbox/contract';
import type { Command } from '../context.ts';
import { json, keyValues, ms, schedule, table, time } from '../output.ts';
import { workerDetail, workerId } from '../refs.ts';
import { sendersText } from './webhook.ts';

interface LastTick { status: string; phase: string; error: string | null; startedAt: string; wallMs: number | null }

const list: Command = {
  name: 'workers list',
  async run(_args, _opts, ctx) {
    const workers = await (await ctx.api()).get<WorkerViewT[]>('/api/workers');
    if (ctx.json) return ctx.print(json(workers));
    if (workers.length === 0) return ctx.print('no workers yet (tickbox workers deploy FILE --name NAME --every 10s)\n');
    ctx.print(table(['id', 'name', 'status', 'enabled', 'schedule', 'product type', 'last error'],
      workers.map((w) => [w.id, w.name, w.status, w.enabled ? 'yes' : 'no', schedule(w.schedule), w.productType, w.lastError])));
  },
};

const show: Command = {
  name: 'workers show',
  args: ['worker'],
  options: { code: { type: 'boolean' } },
  async run([ref], opts, ctx) {
    const w = await workerDetail(await ctx.api(), ref!);
    if (opts.code) return ctx.print(w.code === undefined || w.code.endsWith('\n') ? (w.code ?? '') : `${w.code}\n`);
    if (ctx.json) return ctx.print(json(w));
    const last = (w.lastTick ?? null) as LastTick | null;
    ctx.print(keyValues([
      ['id', w.id], ['name', w.name], ['status', w.status], ['enabled', w.enabled ? 'yes' : 'no'],
      ['alerts', w.alerts ? 'on' : 'muted (tickbox alerts unmute)'],
      ['schedule', schedule(w.schedule)], ['product type', w.productType], ['key', w.keyId ?? 'none'],
      ['language', w.language], ['version', w.versionId],
      ['last tick', last ? `${last.phase} ${last.status} at ${time(last.startedAt)}${last.wallMs !== null ? ` (${ms(last.wallMs)} ms)` : ''}` : 'never'],
      ...(last?.error ? [['last tick error', last.error] as [string, string]] : []),
      ['next tick', w.enabled ? time(w.nextTickAt) : 'not scheduled (disabled)'],
      ['webhook', w.webhook?.enabled ? `on since ${time(w.webhook.createdAt)} (tickbox workers webhook ${w.name} --off)` : 'off'],
      ...(w.webhook?.enabled || w.webhook?.allowedIps?.length ? [['webhook senders', sendersText(w.webhook.allowedIps)] as [string, string]] : []),
      ['last error', w.lastError], ['created', time(w.createdAt)], ['updated', time(w.updatedAt)],
    ]));
  },
};

/** enable / disable: start or stop scheduling. */
function toggle(action: 'enable' | 'disable'): Command {
  return {
    name: `workers ${action}`,
    args: ['worker'],
    async run([ref], _opts, ctx) {
      const api = await ctx.api();
      const w = await api.post<WorkerViewT>(`/api/workers/${await workerId(api, ref!)}/${action}`);
      if (ctx.json) return ctx.print(json(w));
      ctx.print(`${action}d worker ${w.name} (${w.id}): ${action === 'enable' ? `scheduled ${schedule(w.schedule)}` : 'no longer scheduled'}\n`);
    },
  };
}

/** The panic button: every enabled worker stops ticking (running ticks finish; open orders stay). */
const disableAll: Command = {
  name: 'workers disable-all',
  async run(_args, _opts, ctx) {
    const r = await (await ctx.api()).post<{ disabled: { id: string; name: string }[] }>('/api/workers/disable-all');
    if (ctx.json) return ctx.print(json(r));
    ctx.print(r.disabled.length === 0 ? 'no enabled workers\n'
      : `disabled ${r.disabled.length} worker(s): ${r.disabled.map((w) => w.name).join(', ')}; open orders stay on the exchange\n`);
  },
};

const rm: Command = {
  name: 'workers rm',
  args: ['worker'],
  async run([ref], _opts, ctx) {
    const api = await ctx.api();
    await api.del(`/api/workers/${await workerId(api, ref!)}`);
    if (!ctx.json) ctx.print(`removed worker ${ref}; its trades stay in the journal\n`);
  },
};

export const workerCommands: Command[] = [list, show, toggle('enable'), toggle('disable'), disableAll, rm];
