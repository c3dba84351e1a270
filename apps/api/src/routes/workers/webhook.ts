import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, MAX_WEBHOOK_ALLOWED_IPS, WebhookAllowlistBody, WebhookCreatedView, WorkerWebhookStatus } from '@tickbox/contract';
import { generateWebhookSecret, hashToken } from '@tickbox/secrets';
import type { AppDeps } from '../../app.ts';
import { badRequest, notFound } from '../../api-error.ts';
import { formatIpRange, IpRangeError, parseIpRange } from '../../ip-allowlist.ts';
import { webhookView } from './worker-view.ts';

/**
 * The owner's side of a worker's webhook: create or rotate its secret URL, set which senders it
 * accepts, or turn it off. Rotating keeps the allowlist (the senders have not changed, only the
 * URL); turning the webhook off, or deleting the worker, forgets it.
 */
export function webhookRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const { db } = deps;
  const ownWorker = async (userId: string, id: string) => {
    const w = await db.worker.findFirst({ where: { id, userId, deletedAt: null }, select: { id: true, webhookSecretHash: true, webhookAllowedIps: true } });
    if (!w) throw notFound('worker');
    return w;
  };
  return async (app) => {
    app.post('/:id/webhook', {
      schema: {
        params: IdParams, response: { 201: WebhookCreatedView },
        description: 'Creates the worker\'s webhook URL, or replaces it (the old one stops working; the sender allowlist is kept). The URL carries the secret and is shown only in this answer.',
      },
    }, async (request, reply) => {
      const w = await ownWorker(request.user.id, request.params.id);
      const secret = generateWebhookSecret();
      const createdAt = new Date();
      await db.worker.update({ where: { id: w.id }, data: { webhookSecretHash: hashToken(secret), webhookCreatedAt: createdAt } });
      const url = `/hooks/${w.id}/${secret}`;
      const base = (deps.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
      return reply.code(201).send({
        url, absoluteUrl: `${base}${url}`, createdAt: createdAt.toISOString(), rotated: w.webhookSecretHash !== null, allowedIps: w.webhookAllowedIps,
      });
    });

    app.put('/:id/webhook/allowlist', {
      schema: {
        params: IdParams, body: WebhookAllowlistBody, response: { 200: WorkerWebhookStatus },
        description: `Sets the sender IP addresses and CIDR ranges the worker's webhook accepts alerts from (at most ${MAX_WEBHOOK_ALLOWED_IPS}; `
          + '[] accepts any sender). Alerts from other senders are answered 403. Allowed before the URL exists, so it is never open to all.',
      },
    }, async (request) => {
      const allowedIps = normaliseAllowlist(request.body.ips);
      const w = await ownWorker(request.user.id, request.params.id);
      const updated = await db.worker.update({
        where: { id: w.id }, data: { webhookAllowedIps: allowedIps },
        select: { webhookSecretHash: true, webhookCreatedAt: true, webhookAllowedIps: true },
      });
      return webhookView(updated);
    });

    app.delete('/:id/webhook', {
      schema: { params: IdParams, description: 'Turns the worker\'s webhook off; its URL answers 404 from now on. The sender allowlist is kept, so a URL created later is never open to every sender.' },
    }, async (request, reply) => {
      const w = await ownWorker(request.user.id, request.params.id);
      await db.worker.update({ where: { id: w.id }, data: { webhookSecretHash: null, webhookCreatedAt: null } });
      return reply.code(204).send();
    });
  };
}

/** The body's entries normalised and without duplicates; a 400 names the first bad one and its index. */
function normaliseAllowlist(ips: string[]): string[] {
  if (ips.length > MAX_WEBHOOK_ALLOWED_IPS) {
    throw badRequest(`body.ips has ${ips.length} entries; a webhook allowlist holds at most ${MAX_WEBHOOK_ALLOWED_IPS}`, { max: MAX_WEBHOOK_ALLOWED_IPS, count: ips.length });
  }
  const out = new Set<string>();
  ips.forEach((entry, index) => {
    try {
      out.add(formatIpRange(parseIpRange(entry)));
    } catch (err) {
      if (!(err instanceof IpRangeError)) throw err;
      const shown = entry.length > 60 ? `${entry.slice(0, 60)}…` : entry;
      throw badRequest(`body.ips[${index}] ${JSON.stringify(shown)} ${err.message}`, { index, entry: shown });
    }
  });
  return [...out];
}
