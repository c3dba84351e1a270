import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * Headers of every dashboard file. The page keeps the user's API token in localStorage, so an
 * injected script would be a stolen token: the page only ever writes data as text (apps/web/public/dom.js),
 * and the policy allows nothing but its own files as well — no inline script or style, no other
 * origin to load from or send to, no framing (clickjacking), no Referer leaving the page.
 */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
    "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** The dashboard is static files from apps/web; it talks only to /api. */
export function dashboardRoutes(root: string): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyStatic, {
      root, prefix: '/', index: ['index.html'],
      setHeaders: (reply) => { reply.headers(DASHBOARD_HEADERS); },
    });
  };
}
