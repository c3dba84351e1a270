import { readFileSync } from 'node:fs';

export interface Fixture {
  request: { method: 'GET' | 'POST'; path: string; authenticated: boolean };
  response: { code: string; data: unknown };
}

export function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/bitget/jkorf-bitget-net/${name}.json`, import.meta.url), 'utf8')) as Fixture;
}

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Lists where `actual` does not have the keys and value types of `expected`. Extra keys are
 * allowed (our responses are a superset of older doc examples); an expected `null` accepts
 * anything; list items are compared with the first expected item (every position for the
 * fixed-length rows of candles and depth).
 */
export function shapeDiff(actual: unknown, expected: unknown, path = 'data'): string[] {
  if (expected === null) return [];
  if (kind(actual) !== kind(expected)) return [`${path}: expected ${kind(expected)}, got ${kind(actual)} (${JSON.stringify(actual)?.slice(0, 80)})`];
  if (Array.isArray(expected)) {
    const act = actual as unknown[];
    if (expected.length === 0) return [];
    if (act.length === 0) return [`${path}: expected a non-empty list`];
    // A row inside a list (candle, depth level) is a fixed-layout tuple: compare field by field.
    const tuple = path.endsWith('[]') && expected.every((e) => e === null || typeof e !== 'object');
    if (tuple) {
      if (act.length !== expected.length) return [`${path}: expected ${expected.length} fields, got ${act.length}`];
      return expected.flatMap((e, i) => shapeDiff(act[i], e, `${path}[${i}]`));
    }
    return act.flatMap((a) => shapeDiff(a, expected[0], `${path}[]`));
  }
  if (typeof expected === 'object') {
    const act = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) =>
      k in act ? shapeDiff(act[k], v, `${path}.${k}`) : [`${path}.${k}: missing`]);
  }
  return [];
}
