import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../app.ts';

export function healthRoutes(deps: AppDeps): FastifyPluginAsync {
  return async (app) => {
    app.get('/health', async (_request, reply) => {
      const check = async (fn: () => Promise<unknown>) => {
        try { await fn(); return 'up'; } catch { return 'down'; }
      };
      const [postgres, redis] = await Promise.all([check(() => deps.db.$queryRaw`SELECT 1`), check(deps.pingRedis)]);
      const ok = postgres === 'up' && redis === 'up';
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', api: 'up', postgres, redis });
    });
  };
}
