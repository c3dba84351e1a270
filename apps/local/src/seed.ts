import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { ensureAdmin } from '@tickbox/db';
import type { Db } from '@tickbox/db';
import { compileWorker } from '@tickbox/sandbox/syntax';
import { generateToken, hashToken } from '@tickbox/secrets';
import type { Keyring } from '@tickbox/secrets';
import { DEMO_WORKER_CODE } from './demo-worker.ts';

export interface SeedResult { created: boolean; adminToken?: string; workerId?: string }

/**
 * First start only (no admin yet): an admin with an API token, a sim key, and the demo
 * worker. Later starts only add TICKBOX_ADMIN_TOKEN to the admin when it is new.
 */
export async function seedIfEmpty(db: Db, keyring: Keyring, adminToken: string | undefined): Promise<SeedResult> {
  const token = adminToken ?? generateToken();
  const admin = await ensureAdmin(db, hashToken(token), adminToken ? 'TICKBOX_ADMIN_TOKEN' : 'admin');
  if (!admin.created) {
    // A generated token that was not used is simply dropped: only its hash was ever written.
    if (!adminToken) await db.apiToken.deleteMany({ where: { tokenHash: hashToken(token) } });
    return { created: false };
  }
  const compiled = compileWorker(DEMO_WORKER_CODE, 'js');
  if (!compiled.ok) throw new Error(`demo worker does not compile: ${compiled.error.message}`);
  const keyRowId = randomUUID();
  const creds = { apiKey: `sim_${randomBytes(12).toString('hex')}`, secret: randomBytes(24).toString('base64url'), passphrase: randomBytes(12).toString('base64url') };
  const { ciphertext, keyId } = keyring.encrypt(JSON.stringify(creds), `apikey:${keyRowId}`);
  const workerId = randomUUID();
  const versionId = randomUUID();
  await db.$transaction(async (tx) => {
    await tx.apiKey.create({ data: { id: keyRowId, userId: admin.userId, name: 'simulator', mode: 'sim', apiKeyHint: creds.apiKey.slice(-4), ciphertext, keyId } });
    await tx.worker.create({ data: { id: workerId, userId: admin.userId, name: 'demo-dca-btcusdt', schedule: { every: '5s' }, productType: 'USDT-FUTURES', keyId: keyRowId, enabled: true } });
    await tx.workerVersion.create({ data: { id: versionId, workerId, language: 'js', code: DEMO_WORKER_CODE, compiledCode: compiled.compiled, hash: createHash('sha256').update(DEMO_WORKER_CODE).digest('hex') } });
    await tx.worker.update({ where: { id: workerId }, data: { versionId } });
  });
  return { created: true, adminToken: adminToken ? undefined : token, workerId };
}
