import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

/** The dashboard is static files from apps/web; it talks only to /api. */
export function dashboardRoutes(root: string): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyStatic, { root, prefix: '/', index: ['index.html'] });
  };
}
