import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, hashToken, tokenMatchesHash } from './tokens.ts';

describe('webhook secrets', () => {
  it('are 256 random bits, base64url, and match only their own hash', () => {
    const a = generateWebhookSecret();
    const b = generateWebhookSecret();
    expect(a).toMatch(/^whk_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(encodeURIComponent(a)).toBe(a);
    expect(tokenMatchesHash(a, hashToken(a))).toBe(true);
    expect(tokenMatchesHash(b, hashToken(a))).toBe(false);
    expect(tokenMatchesHash(a, null)).toBe(false);
    expect(tokenMatchesHash(a, 'not-a-hash')).toBe(false);
  });
});
