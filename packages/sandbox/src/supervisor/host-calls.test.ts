import { describe, expect, it } from 'vitest';
import { hostShape, invokeHost, sanitizeHostError } from './host-calls.ts';

describe('host calls', () => {
  it('copies only whitelisted fields of host errors', () => {
    const error = Object.assign(new Error('Bad'), {
      name: 'BitgetAPIError', code: '40001', detail: { x: 1 }, context: { method: 'm', path: '/p' }, status: 401,
      headers: { key: 'secret' }, request: { url: '/x?sign=abc' }, cause: new Error('inner'),
    });
    expect(sanitizeHostError(error)).toEqual({
      name: 'BitgetAPIError', message: 'Bad', code: '40001', detail: { x: 1 }, context: { method: 'm', path: '/p' }, status: 401,
    });
    expect(sanitizeHostError('plain')).toEqual({ name: 'Error', message: 'plain' });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(sanitizeHostError({ message: 'm', detail: cyclic, code: { not: 'a code' } })).toEqual({ name: 'Error', message: 'm' });
  });

  it('invokes only own functions of own namespaces, with decoded arguments', async () => {
    const host = { bitget: { echo: async (...args: unknown[]) => args } };
    expect(await invokeHost(host, 'bitget', 'echo', ['"a"', null, '{"b":1}'])).toEqual({ ok: true, payload: '["a",null,{"b":1}]' });
    expect(await invokeHost(host, 'bitget', 'toString', [])).toMatchObject({ ok: false });
    expect(await invokeHost(host, '__proto__', 'constructor', [])).toMatchObject({ ok: false });
    const bad = { bitget: { big: async () => 10n } };
    expect(await invokeHost(bad, 'bitget', 'big', [])).toMatchObject({ ok: false });
  });

  it('validates host shapes', () => {
    expect(hostShape({ bitget: { a: async () => 1, b: async () => 2 } })).toEqual({ bitget: ['a', 'b'] });
    expect(() => hostShape({ log: {} })).toThrow(/reserved/);
    expect(() => hostShape({ bitget: { 'a-b': async () => 1 } })).toThrow(/not a valid name/);
  });
});
