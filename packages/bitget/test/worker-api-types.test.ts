import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, DTS_PATH, renderWorkerApiDoc, renderWorkerApiDts } from '../scripts/render-worker-api.ts';

// Worker examples are type-checked against src/worker-api.d.ts with the compiler API, the way
// an editor would check a worker author's file (no Node types: workers have no Node globals).

const example = (name: string) => fileURLToPath(new URL(`./fixtures/workers/${name}`, import.meta.url));

/** `virtual` serves a file's text from elsewhere (the mistakes example must not break `tsc`). */
function diagnostics(file: string, virtual?: string): { line: number; text: string }[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    allowJs: true,
    checkJs: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    types: [],
    skipLibCheck: false,
  };
  const host = ts.createCompilerHost(options);
  if (virtual !== undefined) {
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (name, lang, ...rest) =>
      name === file ? ts.createSourceFile(name, virtual, lang) : getSourceFile.call(host, name, lang, ...rest);
    host.fileExists = (name) => name === file || fileExists.call(host, name);
    host.readFile = (name) => (name === file ? virtual : readFile.call(host, name));
  }
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ({
    line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
    text: `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
  }));
}

describe('worker-api.d.ts', () => {
  it('is up to date with the endpoint tables (and so is docs/worker-api.md)', () => {
    expect(readFileSync(DTS_PATH, 'utf8')).toBe(renderWorkerApiDts());
    expect(readFileSync(DOC_PATH, 'utf8')).toBe(renderWorkerApiDoc());
  });

  it('type-checks a TypeScript worker', () => {
    expect(diagnostics(example('dca-bot.ts'))).toEqual([]);
  });

  it('type-checks a JavaScript worker with JSDoc', () => {
    expect(diagnostics(example('flat-at-close.js'))).toEqual([]);
  });

  it('reports the mistakes on exactly the marked lines', () => {
    const file = example('mistakes.ts');
    const text = readFileSync(`${file}.txt`, 'utf8');
    const marked = text
      .split('\n')
      .flatMap((l, i) => (l.includes('// ERR') ? [i + 1] : []));
    const lines = [...new Set(diagnostics(file, text).map((d) => d.line))].sort((a, b) => a - b);
    expect(lines).toEqual(marked);
  });
});
