import type { Logger } from 'pino';
import { BitgetError } from '@tickbox/bitget';
import type { Db } from '@tickbox/db';
import type { AccountJob, AccountSnapshot } from '@tickbox/queue';
import type { createBitgetHost } from './bitget-host.ts';

export interface AccountDeps {
  db: Db;
  bitget: ReturnType<typeof createBitgetHost>;
  logger: Logger;
}

/**
 * A key's futures balances and open positions for the api (GET /api/keys/:id/account): two reads
 * on the exchange with the key's credentials, through the same rate limits as the workers' calls.
 * Exchange errors are answers (the api shows them), not job failures; nothing is journalled.
 */
export async function takeAccountSnapshot(deps: AccountDeps, job: AccountJob): Promise<AccountSnapshot> {
  const key = await deps.db.apiKey.findFirst({ where: { id: job.keyId, userId: job.userId } });
  if (!key) return { ok: false, error: { name: 'NotFound', code: 'NOT_FOUND', message: 'key not found' } };
  try {
    const client = await deps.bitget.clientFor(key, job.productType, {});
    const [accounts, positions] = await Promise.all([
      client.call('futures_accounts', [{ product_type: job.productType }]),
      client.call('futures_positions', [{ product_type: job.productType }]),
    ]);
    return { ok: true, productType: job.productType, accounts: accounts.data, positions: positions.data, fetchedAt: new Date().toISOString() };
  } catch (err) {
    if (err instanceof BitgetError) return { ok: false, error: { name: err.name, code: err.code, message: err.message } };
    deps.logger.error({ err, keyId: key.id }, 'account snapshot failed');
    return { ok: false, error: { name: 'Error', message: 'the account could not be read; see the scheduler log' } };
  }
}
