import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, WebhookCreatedView } from '@tickbox/contract';
import { generateWebhookSecret, hashToken } from '@tickbox/secrets';
import type { AppDeps } from '../../app.ts';
import { notFound } from '../../api-error.ts';

/** The owner's side of a worker's webhook: create or rotate its secret URL, or turn it off. */
export function webhookRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const { db } = deps;
  const ownWorker = async (userId: string, id: string) => {
    const w = await db.worker.findFirst({ where: { id, userId, deletedAt: null }, select: { id: true, webhookSecretHash: true } });
    if (!w) throw notFound('worker');
    return w;
  };
  return async (app) => {
    app.post('/:id/webhook', {
      schema: {
        params: IdParams, response: { 201: WebhookCreatedView },
        description: 'Creates the worker\'s webhook URL, or replaces it (the old one stops working). The URL carries the secret and is shown only in this answer.',
      },
    }, async (request, reply) => {
      const w = await ownWorker(request.user.id, request.params.id);
      const secret = generateWebhookSecret();
      const createdAt = new Date();
      await db.worker.update({ where: { id: w.id }, data: { webhookSecretHash: hashToken(secret), webhookCreatedAt: createdAt } });
      const url = `/hooks/${w.id}/${secret}`;
      const base = (deps.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
      return reply.code(201).send({ url, absoluteUrl: `${base}${url}`, createdAt: createdAt.toISOString(), rotated: w.webhookSecretHash !== null });
    });

    app.delete('/:id/webhook', { schema: { params: IdParams, description: 'Turns the worker\'s webhook off; its URL answers 404 from now on.' } }, async (request, reply) => {
      const w = await ownWorker(request.user.id, request.params.id);
      await db.worker.update({ where: { id: w.id }, data: { webhookSecretHash: null, webhookCreatedAt: null } });
      return reply.code(204).send();
    });
  };
}
