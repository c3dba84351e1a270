import ivm from 'isolated-vm';
import type { ParsedCompiled } from '../compiled-format.ts';
import type { SourceMapper } from '../source-map.ts';
import { WORKER_ORIGIN } from '../stack.ts';
import type { RunError } from '../types.ts';
import { userError } from './outcomes.ts';
import type { PreludeSource } from './prelude-source.ts';

/** The prelude's functions the runner drives an isolate with (see prelude/6-driver.js). */
export interface PreludeApi {
  begin: ivm.Reference;
  load: ivm.Reference;
  run: ivm.Reference;
  abandon: ivm.Reference;
  deliver: ivm.Reference;
}

/**
 * The bridge callback's signature: everything reaching it is untrusted input from the isolate.
 * `rest` holds the arguments after `b` (a call's argument texts).
 */
export type BridgeSend = (kind: unknown, runId: unknown, callId: unknown, a: unknown, b: unknown, rest: unknown[]) => string | undefined;

/** Creates the context, runs the prelude in it with `send` as its only host function. */
export function bootIsolate(isolate: ivm.Isolate, prelude: PreludeSource, send: BridgeSend): { context: ivm.Context; api: PreludeApi } {
  const context = isolate.createContextSync();
  const factory = prelude.run(isolate, context);
  const callback = new ivm.Callback((kind: unknown, runId: unknown, callId: unknown, a: unknown, b: unknown, ...rest: unknown[]) => send(kind, runId, callId, a, b, rest));
  const apiRef = factory.applySync(undefined, [callback], { result: { reference: true } }) as ivm.Reference;
  const get = (name: string) => apiRef.getSync(name, { reference: true }) as ivm.Reference;
  const api = { begin: get('begin'), load: get('load'), run: get('run'), abandon: get('abandon'), deliver: get('deliver') };
  factory.release();
  apiRef.release();
  return { context, api };
}

/**
 * Evaluates the user's top-level code and hands tick/setup to the prelude: a user error, or
 * undefined when loaded. Sandbox limits (timeout, memory, disposal) are thrown, not returned.
 */
export function loadUserCode(
  isolate: ivm.Isolate,
  context: ivm.Context,
  api: PreludeApi,
  compiled: ParsedCompiled,
  mapper: SourceMapper | undefined,
  cpuLeftMs: () => number,
): RunError | undefined {
  const origin = { filename: WORKER_ORIGIN };
  let exportsRef: ivm.Reference;
  try {
    if (compiled.kind === 'module') {
      const module = isolate.compileModuleSync(compiled.code, origin);
      module.instantiateSync(context, (specifier) => {
        throw new Error(`Imports are not supported in worker code (found "${specifier}")`);
      });
      module.evaluateSync({ timeout: cpuLeftMs() });
      exportsRef = module.namespace;
    } else {
      const script = isolate.compileScriptSync(compiled.code, origin);
      script.runSync(context, { timeout: cpuLeftMs() });
      script.release();
      exportsRef = context.evalClosureSync(
        'return { tick: typeof tick === "undefined" ? undefined : tick, setup: typeof setup === "undefined" ? undefined : setup };',
        [],
        // User code can run here (a getter named tick or setup on the global object).
        { result: { reference: true }, timeout: cpuLeftMs() },
      ) as ivm.Reference;
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    // Limits are the sandbox's business, not a user error: the caller classifies them.
    if (/timed out|memory limit|disposed/i.test(e.message)) throw error;
    return userError({ name: e.name, message: e.message, stack: e.stack }, mapper, compiled.fileName);
  }
  // Timed like every entry: reading tick/setup and serialising the answer can run user code
  // (getters, an Object.prototype.toJSON set by the module).
  const loadResult = api.load.applySync(undefined, [compiled.kind, exportsRef.derefInto()], { timeout: cpuLeftMs() }) as string;
  if (!loadResult) return undefined;
  return userError((JSON.parse(loadResult) as { error: RunError }).error, mapper, compiled.fileName);
}
