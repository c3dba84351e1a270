import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken } from '@tickbox/secrets';
import type { Db } from '@tickbox/db';
import { ApiError } from './api-error.ts';

export interface AuthUser { id: string; name: string; isAdmin: boolean }

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser;
    /** Id of the ApiToken row that authenticated this request (GET /api/tokens marks it `current`). */
    tokenId: string;
  }
}

/**
 * ApiToken.lastUsedAt is only as fine as this: a token used within the last minute is not
 * written again, so busy clients cost one UPDATE a minute, not one per request.
 */
export const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Bearer tokens are looked up by their SHA-256; the token itself is never stored or logged.
 * The check keys on the matched route's pattern, not the raw URL: the router decodes the path,
 * so `/%61pi/workers` reaches the `/api/workers` route while its raw URL does not start with `/api/`.
 */
export function installAuth(app: FastifyInstance, db: Db): void {
  const lastUsed = createLastUsedRecorder(db);
  app.decorateRequest('user', null as unknown as AuthUser);
  app.decorateRequest('tokenId', null as unknown as string);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (!request.url.startsWith('/api/') && !request.routeOptions.url?.startsWith('/api/')) return;
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw new ApiError(401, 'unauthorized', 'missing Authorization: Bearer <token> header');
    const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
    if (!row) throw new ApiError(401, 'unauthorized', 'invalid API token');
    request.user = { id: row.user.id, name: row.user.name, isAdmin: row.user.isAdmin };
    request.tokenId = row.id;
    lastUsed.record(row.id, row.lastUsedAt, request.log);
  });
  // Let in-flight lastUsedAt writes finish before the owner disconnects the database.
  app.addHook('onClose', async () => { await lastUsed.settle(); });
}

/**
 * Records a token's use in the background: the request never waits for the write, and a
 * failed write is logged at warn (with the row id, never the token) instead of failing it.
 */
function createLastUsedRecorder(db: Db) {
  const pending = new Set<Promise<void>>();
  return {
    record(tokenId: string, stored: Date | null, log: FastifyBaseLogger): void {
      const now = new Date();
      if (stored && now.getTime() - stored.getTime() < LAST_USED_RESOLUTION_MS) return;
      const threshold = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
      // Conditional, so concurrent first uses of one token write it once; a token deleted meanwhile matches nothing.
      const write = db.apiToken.updateMany({
        where: { id: tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: threshold } }] },
        data: { lastUsedAt: now },
      }).then(
        () => undefined,
        (err: unknown) => { log.warn({ err, tokenId }, 'could not record when the API token was last used'); },
      );
      pending.add(write);
      void write.finally(() => pending.delete(write));
    },
    async settle(): Promise<void> { await Promise.all(pending); },
  };
}
