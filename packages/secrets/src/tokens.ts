import { createHash, randomBytes } from 'node:crypto';

/** API tokens are random 256-bit values; only their SHA-256 is stored. */
export function generateToken(): string {
  return `tbx_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
