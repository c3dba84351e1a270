import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * The dashboard's own Content-Security-Policy (the basics every answer gets are in
 * installSecurityHeaders). The page keeps the user's API token in localStorage, so an injected
 * script would be a stolen token: the page only ever writes data as text (apps/web/public/dom.js),
 * and the policy allows nothing but its own files as well — no inline script or style, no other
 * origin to load from or send to, no framing (clickjacking).
 */
export const DASHBOARD_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
  "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

/** The dashboard is static files from apps/web; it talks only to /api. */
export function dashboardRoutes(root: string): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyStatic, {
      root, prefix: '/', index: ['index.html'],
      setHeaders: (reply) => { reply.header('content-security-policy', DASHBOARD_CSP); },
    });
  };
}

/**
 * Every answer (the dashboard's files, JSON, CSV, the docs) gets the basics: no sniffing a type
 * into HTML, no framing, no Referer, and — unless the route set its own (the dashboard, the docs
 * page) — a policy that lets nothing run, should a browser ever render one.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff').header('x-frame-options', 'DENY').header('referrer-policy', 'no-referrer');
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    return payload;
  });
}
