import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { CreateUserBody, MeView, UserCreatedView, UserView } from '@tickbox/contract';
import { generateToken, hashToken } from '@tickbox/secrets';
import type { AppDeps } from '../app.ts';
import { ApiError, conflict } from '../api-error.ts';

/** A route hook, so a non-admin gets 403 whatever the body holds (validation comes after it). */
const adminOnly = (action: string) => async (request: FastifyRequest) => {
  if (!request.user.isAdmin) throw new ApiError(403, 'forbidden', `only an admin can ${action}`);
};

export function userRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  const { db } = deps;
  return async (app) => {
    app.get('/me', { schema: { response: { 200: MeView }, description: 'The user the token belongs to.' } }, async (request) => request.user);

    app.get('/users', {
      preValidation: adminOnly('list users'),
      schema: { response: { 200: Type.Array(UserView) }, description: 'Admins only: every user, oldest first, with how many workers (not deleted) and API tokens each has.' },
    }, async (request) => {
      const rows = await db.user.findMany({
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: {
          id: true, name: true, isAdmin: true, createdAt: true,
          _count: { select: { tokens: true, workers: { where: { deletedAt: null } } } },
        },
      });
      return rows.map((u) => ({ id: u.id, name: u.name, isAdmin: u.isAdmin, createdAt: u.createdAt.toISOString(), workers: u._count.workers, tokens: u._count.tokens }));
    });

    app.post('/users', {
      preValidation: adminOnly('create users'),
      schema: { body: CreateUserBody, response: { 201: UserCreatedView }, description: 'Admins only: creates a user with one API token, named "initial", shown in this answer only.' },
    }, async (request, reply) => {
      if (await db.user.findUnique({ where: { name: request.body.name } })) throw conflict(`a user named ${request.body.name} already exists`);
      const token = generateToken();
      const user = await db.user.create({
        data: { name: request.body.name, isAdmin: request.body.isAdmin ?? false, tokens: { create: { name: 'initial', tokenHash: hashToken(token) } } },
      });
      // The token is shown exactly once; only its hash is stored.
      return reply.code(201).send({ id: user.id, name: user.name, isAdmin: user.isAdmin, token });
    });
  };
}
