import { describe, expect, it } from 'vitest';
import { jsonProblem, MAX_JSON_DEPTH } from './json-guard.ts';

describe('jsonProblem', () => {
  it('names where a NUL character is, in values and field names', () => {
    expect(jsonProblem({ name: 'ok', code: 'a\u0000b' }, 'body')).toBe('body.code contains a NUL character (\\u0000), which cannot be stored');
    expect(jsonProblem({ list: ['x', 'y\u0000'] }, 'body')).toBe('body.list[1] contains a NUL character (\\u0000), which cannot be stored');
    expect(jsonProblem({ 'a\u0000': 1 }, 'body')).toBe('body has a field name with a NUL character (\\u0000), which cannot be stored');
    expect(jsonProblem('text\u0000', 'body')).toBe('body contains a NUL character (\\u0000), which cannot be stored');
  });

  it('refuses nesting past the limit without overflowing the stack, and accepts ordinary values', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonProblem(deep, 'body')).toBe(`body is nested more than ${MAX_JSON_DEPTH} levels deep`);
    let ok: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) ok = { a: ok };
    expect(jsonProblem(ok, 'body')).toBeUndefined();
    expect(jsonProblem({ a: [1, 'x', null, true, { b: 'é' }] }, 'query')).toBeUndefined();
    expect(jsonProblem(undefined, 'body')).toBeUndefined();
  });
});
