import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCompiled } from './compiled-format.ts';
import { SourceMapper } from './source-map.ts';
import { compileWorker } from './syntax.ts';

describe('compileWorker', () => {
  it('strips TypeScript types and reports setup', () => {
    const result = compileWorker(`interface P { size: number }\nexport async function setup(ctx: unknown) {}\nexport async function tick(ctx: { p: P }): Promise<void> { const n: number = 1; }`, 'ts');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.hasSetup).toBe(true);
    expect(result.compiled).not.toMatch(/interface|: number|Promise<void>/);
    expect(parseCompiled(result.compiled)).toMatchObject({ kind: 'module', hasSetup: true, fileName: 'worker.ts' });
  });

  it('accepts scripts declaring top-level tick/setup', () => {
    const result = compileWorker(`function tick(ctx) {}\nvar n = 1;`, 'js');
    expect(result).toMatchObject({ ok: true, hasSetup: false });
    if (result.ok) expect(parseCompiled(result.compiled)?.kind).toBe('script');
    expect(compileWorker(`async function setup() {}\nasync function tick() {}`, 'js')).toMatchObject({ ok: true, hasSetup: true });
  });

  it('reports syntax errors at 1-based positions of the original source', () => {
    expect(compileWorker(`export function tick() {\n  let x = ;\n}`, 'js')).toEqual({
      ok: false,
      error: { message: 'Unexpected ";"', line: 2, column: 11 },
    });
    // positions count characters, not UTF-8 bytes
    expect(compileWorker(`export function tick() {\n  const s = 'héllo' +;\n}`, 'ts')).toMatchObject({
      ok: false,
      error: { line: 2, column: 22 },
    });
    expect(compileWorker(`export function tick(x: number {}`, 'ts')).toMatchObject({ ok: false, error: { line: 1, column: 32 } });
  });

  it('requires tick', () => {
    for (const source of ['export function setup() {}', 'function helper() {}', 'export default function tick() {}']) {
      const result = compileWorker(source, 'js');
      expect(result).toMatchObject({ ok: false, error: { line: 1, column: 1 } });
      if (!result.ok) expect(result.error.message).toMatch(/must define tick/);
    }
  });

  it('refuses imports, top-level await and unknown input', () => {
    expect(compileWorker(`// hi\nimport fs from 'node:fs';\nexport function tick() {}`, 'js')).toEqual({
      ok: false,
      error: { message: 'Imports are not supported in worker code (found "node:fs"); a worker is one self-contained file', line: 2, column: 16 },
    });
    expect(compileWorker(`const x = await 1;\nexport function tick() {}`, 'js')).toMatchObject({
      ok: false,
      error: { line: 1, column: 11, message: expect.stringMatching(/^Top-level await is not supported/) },
    });
    expect(compileWorker(`export function tick() {}`, 'py' as 'js')).toMatchObject({ ok: false });
    expect(compileWorker('x'.repeat(1024 * 1024 + 1), 'js')).toMatchObject({ ok: false });
  });

  it('embeds a source map that maps compiled positions back to the original lines', () => {
    const source = `type T = { a: number };\n\n\nexport function tick(ctx: T) {\n  throw new Error('x');\n}`;
    const result = compileWorker(source, 'ts');
    if (!result.ok) throw new Error('should compile');
    const parsed = parseCompiled(result.compiled)!;
    const lines = parsed.code.split('\n');
    const line = lines.findIndex((l) => l.includes('throw new Error')) + 1;
    const column = lines[line - 1]!.indexOf('new Error') + 1;
    expect(SourceMapper.parse(parsed.sourceMap!)!.original(line, column)).toEqual({ line: 5, column: 9 });
  });

  it('never loads isolated-vm, directly or through its imports', () => {
    const seen = new Set<string>();
    const visit = (url: URL) => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const text = readFileSync(url, 'utf8');
      expect(text).not.toMatch(/from ['"]isolated-vm['"]|require\(['"]isolated-vm['"]\)|import\(['"]isolated-vm/);
      for (const match of text.matchAll(/from '(\.[^']+\.ts)'/g)) visit(new URL(match[1]!, url));
    };
    visit(new URL('./syntax.ts', import.meta.url));
    expect(seen.size).toBeGreaterThan(1);
  });
});
