import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken } from '@tickbox/secrets';
import type { Db } from '@tickbox/db';
import { ApiError } from './api-error.ts';

export interface AuthUser { id: string; name: string; isAdmin: boolean }

declare module 'fastify' {
  interface FastifyRequest { user: AuthUser }
}

/**
 * Bearer tokens are looked up by their SHA-256; the token itself is never stored or logged.
 * The check keys on the matched route's pattern, not the raw URL: the router decodes the path,
 * so `/%61pi/workers` reaches the `/api/workers` route while its raw URL does not start with `/api/`.
 */
export function installAuth(app: FastifyInstance, db: Db): void {
  app.decorateRequest('user', null as unknown as AuthUser);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!request.url.startsWith('/api/') && !request.routeOptions.url?.startsWith('/api/')) return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw new ApiError(401, 'unauthorized', 'missing Authorization: Bearer <token> header');
    const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
    if (!row) throw new ApiError(401, 'unauthorized', 'invalid API token');
    request.user = { id: row.user.id, name: row.user.name, isAdmin: row.user.isAdmin };
  });
}
