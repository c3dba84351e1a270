import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AccountQuery, CreateKeyBody, IdParams, KeyView, UpdateKeyBody } from '@tickbox/contract';
import type { AppDeps } from '../../app.ts';
import { ApiError, badRequest, conflict, notFound, schedulerSilent } from '../../api-error.ts';

const keyView = (k: { id: string; name: string; mode: string; apiKeyHint: string; createdAt: Date; rotatedAt: Date | null }) => ({
  id: k.id, name: k.name, mode: k.mode, apiKeyHint: k.apiKeyHint, createdAt: k.createdAt.toISOString(), rotatedAt: k.rotatedAt?.toISOString() ?? null,
});

const CREDENTIALS = ['apiKey', 'secret', 'passphrase'] as const;
type Credentials = Record<(typeof CREDENTIALS)[number], string>;

/** Last 4 characters, but never so much of a short key that the hint gives it away. */
export function apiKeyHint(apiKey: string): string {
  return apiKey.length >= 12 ? apiKey.slice(-4) : '****';
}

/** `?force` (or `=true`/`1`/`yes`) forces; `=false`/`0`/`no` or none does not; anything else is a 400. */
function forceFlag(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.toLowerCase();
  if (['', 'true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw badRequest(`query.force must be true or false (got "${value.slice(0, 40)}")`);
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
        for (const field of CREDENTIALS) {
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

    // Rename, or rotate: new credentials of the same Bitget account under the same key, so the
    // workers bound to it and the journal's open orders carry on with them (the scheduler
    // re-reads a key whose ciphertext changed). Another account or exchange is a new key.
    app.patch('/:id', { schema: { params: IdParams, body: UpdateKeyBody, response: { 200: KeyView } } }, async (request) => {
      const body = request.body;
      const key = await deps.db.apiKey.findFirst({ where: { id: request.params.id, userId: request.user.id } });
      if (!key) throw notFound('key');
      if (body.mode !== undefined && body.mode !== key.mode) {
        throw badRequest(`body.mode cannot be changed (this is a ${key.mode} key): add a new ${body.mode} key and bind the workers to it`);
      }
      const given = CREDENTIALS.filter((f) => body[f] !== undefined);
      if (body.name === undefined && given.length === 0) throw badRequest('body must contain name, or apiKey, secret and passphrase');
      const data: { name?: string; apiKeyHint?: string; ciphertext?: string; keyId?: string; rotatedAt?: Date } = {};
      if (body.name !== undefined) data.name = body.name;
      if (given.length > 0) {
        const missing = CREDENTIALS.filter((f) => body[f] === undefined);
        if (key.mode !== 'sim' && missing.length > 0) {
          throw badRequest(`body.${missing[0]} is required to replace a ${key.mode} key's credentials (apiKey, secret and passphrase go together)`);
        }
        // A sim key may change any of them; the others stay.
        const old = missing.length > 0 ? JSON.parse(deps.keyring.decrypt(key.ciphertext, `apikey:${key.id}`)) as Credentials : undefined;
        const creds = Object.fromEntries(CREDENTIALS.map((f) => [f, body[f] ?? old![f]])) as Credentials;
        const sealed = deps.keyring.encrypt(JSON.stringify(creds), `apikey:${key.id}`);
        Object.assign(data, { apiKeyHint: apiKeyHint(creds.apiKey), ciphertext: sealed.ciphertext, keyId: sealed.keyId, rotatedAt: new Date() });
      }
      // Only if the row is still the one read: a concurrent rotation is not silently overwritten.
      const { count } = await deps.db.apiKey.updateMany({ where: { id: key.id, ciphertext: key.ciphertext, name: key.name }, data });
      if (count === 0) throw conflict('the key was changed or removed by another request meanwhile; read it again and retry');
      const row = await deps.db.apiKey.findUnique({ where: { id: key.id } });
      if (!row) throw notFound('key');
      return keyView(row);
    });

    // Balances and open positions on the exchange, read by a scheduler (it holds the clients and
    // the per-key rate limits the workers share); the api never calls Bitget itself.
    app.get('/:id/account', { schema: { params: IdParams, querystring: AccountQuery } }, async (request) => {
      const key = await deps.db.apiKey.findFirst({ where: { id: request.params.id, userId: request.user.id }, select: { id: true } });
      if (!key) throw notFound('key');
      const productType = request.query.productType ?? 'USDT-FUTURES';
      const timeoutMs = deps.runTimeoutMs ?? 60_000;
      let snapshot;
      try {
        snapshot = await deps.queues.accountSnapshot({ keyId: key.id, userId: request.user.id, productType }, Math.min(timeoutMs, 20_000));
      } catch (err) {
        throw schedulerSilent(err, 'no scheduler answered within 20 s; is the scheduler running?');
      }
      if (!snapshot.ok) {
        if (snapshot.error.code === 'NOT_FOUND') throw notFound('key');
        throw new ApiError(502, 'exchange_error', `the exchange did not give the account: ${snapshot.error.message}`, { name: snapshot.error.name, code: snapshot.error.code });
      }
      return snapshot;
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
      const force = forceFlag(request.query.force);
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
