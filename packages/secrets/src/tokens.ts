import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** API tokens are random 256-bit values; only their SHA-256 is stored. */
export function generateToken(): string {
  return `tbx_${randomBytes(32).toString('base64url')}`;
}

/**
 * The secret path segment of a worker's webhook URL: 256 random bits, base64url (URL-safe as
 * is), with a prefix that secret scanners can match. Stored like API tokens: only its SHA-256.
 */
export function generateWebhookSecret(): string {
  return `whk_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Whether `token` hashes to `storedHash`, compared in constant time; a missing hash never matches. */
export function tokenMatchesHash(token: string, storedHash: string | null | undefined): boolean {
  const actual = Buffer.from(hashToken(token), 'hex');
  // Compare against a fixed dummy when there is nothing stored, so both paths do the same work.
  const expected = storedHash && /^[0-9a-f]{64}$/.test(storedHash) ? Buffer.from(storedHash, 'hex') : Buffer.alloc(32);
  return timingSafeEqual(actual, expected) && Boolean(storedHash);
}
