import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AlertsView, AlertUrlBody } from '@tickbox/contract';
import type { AppDeps } from '../app.ts';
import { badRequest } from '../api-error.ts';

const SHOWN = { alertHost: true, alertUpdatedAt: true, alertLastSentAt: true, alertLastError: true, alertLastErrorAt: true } as const;
type Shown = { alertHost: string | null; alertUpdatedAt: Date | null; alertLastSentAt: Date | null; alertLastError: string | null; alertLastErrorAt: Date | null };
const iso = (d: Date | null) => d?.toISOString() ?? null;
const view = (u: Shown) => ({
  enabled: u.alertHost !== null, host: u.alertHost, updatedAt: iso(u.alertUpdatedAt),
  lastSentAt: iso(u.alertLastSentAt), lastError: u.alertLastError, lastErrorAt: iso(u.alertLastErrorAt),
});
/** A new URL (or none) starts without a delivery history. */
const NO_DELIVERIES = { alertLastSentAt: null, alertLastError: null, alertLastErrorAt: null } as const;

/**
 * The caller's failure alerts: a URL a scheduler POSTs to when a worker's setup fails (the worker
 * stops), when a tick fails after one that did not, when a worker recovers, and when the exchange
 * rejects an order. The URL is a credential: stored encrypted, never answered (only its host, and
 * how the last delivery went, written by the scheduler).
 */
export function alertRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const { db } = deps;
  return async (app) => {
    app.get('/me/alerts', { schema: { response: { 200: AlertsView } } }, async (request) => {
      return view(await db.user.findUniqueOrThrow({ where: { id: request.user.id }, select: SHOWN }));
    });

    app.put('/me/alerts', { schema: { body: AlertUrlBody, response: { 200: AlertsView } } }, async (request) => {
      let url: URL;
      try {
        url = new URL(request.body.url);
      } catch {
        throw badRequest('body.url must be an absolute http(s) URL');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badRequest(`body.url must be an http(s) URL (got ${url.protocol.replace(/:$/, '')})`);
      if (url.username || url.password) throw badRequest('body.url must not contain a user name or password');
      const sealed = deps.keyring.encrypt(url.href, `alerts:${request.user.id}`);
      const row = await db.user.update({
        where: { id: request.user.id },
        data: { alertCiphertext: sealed.ciphertext, alertKeyId: sealed.keyId, alertHost: url.host, alertUpdatedAt: new Date(), ...NO_DELIVERIES },
        select: SHOWN,
      });
      return view(row);
    });

    app.delete('/me/alerts', async (request, reply) => {
      await db.user.update({ where: { id: request.user.id }, data: { alertCiphertext: null, alertKeyId: null, alertHost: null, alertUpdatedAt: new Date(), ...NO_DELIVERIES } });
      return reply.code(204).send();
    });

    // A test alert through the real path (queue, scheduler, the URL); 202: delivery happens after.
    app.post('/me/alerts/test', async (request, reply) => {
      const u = await db.user.findUniqueOrThrow({ where: { id: request.user.id }, select: { alertHost: true } });
      if (u.alertHost === null) throw badRequest('no alert URL is set (PUT /api/me/alerts {url})');
      const result = await deps.queues.queueTestAlert(request.user.id);
      if (!result.queued) {
        const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
        return reply.code(429).header('retry-after', String(seconds)).send({ error: 'rate_limited', message: `too many test alerts; try again in ${seconds} s` });
      }
      return reply.code(202).send({ queued: true, host: u.alertHost });
    });
  };
}
