import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CreateTokenBody, IdParams, TokenCreatedView, TokenView } from '@tickbox/contract';
import { generateToken, hashToken } from '@tickbox/secrets';
import type { AppDeps } from '../app.ts';
import { conflict, notFound } from '../api-error.ts';

/** The caller's own API tokens. A token is shown only when created; only its SHA-256 is stored. */
export function tokenRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const { db } = deps;
  return async (app) => {
    app.get('/tokens', {
      schema: { response: { 200: Type.Array(TokenView) }, description: 'Your API tokens, oldest first; `current` marks the one this request was made with. Never the token itself.' },
    }, async (request) => {
      const rows = await db.apiToken.findMany({
        where: { userId: request.user.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { id: true, name: true, createdAt: true, lastUsedAt: true },
      });
      const now = new Date();
      return rows.map((t) => {
        const current = t.id === request.tokenId;
        // The stored time lags up to a minute (auth.ts); the token making this request is in use now.
        const lastUsedAt = current ? now : t.lastUsedAt;
        return { id: t.id, name: t.name, createdAt: t.createdAt.toISOString(), lastUsedAt: lastUsedAt?.toISOString() ?? null, current };
      });
    });

    app.post('/tokens', {
      schema: { body: CreateTokenBody, response: { 201: TokenCreatedView }, description: 'Creates an API token for you; the token is in this answer only.' },
    }, async (request, reply) => {
      const token = generateToken();
      const row = await db.apiToken.create({ data: { userId: request.user.id, name: request.body.name, tokenHash: hashToken(token) } });
      return reply.code(201).send({ id: row.id, name: row.name, token });
    });

    app.delete('/tokens/:id', {
      schema: { params: IdParams, description: 'Revokes one of your API tokens; it answers 401 from now on. Your only token cannot be revoked (409).' },
    }, async (request, reply) => {
      const userId = request.user.id;
      await db.$transaction(async (tx) => {
        // One revocation per user at a time, so two concurrent ones cannot remove the last two tokens.
        await tx.$queryRaw`SELECT 1 FROM "User" WHERE "id" = ${userId}::uuid FOR UPDATE`;
        const target = await tx.apiToken.findFirst({ where: { id: request.params.id, userId }, select: { id: true } });
        if (!target) throw notFound('token');
        if (await tx.apiToken.count({ where: { userId } }) <= 1) {
          const which = target.id === request.tokenId ? 'it is the token making this request and your only one' : 'it is your only token';
          throw conflict(`cannot revoke this token: ${which}, so you would lock yourself out; create another token first (POST /api/tokens)`);
        }
        await tx.apiToken.delete({ where: { id: target.id } });
      });
      return reply.code(204).send();
    });
  };
}
