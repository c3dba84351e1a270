/**
 * Upload-time checks and transpilation of worker code. The api imports this entry
 * ('@tickbox/sandbox/syntax'), so it must never load isolated-vm, directly or indirectly.
 */
import { buildSync, type BuildFailure, type BuildOptions, type Message, type Metafile } from 'esbuild';
import { formatCompiled, type WorkerKind } from './compiled-format.ts';

export type CompileWorkerResult =
  | { ok: true; compiled: string; hasSetup: boolean }
  | { ok: false; error: { message: string; line: number; column: number } };

/** Larger sources are refused before esbuild sees them. */
export const MAX_SOURCE_BYTES = 1024 * 1024;

const TICK_REQUIRED =
  'A worker must define tick: `export async function tick(ctx) { ... }` (or a top-level `function tick(ctx)` in a script)';

interface Build {
  code: string;
  sourceMap: string;
  metafile: Metafile;
}

/**
 * Strips types (TypeScript) and normalises the code with esbuild, and checks the worker contract:
 * an ES module exporting `tick` (and optionally `setup`), or a script declaring them at top level.
 * Positions in errors are 1-based and refer to the original source.
 */
export function compileWorker(source: string, language: 'js' | 'ts'): CompileWorkerResult {
  if (typeof source !== 'string') return failure('Worker code must be a string');
  if (language !== 'js' && language !== 'ts') return failure(`Unknown language ${JSON.stringify(language)}; use "js" or "ts"`);
  if (Buffer.byteLength(source) > MAX_SOURCE_BYTES) {
    return failure(`Worker code is larger than ${MAX_SOURCE_BYTES} bytes`);
  }
  const fileName = language === 'ts' ? 'worker.ts' : 'worker.js';

  let build: Build;
  try {
    build = runBuild(source, language, fileName);
  } catch (error) {
    return fromBuildFailure(error);
  }

  const input = build.metafile.inputs[fileName];
  const output = Object.values(build.metafile.outputs).find((o) => o.entryPoint !== undefined);
  const imported = output?.imports.find((i) => i.kind === 'import-statement' || i.kind === 'require-call');
  if (imported) {
    const at = locate(source, imported.path);
    return {
      ok: false,
      error: {
        message: `Imports are not supported in worker code (found "${imported.path}"); a worker is one self-contained file`,
        ...at,
      },
    };
  }

  let kind: WorkerKind;
  let hasTick: boolean;
  let hasSetup: boolean;
  if (input?.format === 'esm') {
    kind = 'module';
    const exports = output?.exports ?? [];
    hasTick = exports.includes('tick');
    hasSetup = exports.includes('setup');
  } else {
    kind = 'script';
    ({ hasTick, hasSetup } = scriptDeclarations(source, language, fileName));
  }
  if (!hasTick) return failure(TICK_REQUIRED);

  return {
    ok: true,
    hasSetup,
    compiled: formatCompiled({ kind, hasSetup, fileName, code: build.code, sourceMap: build.sourceMap }),
  };
}

function buildOptions(source: string, language: 'js' | 'ts', fileName: string): BuildOptions {
  return {
    stdin: { contents: source, loader: language, sourcefile: fileName },
    write: false,
    bundle: false,
    metafile: true,
    sourcemap: 'external',
    sourcesContent: false,
    outfile: 'worker.js',
    platform: 'neutral',
    target: 'es2024',
    // Top-level code runs while the isolate loads, outside any tick; awaiting there is refused.
    supported: { 'top-level-await': false },
    logLevel: 'silent',
  };
}

function runBuild(source: string, language: 'js' | 'ts', fileName: string): Build {
  const result = buildSync(buildOptions(source, language, fileName));
  const files = result.outputFiles ?? [];
  const code = files.find((f) => f.path.endsWith('.js'))?.text ?? '';
  const sourceMap = files.find((f) => f.path.endsWith('.map'))?.text ?? '{"version":3,"mappings":""}';
  return { code, sourceMap, metafile: result.metafile ?? { inputs: {}, outputs: {} } };
}

/**
 * A script's top-level `function tick` is found by asking esbuild to export it: esbuild reports
 * names that are not declared in the file, which is exactly the question.
 */
function scriptDeclarations(source: string, language: 'js' | 'ts', fileName: string) {
  try {
    buildSync({ ...buildOptions(`${source}\n;export { tick, setup };`, language, fileName), metafile: false, sourcemap: false });
    return { hasTick: true, hasSetup: true };
  } catch (error) {
    const messages = (error as Partial<BuildFailure>).errors ?? [];
    const undeclared = (name: string) => messages.some((m) => m.text === `"${name}" is not declared in this file`);
    const onlyUndeclared = messages.every((m) => / is not declared in this file$/.test(m.text));
    if (onlyUndeclared) return { hasTick: !undeclared('tick'), hasSetup: !undeclared('setup') };
    // Module-only rules (strict mode) rejected the probe; fall back to a textual check.
    return {
      hasTick: /^\s*(?:async\s+)?function\s*\*?\s*tick\s*\(/m.test(source),
      hasSetup: /^\s*(?:async\s+)?function\s*\*?\s*setup\s*\(/m.test(source),
    };
  }
}

function fromBuildFailure(error: unknown): CompileWorkerResult {
  const messages = (error as Partial<BuildFailure>).errors;
  const first: Message | undefined = messages?.[0];
  if (!first) return failure(`Could not compile worker: ${error instanceof Error ? error.message : String(error)}`);
  let message = first.text;
  if (message.startsWith('Top-level await is not available')) {
    message = 'Top-level await is not supported in worker code; await inside setup(ctx) or tick(ctx) instead';
  }
  const location = first.location;
  if (!location) return failure(message);
  // esbuild columns count UTF-8 bytes; editors count characters.
  const column = Buffer.from(location.lineText, 'utf8').subarray(0, location.column).toString('utf8').length + 1;
  return { ok: false, error: { message, line: location.line, column } };
}

function failure(message: string): CompileWorkerResult {
  return { ok: false, error: { message, line: 1, column: 1 } };
}

/** 1-based position of an import specifier in the source (its first quoted occurrence). */
function locate(source: string, specifier: string): { line: number; column: number } {
  let index = -1;
  for (const quote of ['"', "'", '`']) {
    const at = source.indexOf(`${quote}${specifier}${quote}`);
    if (at >= 0 && (index < 0 || at < index)) index = at;
  }
  if (index < 0) return { line: 1, column: 1 };
  const before = source.slice(0, index);
  const line = before.split('\n').length;
  const column = index - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}
