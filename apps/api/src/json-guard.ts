/** How deep a JSON body may nest; real requests and alerts use a handful of levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * The first thing about a request value (a parsed JSON body, the query, the path parameters) that
 * would fail further down instead of being a clear 400 here: a NUL character in a string or key
 * (PostgreSQL text and jsonb cannot hold one), or nesting deeper than MAX_JSON_DEPTH (the queue's
 * serialiser recurses). Undefined when there is none. Iterative, so no depth overflows the stack.
 */
export function jsonProblem(value: unknown, where: string): string | undefined {
  const stack: [unknown, string, number][] = [[value, where, 0]];
  while (stack.length > 0) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return `${path} contains a NUL character (\\u0000), which cannot be stored`;
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_JSON_DEPTH) return `${where} is nested more than ${MAX_JSON_DEPTH} levels deep`;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`, depth + 1]);
      continue;
    }
    for (const [key, child] of Object.entries(v)) {
      if (key.includes('\u0000')) return `${path} has a field name with a NUL character (\\u0000), which cannot be stored`;
      stack.push([child, `${path}.${key}`, depth + 1]);
    }
  }
  return undefined;
}
