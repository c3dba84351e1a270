import { readFileSync } from 'node:fs';
import ivm from 'isolated-vm';
import { PRELUDE_ORIGIN } from '../stack.ts';

/**
 * The prelude's source plus V8 code cache, produced by the first isolate of this process and
 * reused by every later one (cached data is our own, never user supplied).
 */
export class PreludeSource {
  readonly #code = readFileSync(new URL('./prelude.js', import.meta.url), 'utf8');
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
