/**
 * Hostile workers that try to leave the isolate or find host objects in it: constructor chains,
 * import/require, code generation, walking every reachable object for isolated-vm handles, and
 * stack-trace probing for host paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from './helpers.ts';

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

const CODEGEN = 'is disabled in Tickbox workers (no code generation from strings)';

describe('hostile workers: escapes', () => {
  it('blocks constructor-chain escapes (eval and Function are disabled by decision)', async () => {
    const result = await h.run(`
      export function tick(ctx) {
        const attempts = {
          ctx: () => ctx.constructor.constructor('return process')(),
          global: () => globalThis.constructor.constructor('return process')(),
          method: () => ctx.bitget.futures_tickers.constructor('return process')(),
          async: () => (async () => {}).constructor('return process')(),
          generator: () => (function* () {}).constructor('return 1')(),
          asyncGenerator: () => (async function* () {}).constructor('return 1')(),
          eval: () => eval('1 + 1'),
          indirectEval: () => (0, globalThis.eval)('1 + 1'),
          Function: () => new Function('return 1')(),
          reflect: () => Reflect.construct(Function, ['return 1'])(),
        };
        const out = {};
        for (const [name, attempt] of Object.entries(attempts)) {
          try { out[name] = 'escaped: ' + String(attempt()); } catch (e) { out[name] = e.name + ': ' + e.message; }
        }
        out.instanceof = (() => {}) instanceof Function && ctx.sleep instanceof Function;
        return out;
      }`);
    expect(result.status).toBe('ok');
    expect(result.returnValue).toEqual({
      ctx: `EvalError: new Function() ${CODEGEN}`,
      global: `EvalError: new Function() ${CODEGEN}`,
      method: `EvalError: new Function() ${CODEGEN}`,
      async: `EvalError: AsyncFunction() ${CODEGEN}`,
      generator: `EvalError: GeneratorFunction() ${CODEGEN}`,
      asyncGenerator: `EvalError: AsyncGeneratorFunction() ${CODEGEN}`,
      eval: `EvalError: eval() ${CODEGEN}`,
      indirectEval: `EvalError: eval() ${CODEGEN}`,
      Function: `EvalError: new Function() ${CODEGEN}`,
      reflect: `EvalError: new Function() ${CODEGEN}`,
      instanceof: true,
    });
    await h.expectControlHealthy();
  });

  it('has no process, require, import(), fetch, timers, WebAssembly, SharedArrayBuffer or Atomics', async () => {
    const result = await h.run(`
      export async function tick() {
        const names = ['process', 'require', 'module', 'fetch', 'setTimeout', 'setInterval', 'queueMicrotask', 'WebAssembly',
          'SharedArrayBuffer', 'Atomics', 'Buffer', 'global', '_ivm', 'ivm', 'isolatedVm', 'Deno', 'Bun'];
        const present = names.filter((n) => typeof globalThis[n] !== 'undefined');
        let imported;
        try { await import('node:fs'); imported = 'loaded'; } catch (e) { imported = e.message; }
        let atomics;
        try { Atomics.wait(new Int32Array(4), 0, 0); } catch (e) { atomics = e.name + ': ' + e.message; }
        return { present, imported, atomics };
      }`);
    expect(result.returnValue).toEqual({
      present: [],
      imported: 'Not supported',
      atomics: 'ReferenceError: Atomics is not defined',
    });
    const required = await h.run(`export function tick() { return require('fs'); }`);
    expect(result.status).toBe('ok');
    expect(required.error).toMatchObject({ name: 'ReferenceError', message: 'require is not defined' });
    await h.expectControlHealthy();
  });

  it('finds no isolated-vm handle or host function walking globalThis, ctx and every prototype', async () => {
    const result = await h.run(`
      export function tick(ctx) {
        const seen = new Set();
        const suspicious = [];
        let visited = 0;
        const native = /\\{\\s*\\[native code\\]\\s*\\}$/;
        const walk = (value, path, depth) => {
          if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 8) return;
          seen.add(value);
          visited++;
          const tag = Object.prototype.toString.call(value);
          const ctorName = (() => { try { return value.constructor && value.constructor.name; } catch { return ''; } })();
          const handle = /^(Reference|ExternalCopy|Callback|Isolate|Context|Script|Module|Dereference|NativeModule)$/;
          if (handle.test(String(ctorName)) || handle.test(tag.slice(8, -1))) suspicious.push(path + ' ' + ctorName + ' ' + tag);
          if (typeof value === 'function') {
            // A host function crossing the boundary shows up as a native function outside the builtins.
            const src = Function.prototype.toString.call(value);
            if (native.test(src) && path.startsWith('ctx')) suspicious.push(path + ' is native');
          }
          for (const key of Reflect.ownKeys(value)) {
            let child;
            try {
              const d = Object.getOwnPropertyDescriptor(value, key);
              child = d && ('value' in d ? d.value : d.get);
            } catch { continue; }
            walk(child, path + '.' + String(key), depth + 1);
          }
          walk(Object.getPrototypeOf(value), path + '.__proto__', depth + 1);
        };
        walk(globalThis, 'globalThis', 0);
        walk(ctx, 'ctx', 0);
        return { suspicious, visited, globals: Object.getOwnPropertyNames(globalThis).filter((n) => !/^[A-Z]/.test(n)).sort() };
      }`);
    expect(result.status).toBe('ok');
    const value = result.returnValue as { suspicious: string[]; visited: number; globals: string[] };
    expect(value.suspicious).toEqual([]);
    expect(value.visited).toBeGreaterThan(500);
    expect(value.globals).toEqual([
      'console', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'eval',
      'globalThis', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'undefined', 'unescape',
    ]);
  });

  it('reveals no host path, host frame or prelude function through Error.prepareStackTrace', async () => {
    const result = await h.run(`
      export async function tick(ctx) {
        const seen = [];
        Error.prepareStackTrace = (error, frames) => {
          for (const f of frames) {
            seen.push([f.getFileName(), f.getFunctionName(), typeof f.getFunction(), typeof f.getThis()].join('|'));
          }
          return 'probed';
        };
        Error.stackTraceLimit = Infinity;
        try { await ctx.bitget.fail(); } catch (e) { void e.stack; }
        try { ctx.state.set('x', () => 1); } catch (e) { void e.stack; }
        try { await ctx.bitget.futures_tickers({ get symbol() { throw new Error('inner'); } }); } catch (e) { void e.stack; }
        void new Error('here').stack;
        return seen;
      }`);
    expect(result.status).toBe('ok');
    const frames = result.returnValue as string[];
    expect(frames.length).toBeGreaterThan(3);
    for (const frame of frames) {
      const [file, , fn, self] = frame.split('|');
      expect(['tickbox:worker', 'tickbox:prelude', '']).toContain(file);
      // prelude frames are strict mode: no function or receiver leaks through a CallSite
      if (file === 'tickbox:prelude') expect([fn, self]).toEqual(['undefined', 'undefined']);
    }
    expect(JSON.stringify(frames)).not.toMatch(/\/work|node_modules|\.ts\b|node:|file:/);
  });

  it('never shows host frames in reported stacks, even for errors isolated-vm copies out', async () => {
    const result = await h.run(`throw new TypeError('at load time');\nexport function tick() {}`);
    expect(result.status).toBe('error');
    expect(result.error).toEqual({
      name: 'TypeError',
      message: 'at load time',
      stack: 'TypeError: at load time\n    at worker.js:1:7',
    });
    await h.expectControlHealthy();
  });
});
