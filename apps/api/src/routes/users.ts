import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { IdParams } from '@tickbox/contract';
import { generateToken, hashToken } from '@tickbox/secrets';
import type { AppDeps } from '../app.ts';
import { ApiError, conflict, notFound } from '../api-error.ts';

export function userRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const { db } = deps;
  return async (app) => {
    app.get('/me', async (request) => request.user);

    app.post('/users', { schema: { body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), isAdmin: Type.Optional(Type.Boolean()) }, { additionalProperties: false }) } }, async (request, reply) => {
      if (!request.user.isAdmin) throw new ApiError(403, 'forbidden', 'only an admin can create users');
      if (await db.user.findUnique({ where: { name: request.body.name } })) throw conflict(`a user named ${request.body.name} already exists`);
      const token = generateToken();
      const user = await db.user.create({
        data: { name: request.body.name, isAdmin: request.body.isAdmin ?? false, tokens: { create: { name: 'initial', tokenHash: hashToken(token) } } },
      });
      // The token is shown exactly once; only its hash is stored.
      return reply.code(201).send({ id: user.id, name: user.name, isAdmin: user.isAdmin, token });
    });

    app.post('/tokens', { schema: { body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }) } }, async (request, reply) => {
      const token = generateToken();
      const row = await db.apiToken.create({ data: { userId: request.user.id, name: request.body.name, tokenHash: hashToken(token) } });
      return reply.code(201).send({ id: row.id, name: row.name, token });
    });

    app.delete('/tokens/:id', { schema: { params: IdParams } }, async (request, reply) => {
      const { count } = await db.apiToken.deleteMany({ where: { id: request.params.id, userId: request.user.id } });
      if (count === 0) throw notFound('token');
      return reply.code(204).send();
    });
  };
}
