import type { Db } from './create-db.ts';

/**
 * Makes sure an admin exists and that `tokenHash` is one of its tokens. Returns the admin and
 * whether this call created it (first start). Used by `npm start` seeding and by the api
 * when TICKBOX_ADMIN_TOKEN is set (Docker Compose and other deployments).
 */
export async function ensureAdmin(db: Db, tokenHash: string, tokenName = 'TICKBOX_ADMIN_TOKEN'): Promise<{ userId: string; created: boolean }> {
  return db.$transaction(async (tx) => {
    // Serialise concurrent first starts (two api replicas) on one transaction-scoped lock.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(72707370)`;
    const admin = await tx.user.findFirst({ where: { isAdmin: true }, orderBy: { createdAt: 'asc' } });
    if (admin) {
      const known = await tx.apiToken.findUnique({ where: { tokenHash } });
      if (!known) await tx.apiToken.create({ data: { userId: admin.id, name: tokenName, tokenHash } });
      return { userId: admin.id, created: false };
    }
    const user = await tx.user.create({ data: { name: 'admin', isAdmin: true, tokens: { create: { name: tokenName, tokenHash } } } });
    return { userId: user.id, created: true };
  });
}
