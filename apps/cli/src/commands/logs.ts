import { positiveInt, str } from '../args.ts';
import type { Command, Context } from '../context.ts';
import { CliError, UsageError } from '../errors.ts';
import { unreachable } from '../http.ts';
import type { Api } from '../http.ts';
import { json, logLine } from '../output.ts';
import { workerId } from '../refs.ts';
import { readEvents } from '../sse.ts';

interface LogRow { id?: string; tickRunId: string; level: string; message: string; at: string }

const LEVELS = ['debug', 'info', 'warn', 'error'];

/** Stored lines, or with --follow the live stream (recent lines first), until Ctrl-C. */
const logs: Command = {
  name: 'workers logs',
  args: ['worker'],
  options: { follow: { type: 'boolean', short: 'f' }, level: { type: 'string' }, limit: { type: 'string' }, after: { type: 'string' } },
  async run([ref], opts, ctx) {
    const level = str(opts, 'level');
    if (level !== undefined && !LEVELS.includes(level)) throw new UsageError(`workers logs: --level must be one of ${LEVELS.join(', ')}`, 'workers');
    const limit = positiveInt(opts, 'limit', 'workers logs');
    const after = str(opts, 'after');
    if (opts.follow && (limit !== undefined || after !== undefined)) throw new UsageError('workers logs: --follow starts with the recent lines; --limit and --after do not apply', 'workers');
    const api = await ctx.api();
    const id = await workerId(api, ref!);
    if (opts.follow) return follow(api, id, level, ctx);
    const rows = await api.get<LogRow[]>(`/api/workers/${id}/logs`, { level, limit, after });
    if (ctx.json) return ctx.print(json(rows));
    if (rows.length === 0) return ctx.print('no log lines yet\n');
    for (const l of rows) ctx.print(logLine(l));
  },
};

async function follow(api: Api, id: string, level: string | undefined, ctx: Context): Promise<number> {
  const res = await api.open(`/api/workers/${id}/logs/stream`, undefined, 'text/event-stream');
  if (!res.body) throw new CliError('the log stream answered without a body');
  try {
    for await (const e of readEvents(res.body)) {
      if (e.event !== 'log') continue;
      const l = JSON.parse(e.data) as LogRow;
      if (level && l.level !== level) continue;
      ctx.print(ctx.json ? `${JSON.stringify(l)}\n` : logLine(l));
    }
  } catch (err) {
    if (err instanceof SyntaxError) throw new CliError(`the log stream sent an event that is not JSON: ${err.message}`);
    throw unreachable(api.url, err);
  }
  throw new CliError('the server closed the log stream');
}

export const logCommands: Command[] = [logs];
