import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildQuery, signRequest } from './signing.ts';

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

const vectors = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/bitget/signature-vectors.computed.json', import.meta.url), 'utf8'),
) as Vector[];

describe('signRequest', () => {
  it('has the ten computed vectors', () => {
    expect(vectors).toHaveLength(10);
  });

  for (const v of vectors) {
    it(`matches vector ${v.name}`, () => {
      expect(signRequest(v.secret, v.timestamp, v.method, v.requestPath, v.queryString, v.body)).toBe(
        v.expectedSignatureBase64,
      );
    });
  }

  it('upper-cases the method and appends no "?" for an empty query', () => {
    const a = signRequest('s', '1', 'get', '/api/v2/x', '', '');
    const b = signRequest('s', '1', 'GET', '/api/v2/x', '', '');
    expect(a).toBe(b);
    expect(signRequest('s', '1', 'GET', '/api/v2/x', 'a=1', '')).not.toBe(a);
  });

  it('changes with one bit of the body', () => {
    const body = '{"productType":"USDT-FUTURES"}';
    expect(signRequest('s', '1', 'POST', '/p', '', body)).not.toBe(signRequest('s', '1', 'POST', '/p', '', `${body} `));
  });
});

describe('buildQuery', () => {
  it('sorts keys and drops undefined and null', () => {
    expect(buildQuery({ symbol: 'BTCUSDT', limit: '20', productType: undefined, x: null })).toBe(
      'limit=20&symbol=BTCUSDT',
    );
  });

  it('returns an empty string for no parameters', () => {
    expect(buildQuery({})).toBe('');
    expect(buildQuery({ a: undefined })).toBe('');
  });

  it('percent-encodes reserved characters', () => {
    expect(buildQuery({ clientOid: 'grid:1/2' })).toBe('clientOid=grid%3A1%2F2');
  });

  it('writes every value exactly as encodeURIComponent would (also where it skips encoding)', () => {
    const values = ['BTCUSDT', 'USDT-FUTURES', '0.001', "a-_.!~*'()z", 'a b', 'x+y', 'é', '日本', '%41', '&=?#', '', 'tbx0123456789abcdef'];
    for (let c = 0; c < 0x2100; c++) values.push(`a${String.fromCharCode(c)}`);
    for (const v of values) {
      if (/[\ud800-\udfff]/.test(v)) continue; // lone surrogates: encodeURIComponent throws for both
      expect(buildQuery({ k: v })).toBe(`k=${encodeURIComponent(v)}`);
    }
  });

  it('produces the query of the sorted doc vector', () => {
    expect(buildQuery({ symbol: 'BTCUSDT', limit: 20 })).toBe('limit=20&symbol=BTCUSDT');
  });
});
