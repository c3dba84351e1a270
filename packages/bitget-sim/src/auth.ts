import { createHmac, timingSafeEqual } from 'node:crypto';
import { errors } from './errors.ts';
import type { AccountState } from './types.ts';

/** How far ACCESS-TIMESTAMP may be from the server clock (either direction). */
export const TIMESTAMP_WINDOW_MS = 30_000;

/**
 * The simulator's own implementation of Bitget's signature (CONTRACT.md §2.2); deliberately not
 * shared with the client so a bug on one side cannot hide the same bug on the other.
 */
export function bitgetSignature(secret: string, timestamp: string, method: string, path: string, rawQuery: string, body: string): string {
  const prehash = timestamp + method.toUpperCase() + path + (rawQuery ? `?${rawQuery}` : '') + body;
  return createHmac('sha256', secret).update(prehash, 'utf8').digest('base64');
}

export interface SignedRequest {
  headers: Record<string, string | string[] | undefined>;
  method: string;
  path: string;
  /** Exactly what followed `?` in the request line (order and encoding preserved). */
  rawQuery: string;
  body: string;
  now: number;
  findAccount: (apiKey: string) => AccountState | undefined;
}

function header(h: SignedRequest['headers'], name: string): string {
  const v = h[name];
  return (Array.isArray(v) ? v[0] : v)?.trim() ?? '';
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Returns the authenticated account or throws the Bitget error Bitget would answer with. */
export function authenticate(req: SignedRequest): AccountState {
  const key = header(req.headers, 'access-key');
  const sign = header(req.headers, 'access-sign');
  const ts = header(req.headers, 'access-timestamp');
  const passphrase = header(req.headers, 'access-passphrase');
  if (!key) throw errors.accessKeyEmpty();
  if (!sign) throw errors.signEmpty();
  if (!/^\d{10,16}$/.test(ts)) throw errors.timestampInvalid();
  if (!passphrase) throw errors.passphraseEmpty();
  const account = req.findAccount(key);
  if (!account) throw errors.accessKeyInvalid();
  if (!sameSignature(passphrase, account.passphrase)) throw errors.passphraseWrong();
  if (Math.abs(req.now - Number(ts)) > TIMESTAMP_WINDOW_MS) throw errors.timestampExpired();
  const expected = bitgetSignature(account.secret, ts, req.method, req.path, req.rawQuery, req.body);
  let ok = sameSignature(sign, expected);
  if (!ok && req.rawQuery.includes('%')) {
    // CONTRACT.md §2.3: clients that sign the raw (decoded) values but send them encoded are accepted too.
    let decoded = req.rawQuery;
    try {
      decoded = decodeURIComponent(req.rawQuery.replace(/\+/g, ' '));
    } catch {
      // malformed escapes: only the raw form can match
    }
    ok = sameSignature(sign, bitgetSignature(account.secret, ts, req.method, req.path, decoded, req.body));
  }
  if (!ok) throw errors.signInvalid();
  const paper = header(req.headers, 'paptrading');
  if (account.demo !== (paper === '1')) throw errors.environment();
  return account;
}
