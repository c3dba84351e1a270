import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CreateKeyBody, IdParams, KeyView } from '@tickbox/contract';
import type { AppDeps } from '../../app.ts';
import { badRequest, conflict, notFound } from '../../api-error.ts';

const keyView = (k: { id: string; name: string; mode: string; apiKeyHint: string; createdAt: Date }) => ({
  id: k.id, name: k.name, mode: k.mode, apiKeyHint: k.apiKeyHint, createdAt: k.createdAt.toISOString(),
});

/** Last 4 characters, but never so much of a short key that the hint gives it away. */
export function apiKeyHint(apiKey: string): string {
  return apiKey.length >= 12 ? apiKey.slice(-4) : '****';
}

export function keyRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post('/', { schema: { body: CreateKeyBody, response: { 201: KeyView } } }, async (request, reply) => {
      const body = request.body;
      let creds: { apiKey: string; secret: string; passphrase: string };
      if (body.mode === 'sim') {
        // Simulator keys need no exchange account: Tickbox makes credentials the simulator accepts.
        creds = {
          apiKey: body.apiKey ?? `sim_${randomBytes(12).toString('hex')}`,
          secret: body.secret ?? randomBytes(24).toString('base64url'),
          passphrase: body.passphrase ?? randomBytes(12).toString('base64url'),
        };
      } else {
        for (const field of ['apiKey', 'secret', 'passphrase'] as const) {
          if (!body[field]) throw badRequest(`body.${field} is required for a ${body.mode} key`);
        }
        creds = { apiKey: body.apiKey!, secret: body.secret!, passphrase: body.passphrase! };
      }
      const id = randomUUID();
      const { ciphertext, keyId } = deps.keyring.encrypt(JSON.stringify(creds), `apikey:${id}`);
      const row = await deps.db.apiKey.create({
        data: { id, userId: request.user.id, name: body.name, mode: body.mode, apiKeyHint: apiKeyHint(creds.apiKey), ciphertext, keyId },
      });
      return reply.code(201).send(keyView(row));
    });

    app.get('/', { schema: { response: { 200: Type.Array(KeyView) } } }, async (request) => {
      const rows = await deps.db.apiKey.findMany({ where: { userId: request.user.id }, orderBy: { createdAt: 'asc' } });
      return rows.map(keyView);
    });

    app.delete('/:id', { schema: { params: IdParams, querystring: Type.Object({ force: Type.Optional(Type.String()) }) } }, async (request, reply) => {
      const key = await deps.db.apiKey.findFirst({ where: { id: request.params.id, userId: request.user.id } });
      if (!key) throw notFound('key');
      const users = await deps.db.worker.findMany({ where: { keyId: key.id }, select: { id: true, name: true, deletedAt: true } });
      const active = users.filter((w) => !w.deletedAt);
      const force = request.query.force !== undefined && request.query.force !== 'false';
      if (active.length > 0 && !force) {
        throw conflict(`key is used by ${active.length} worker(s); unbind them first or pass ?force=true`, { workers: active.map((w) => ({ id: w.id, name: w.name })) });
      }
      // Without the key, reconciliation can no longer follow these orders to filled/cancelled.
      const open = await deps.db.tradeLog.count({ where: { keyId: key.id, status: { in: ['pending', 'accepted', 'partially_filled'] } } });
      if (open > 0 && !force) {
        throw conflict(`key has ${open} order(s) still open or unresolved in the journal; wait for them to settle or pass ?force=true`, { openOrders: open });
      }
      await deps.db.$transaction(async (tx) => {
        await tx.worker.updateMany({ where: { keyId: key.id }, data: { keyId: null } });
        await tx.apiKey.delete({ where: { id: key.id } });
      });
      return reply.code(204).send();
    });
  };
}
