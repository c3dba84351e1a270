/**
 * The stored form of a compiled worker: one header line, the JavaScript esbuild produced, and
 * an inline source map (without sources content) so runtime positions map to the user's file.
 *
 *   // tickbox-worker v1 module setup worker.ts
 *   ...code...
 *   (a source-map comment: the map as base64 JSON in a data: URL)
 */

export type WorkerKind = 'module' | 'script';

export interface ParsedCompiled {
  kind: WorkerKind;
  hasSetup: boolean;
  /** Name shown in stack traces, `worker.ts` or `worker.js`. */
  fileName: string;
  /** The whole compiled text; V8 ignores the header and map comments. */
  code: string;
  sourceMap?: string;
}

const HEADER = /^\/\/ tickbox-worker v1 (module|script) (setup|nosetup) (worker\.(?:ts|js))\n/;
// Assembled so that this file holds no source-map comment of its own: tools that look for the
// last one in a module (tsx, vitest) would try to load this one.
const MAP_PREFIX = ['//#', 'sourceMappingURL=data:application/json;base64,'].join(' ');

export function formatCompiled(parts: {
  kind: WorkerKind;
  hasSetup: boolean;
  fileName: string;
  code: string;
  sourceMap: string;
}): string {
  const header = `// tickbox-worker v1 ${parts.kind} ${parts.hasSetup ? 'setup' : 'nosetup'} ${parts.fileName}\n`;
  const map = JSON.parse(parts.sourceMap) as { mappings: string };
  // The header shifts every generated line down by one.
  map.mappings = `;${map.mappings}`;
  const code = parts.code.endsWith('\n') ? parts.code : `${parts.code}\n`;
  return `${header}${code}${MAP_PREFIX}${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

export function parseCompiled(compiled: string): ParsedCompiled | undefined {
  const header = HEADER.exec(compiled);
  if (!header) return undefined;
  const parsed: ParsedCompiled = {
    kind: header[1] as WorkerKind,
    hasSetup: header[2] === 'setup',
    fileName: header[3]!,
    code: compiled,
  };
  const at = compiled.lastIndexOf(`\n${MAP_PREFIX}`);
  if (at >= 0) {
    const end = compiled.indexOf('\n', at + 1);
    const base64 = compiled.slice(at + 1 + MAP_PREFIX.length, end < 0 ? undefined : end);
    parsed.sourceMap = Buffer.from(base64, 'base64').toString('utf8');
  }
  return parsed;
}
