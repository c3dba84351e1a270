import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '@tickbox/contract';
import type { AppDeps } from '../../app.ts';
import { notFound } from '../../api-error.ts';

const HEARTBEAT_MS = 15_000;

/**
 * GET /api/workers/:id/logs/stream — Server-Sent Events: the last stored lines first, then
 * every line as the scheduler produces it (event `log`, data = {tickRunId, level, message, at}).
 * Open streams are ended when the app closes (they would otherwise keep `app.close()` waiting
 * for as long as a dashboard stays open).
 */
export function logStreamRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    const open = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...open]) end();
    });

    app.get('/:id/logs/stream', { schema: { params: IdParams } }, async (request, reply) => {
      const workerId = request.params.id;
      const w = await deps.db.worker.findFirst({ where: { id: workerId, userId: request.user.id }, select: { id: true } });
      if (!w) throw notFound('worker');
      const recent = await deps.db.logEntry.findMany({ where: { workerId }, orderBy: { id: 'desc' }, take: 50 });
      reply.hijack();
      const res = reply.raw;
      let closed = false;
      let heartbeat: NodeJS.Timeout | undefined;
      let unsubscribe: (() => Promise<void>) | undefined;
      // Registered before the first await below: a client that leaves while we subscribe must
      // still release its subscription.
      const end = () => {
        if (closed) return;
        closed = true;
        open.delete(end);
        clearInterval(heartbeat);
        void unsubscribe?.();
        res.end();
      };
      open.add(end);
      request.raw.once('close', end);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      const send = (data: unknown) => res.write(`event: log\ndata: ${JSON.stringify(data)}\n\n`);
      for (const l of recent.reverse()) send({ tickRunId: l.tickRunId, level: l.level, message: l.message, at: l.at.toISOString() });
      res.write(': live\n\n');
      const unsub = await deps.logBus.subscribe(workerId, ({ workerId: _w, ...log }) => send(log));
      if (closed) {
        await unsub();
        return;
      }
      unsubscribe = unsub;
      heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    });
  };
}
