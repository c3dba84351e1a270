import { readFileSync } from 'node:fs';
import ivm from 'isolated-vm';
import { PRELUDE_ORIGIN } from '../stack.ts';

/**
 * The prelude runs inside every isolate before any user code (filename "tickbox:prelude"). It
 * is one classic script whose completion value is a factory: the runner calls it with a single
 * host callback (`send`) and gets back the functions it drives the isolate with.
 *
 * Its source is split by concern into `prelude/*.js` (file-name order) and concatenated here
 * into one strict-mode function body, so that all parts share one closure scope and no part is
 * reachable from user code.
 *
 * Trust: the prelude shares a realm with user code, so everything it enforces is re-checked on
 * the host (call budget, late calls, log and state caps). It captures the built-ins it uses
 * before user code runs, so prototype pollution breaks only the polluter's own expectations,
 * not the bridge; strict mode means V8 CallSites never expose its functions.
 */
const PARTS = ['1-intrinsics.js', '2-lockdown.js', '3-format.js', '4-bridge.js', '5-ctx.js', '6-driver.js'];

export function preludeCode(): string {
  const parts = PARTS.map((name) => readFileSync(new URL(`./prelude/${name}`, import.meta.url), 'utf8'));
  return `(function tickboxPrelude(send) {\n'use strict';\n${parts.join('\n')}\nreturn { begin, load, run, abandon, deliver };\n})`;
}

/**
 * The prelude's source plus V8 code cache, produced by the first isolate of this process and
 * reused by every later one (cached data is our own, never user supplied).
 */
export class PreludeSource {
  readonly #code = preludeCode();
  #cachedData: ivm.ExternalCopy<ArrayBuffer> | undefined;

  /** Evaluates the prelude in a fresh context; returns a reference to its factory function. */
  run(isolate: ivm.Isolate, context: ivm.Context): ivm.Reference {
    const options: ivm.ScriptOrigin & ivm.CachedDataOptions = { filename: PRELUDE_ORIGIN };
    if (this.#cachedData) options.cachedData = this.#cachedData;
    else options.produceCachedData = true;
    const script: ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer> } = isolate.compileScriptSync(this.#code, options);
    if (!this.#cachedData && script.cachedData) this.#cachedData = script.cachedData;
    const factory = script.runSync(context, { reference: true });
    script.release();
    return factory;
  }
}
