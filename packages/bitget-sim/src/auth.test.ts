import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { authenticate, bitgetSignature } from './auth.ts';
import { BitgetSimError } from './errors.ts';
import type { AccountState } from './types.ts';

interface Vector {
  name: string;
  secret: string;
  timestamp: string;
  method: string;
  requestPath: string;
  queryString: string;
  body: string;
  expectedSignatureBase64: string;
}

const vectors = JSON.parse(readFileSync(new URL('../../../test/fixtures/bitget/signature-vectors.computed.json', import.meta.url), 'utf8')) as Vector[];

describe('bitgetSignature', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('reproduces vector %s', (_n, v) => {
    expect(bitgetSignature(v.secret, v.timestamp, v.method, v.requestPath, v.queryString, v.body)).toBe(v.expectedSignatureBase64);
  });

  it('changes when one character of the prehash changes', () => {
    const v = vectors[4]!;
    expect(bitgetSignature(v.secret, v.timestamp, v.method, `${v.requestPath}x`, v.queryString, v.body)).not.toBe(v.expectedSignatureBase64);
    expect(bitgetSignature(v.secret, String(Number(v.timestamp) + 1), v.method, v.requestPath, v.queryString, v.body)).not.toBe(v.expectedSignatureBase64);
  });
});

const account = { apiKey: 'k', secret: 'my-test-secret', passphrase: 'pp', demo: false } as AccountState;

function attempt(headers: Record<string, string>, extra: Partial<{ now: number; rawQuery: string; path: string }> = {}) {
  return () =>
    authenticate({ headers, method: 'GET', path: extra.path ?? '/api/v2/mix/account/accounts', rawQuery: extra.rawQuery ?? 'productType=USDT-FUTURES', body: '', now: extra.now ?? 1700000000000, findAccount: (k) => (k === 'k' ? account : undefined) });
}

const good = { 'access-key': 'k', 'access-sign': 'GjjGppTe/TVQNjofFAgKG/BkJyqnhoTq932gzPM5OQk=', 'access-timestamp': '1700000000000', 'access-passphrase': 'pp' };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof BitgetSimError) return err.code;
    throw err;
  }
  return 'ok';
}

describe('authenticate', () => {
  it('accepts vector 6 (GET with query)', () => {
    expect(attempt(good)()).toBe(account);
  });

  it.each([
    ['missing key', { ...good, 'access-key': '' }, '40001'],
    ['missing sign', { ...good, 'access-sign': '' }, '40003'],
    ['malformed timestamp', { ...good, 'access-timestamp': 'yesterday' }, '40005'],
    ['missing passphrase', { ...good, 'access-passphrase': '' }, '40011'],
    ['unknown key', { ...good, 'access-key': 'nope' }, '40006'],
    ['wrong passphrase', { ...good, 'access-passphrase': 'PP' }, '40012'],
    ['tampered signature', { ...good, 'access-sign': 'HjjGppTe/TVQNjofFAgKG/BkJyqnhoTq932gzPM5OQk=' }, '40009'],
    ['paptrading on a live key', { ...good, paptrading: '1' }, '40099'],
  ])('%s → %s', (_n, headers, code) => {
    expect(codeOf(attempt(headers))).toBe(code);
  });

  it('enforces a 30 s timestamp window in both directions', () => {
    expect(codeOf(attempt(good, { now: 1700000030000 }))).toBe('ok');
    expect(codeOf(attempt(good, { now: 1700000030001 }))).toBe('40008');
    expect(codeOf(attempt(good, { now: 1699999969999 }))).toBe('40008');
  });

  it('signs the raw query as received (order matters)', () => {
    const sorted = { ...good, 'access-timestamp': '16273667805456', 'access-sign': 'PIVPtJW792oByXw7Y9q6umoeuef4opp+fIobwDMuqPs=' };
    const base = { now: 16273667805456, path: '/api/mix/v2/market/depth' };
    expect(codeOf(attempt(sorted, { ...base, rawQuery: 'limit=20&symbol=BTCUSDT' }))).toBe('ok');
    expect(codeOf(attempt(sorted, { ...base, rawQuery: 'symbol=BTCUSDT&limit=20' }))).toBe('40009');
  });

  it('accepts both the raw and the percent-decoded form of an encoded query (vectors 9/10)', () => {
    const base = { path: '/api/v2/spot/trade/orderInfo', rawQuery: 'clientOid=grid%3A1%2F2' };
    expect(codeOf(attempt({ ...good, 'access-sign': '/VjQvSvqrmpZ02uXs6tspGD+3w6gFO4kM5U90GrU7ps=' }, base))).toBe('ok');
    expect(codeOf(attempt({ ...good, 'access-sign': 'N3ayWKV2yrpNVWY7Kw/0gsRsC8WB08G3g4TC+xtUu7A=' }, base))).toBe('ok');
  });
});
