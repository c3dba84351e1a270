import { positiveInt } from '../args.ts';
import type { Command } from '../context.ts';
import { json, logLine, ms, table, time } from '../output.ts';
import { workerId } from '../refs.ts';

interface RunRow { id: string; phase: string; trigger: string; status: string; error: string | null; startedAt: string; wallMs: number | null; cpuMs: number | null }
interface RunResult { status: string; durationMs: number; logs: { level: string; message: string; at: string }[]; error?: { name?: string; message?: string; code?: string; stack?: string } | string; tickRunId?: string }
interface VersionRow { id: string; language: string; hash: string; createdAt: string; current: boolean; runs: number; trades: number }
interface StateView { state: Record<string, unknown>; updatedAt: string | null }

/** Run one tick now in the scheduler; exit 1 when the tick did not finish ok. */
const run: Command = {
  name: 'workers run',
  args: ['worker'],
  async run([ref], _opts, ctx) {
    const api = await ctx.api();
    const r = await api.post<RunResult>(`/api/workers/${await workerId(api, ref!)}/run`);
    if (ctx.json) ctx.print(json(r));
    else {
      for (const l of r.logs) ctx.print(logLine(l));
      const e = r.error;
      const why = e === undefined ? '' : typeof e === 'string' ? `: ${e}` : `: ${[e.name, e.message].filter(Boolean).join(': ')}${e.code ? ` (${e.code})` : ''}`;
      ctx.print(`${r.status} in ${ms(r.durationMs)} ms${why}\n`);
      // Where it was thrown: the user's own frames (the stack's header repeats the error, maybe over several lines).
      if (typeof e === 'object' && typeof e.stack === 'string') ctx.print(e.stack.split('\n').filter((l) => /^\s+at /.test(l)).map((f) => `${f}\n`).join(''));
    }
    return r.status === 'ok' ? 0 : 1;
  },
};

const runs: Command = {
  name: 'workers runs',
  args: ['worker'],
  options: { limit: { type: 'string' } },
  async run([ref], opts, ctx) {
    const api = await ctx.api();
    const rows = await api.get<RunRow[]>(`/api/workers/${await workerId(api, ref!)}/runs`, { limit: positiveInt(opts, 'limit', 'workers runs') });
    if (ctx.json) return ctx.print(json(rows));
    if (rows.length === 0) return ctx.print('no runs yet\n');
    ctx.print(table(['started', 'phase', 'trigger', 'status', 'wall ms', 'cpu ms', 'error'],
      rows.map((r) => [time(r.startedAt), r.phase, r.trigger, r.status, ms(r.wallMs), ms(r.cpuMs), r.error])));
  },
};

const state: Command = {
  name: 'workers state',
  args: ['worker'],
  options: { reset: { type: 'boolean' } },
  async run([ref], opts, ctx) {
    const api = await ctx.api();
    const id = await workerId(api, ref!);
    if (opts.reset) {
      await api.del(`/api/workers/${id}/state`);
      if (!ctx.json) ctx.print(`state of ${ref} reset\n`);
      return;
    }
    const s = await api.get<StateView>(`/api/workers/${id}/state`);
    if (ctx.json) return ctx.print(json(s));
    if (s.updatedAt === null && Object.keys(s.state).length === 0) return ctx.print('no state saved yet\n');
    ctx.print(`# updated ${time(s.updatedAt)}\n${json(s.state)}`);
  },
};

/** The worker's code versions, or one version's code (`--show ID`): for review, and to roll back by deploying it. */
const versions: Command = {
  name: 'workers versions',
  args: ['worker'],
  options: { limit: { type: 'string' }, show: { type: 'string' } },
  async run([ref], opts, ctx) {
    const api = await ctx.api();
    const id = await workerId(api, ref!);
    if (typeof opts.show === 'string') {
      const v = await api.get<VersionRow & { code: string }>(`/api/workers/${id}/versions/${encodeURIComponent(opts.show)}`);
      return ctx.print(ctx.json ? json(v) : v.code.endsWith('\n') ? v.code : `${v.code}\n`);
    }
    const { items } = await api.get<{ items: VersionRow[] }>(`/api/workers/${id}/versions`, { limit: positiveInt(opts, 'limit', 'workers versions') });
    if (ctx.json) return ctx.print(json(items));
    ctx.print(table(['version', 'created', 'language', 'runs', 'trades', ''],
      items.map((v) => [v.id, time(v.createdAt), v.language, String(v.runs), String(v.trades), v.current ? 'current' : ''])));
  },
};

export const activityCommands: Command[] = [run, runs, state, versions];
