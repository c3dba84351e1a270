// Runs inside every isolate before any user code (filename "tickbox:prelude"). It is evaluated
// as a classic script whose completion value is the factory below; the runner calls it with a
// single host callback and gets back the functions it drives the isolate with.
//
// Trust: this code shares a realm with user code, so everything it enforces is re-checked on the
// host (call budget, late calls, log and state caps). It captures the built-ins it uses before
// user code runs so that prototype pollution breaks only the polluter's own expectations, not
// the bridge. It is strict mode throughout, so V8 CallSites never expose its functions.
// It stays one file (longer than our usual ~300 lines) because it is evaluated as one script.
(function tickboxPrelude(send) {
  'use strict';
  const G = globalThis;
  const ReflectApply = Reflect.apply;
  const uncurry = (fn) => (self, ...args) => ReflectApply(fn, self, args);
  const ObjectFreeze = Object.freeze;
  const ObjectDefineProperty = Object.defineProperty;
  const ObjectGetPrototypeOf = Object.getPrototypeOf;
  const ObjectKeys = Object.keys;
  const ObjectHasOwn = Object.hasOwn;
  const ObjectIsFrozen = Object.isFrozen;
  const ArrayIsArray = Array.isArray;
  const JSONStringify = JSON.stringify;
  const JSONParse = JSON.parse;
  const MathMin = Math.min;
  const NumberIsFinite = Number.isFinite;
  const StringCtor = String;
  const StringSlice = uncurry(String.prototype.slice);
  const StringIndexOf = uncurry(String.prototype.indexOf);
  const StringCharCodeAt = uncurry(String.prototype.charCodeAt);
  const StringSplit = uncurry(String.prototype.split);
  const PRELUDE_ORIGIN = 'tickbox:prelude';
  const RegExpTest = uncurry(RegExp.prototype.test);
  const MapCtor = Map;
  const MapGet = uncurry(Map.prototype.get);
  const MapSet = uncurry(Map.prototype.set);
  const MapHas = uncurry(Map.prototype.has);
  const MapDelete = uncurry(Map.prototype.delete);
  const MapForEach = uncurry(Map.prototype.forEach);
  const SetCtor = Set;
  const SetAdd = uncurry(Set.prototype.add);
  const SetHas = uncurry(Set.prototype.has);
  const SetDelete = uncurry(Set.prototype.delete);
  const PromiseCtor = Promise;
  const PromiseResolve = (value) => ReflectApply(Promise.resolve, PromiseCtor, [value]);
  const PromiseReject = (value) => ReflectApply(Promise.reject, PromiseCtor, [value]);
  const PromiseThen = uncurry(Promise.prototype.then);
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const EvalErrorCtor = EvalError;
  const captureStackTrace = Error.captureStackTrace;
  const NON_ASCII = /[^\x00-\x7f]/;
  // Index loops over frozen arrays: user code may replace Array.prototype[Symbol.iterator].
  const HOST_ERROR_FIELDS = ObjectFreeze(['code', 'detail', 'context', 'status']);
  const LOG_LEVELS = ObjectFreeze(['debug', 'info', 'warn', 'error']);

  // ---- lockdown --------------------------------------------------------------------------
  // No shared memory (timers for Spectre-style attacks, Atomics.wait blocking a thread) and no
  // WebAssembly (Memory.grow ignores the isolate memory limit).
  for (const name of ['WebAssembly', 'SharedArrayBuffer', 'Atomics']) delete G[name];

  // Code generation from strings is refused, as on Cloudflare Workers. The isolate is the
  // security boundary either way; this keeps every line of running code mappable to the user's
  // source and closes the `this.constructor.constructor(...)` family of probes.
  const denyCodegen = (what) => {
    const stub = function () {
      throw new EvalErrorCtor(`${what} is disabled in Tickbox workers (no code generation from strings)`);
    };
    return stub;
  };
  const FunctionStub = denyCodegen('new Function()');
  const constructors = [
    [Function.prototype, FunctionStub],
    [ObjectGetPrototypeOf(async function () {}), denyCodegen('AsyncFunction()')],
    [ObjectGetPrototypeOf(function* () {}), denyCodegen('GeneratorFunction()')],
    [ObjectGetPrototypeOf(async function* () {}), denyCodegen('AsyncGeneratorFunction()')],
  ];
  for (let i = 0; i < constructors.length; i++) {
    const proto = constructors[i][0];
    const stub = constructors[i][1];
    ObjectDefineProperty(stub, 'name', { value: 'Function' });
    ObjectDefineProperty(stub, 'prototype', { value: proto, writable: false, enumerable: false, configurable: false });
    ObjectDefineProperty(proto, 'constructor', { value: stub, writable: false, enumerable: false, configurable: false });
  }
  ObjectDefineProperty(G, 'Function', { value: FunctionStub, writable: true, enumerable: false, configurable: true });
  ObjectDefineProperty(G, 'eval', { value: denyCodegen('eval()'), writable: true, enumerable: false, configurable: true });

  // ---- helpers ---------------------------------------------------------------------------
  const utf8Length = (s) => {
    if (!RegExpTest(NON_ASCII, s)) return s.length;
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = StringCharCodeAt(s, i);
      if (c < 0x80) n += 1;
      else if (c < 0x800) n += 2;
      else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
      else n += 3;
    }
    return n;
  };

  const safeString = (value) => {
    try {
      return StringCtor(value);
    } catch {
      return '[unprintable]';
    }
  };

  class NotJson extends ErrorCtor {}
  const strictReplacer = function (key, value) {
    const type = typeof value;
    if (type === 'function' || type === 'symbol' || type === 'bigint') {
      throw new NotJson(`${type === 'function' ? 'a function' : `a ${type}`}${key === '' ? '' : ` at key "${key}"`}`);
    }
    return value;
  };
  /** JSON text of value, or undefined for undefined; functions, symbols, bigints and cycles throw. */
  const encodeJson = (value, what) => {
    try {
      return JSONStringify(value, strictReplacer);
    } catch (error) {
      const reason = error instanceof NotJson ? error.message : safeString(error && error.message);
      throw new TypeErrorCtor(`${what} is not JSON-serialisable: ${reason}`);
    }
  };

  const deepFreeze = (value) => {
    if (value === null || typeof value !== 'object' || ObjectIsFrozen(value)) return value;
    ObjectFreeze(value);
    const keys = ObjectKeys(value);
    for (let i = 0; i < keys.length; i++) deepFreeze(value[keys[i]]);
    return value;
  };

  // Log formatting: strings as-is, errors by stack, other values as bounded JSON-like text.
  const inspect = (value, depth, seen) => {
    const type = typeof value;
    if (type === 'string') return depth === 0 ? value : JSONStringify(value);
    if (type === 'function') return `[Function ${safeString(value.name) || '(anonymous)'}]`;
    if (type === 'symbol' || type === 'bigint' || type === 'number' || type === 'boolean' || value === undefined || value === null) {
      return type === 'bigint' ? `${safeString(value)}n` : safeString(value);
    }
    if (value instanceof ErrorCtor) {
      const stack = value.stack;
      return typeof stack === 'string' ? stack : `${safeString(value.name)}: ${safeString(value.message)}`;
    }
    if (SetHas(seen, value)) return '[Circular]';
    if (depth > 4) return ArrayIsArray(value) ? '[Array]' : '[Object]';
    SetAdd(seen, value);
    let out;
    if (ArrayIsArray(value)) {
      const n = MathMin(value.length, 100);
      out = '[';
      for (let i = 0; i < n; i++) out += `${i ? ', ' : ''}${inspect(value[i], depth + 1, seen)}`;
      if (value.length > n) out += `, ... ${value.length - n} more`;
      out += ']';
    } else {
      const keys = ObjectKeys(value);
      const n = MathMin(keys.length, 100);
      out = '{';
      for (let i = 0; i < n; i++) {
        out += `${i ? ', ' : ' '}${keys[i]}: ${inspect(value[keys[i]], depth + 1, seen)}`;
      }
      out += keys.length > n ? `, ... ${keys.length - n} more }` : n ? ' }' : '}';
    }
    SetDelete(seen, value);
    return out;
  };
  const formatArgs = (args) => {
    let text = '';
    for (let i = 0; i < args.length; i++) {
      let part;
      try {
        part = inspect(args[i], 0, new SetCtor());
      } catch {
        part = '[uninspectable]';
      }
      text += i ? ` ${part}` : part;
      if (text.length > 1_000_000) break;
    }
    return text;
  };

  /** Copies what the host may see of a thrown value; getters run here, under the isolate's limits. */
  const describeError = (error) => {
    let name = 'Error';
    let message;
    let code;
    let stack;
    try {
      if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
        const n = error.name;
        const m = error.message;
        const c = error.code;
        const s = error.stack;
        if (typeof n === 'string' && n) name = StringSlice(n, 0, 200);
        message = typeof m === 'string' ? m : m === undefined ? formatArgs([error]) : safeString(m);
        if (typeof c === 'string' || typeof c === 'number') code = StringSlice(StringCtor(c), 0, 200);
        if (typeof s === 'string') stack = StringSlice(s, 0, 16_000);
      } else {
        message = formatArgs([error]);
      }
    } catch {
      message = message ?? 'a value that could not be read was thrown';
    }
    return { name, message: StringSlice(message ?? '', 0, 8_000), code, stack };
  };

  // ---- sessions (one per setup/tick) -----------------------------------------------------
  let current = null;
  let exportsOf = null;

  const refuseLate = (session, what) => {
    send('late', session.id, 0, what);
    const error = new ErrorCtor(`${what} was called after the tick finished; the call was refused`);
    ObjectDefineProperty(error, 'name', { value: 'SandboxError', writable: true, configurable: true });
    error.code = 'TICK_FINISHED';
    return error;
  };

  const log = (session, level, args, label) => {
    if (session === null || session.done) {
      send('late', session === null ? 0 : session.id, 0, label);
      return;
    }
    if (session.logLines >= session.limits.maxLogLines || session.logBytes >= session.limits.maxLogBytes) {
      session.droppedLogs++;
      return;
    }
    let text = formatArgs(args);
    const room = session.limits.maxLogBytes - session.logBytes;
    if (text.length > room) text = `${StringSlice(text, 0, room)}… [line truncated]`;
    session.logLines++;
    session.logBytes += utf8Length(text);
    send('log', session.id, 0, level, text);
  };

  const hostCall = (session, ns, fn, args, caller) => {
    const what = `ctx.${ns}.${fn}()`;
    if (session.done) return PromiseReject(refuseLate(session, what));
    if (session.calls >= session.limits.maxHostCalls) {
      const error = new ErrorCtor(`${what} refused: at most ${session.limits.maxHostCalls} ctx calls per tick`);
      ObjectDefineProperty(error, 'name', { value: 'SandboxError', writable: true, configurable: true });
      error.code = 'HOST_CALL_LIMIT';
      return PromiseReject(error);
    }
    const encoded = [];
    try {
      for (let i = 0; i < args.length; i++) {
        // null marks undefined so that positional defaults still apply on the host.
        encoded[i] = args[i] === undefined ? null : encodeJson(args[i], `${what} argument ${i + 1}`);
      }
    } catch (error) {
      return PromiseReject(error);
    }
    session.calls++;
    const trace = {};
    captureStackTrace(trace, caller);
    const id = ++session.seq;
    const refusal = send('call', session.id, id, ns, fn, encoded);
    if (typeof refusal === 'string') return PromiseReject(hostError(refusal, trace));
    return new PromiseCtor((resolve, reject) => {
      MapSet(session.pending, id, { resolve, reject, trace });
    });
  };

  const hostError = (payload, trace) => {
    let info;
    try {
      info = JSONParse(payload);
    } catch {
      info = null;
    }
    if (info === null || typeof info !== 'object') info = {};
    const name = typeof info.name === 'string' ? info.name : 'Error';
    const message = typeof info.message === 'string' ? info.message : 'host call failed';
    const error = new ErrorCtor(message);
    ObjectDefineProperty(error, 'name', { value: name, writable: true, configurable: true });
    for (let i = 0; i < HOST_ERROR_FIELDS.length; i++) {
      const key = HOST_ERROR_FIELDS[i];
      if (ObjectHasOwn(info, key)) error[key] = deepFreeze(info[key]);
    }
    let frames = '';
    try {
      const stack = trace.stack;
      if (typeof stack === 'string') {
        const lines = StringSplit(stack, '\n');
        for (let i = 1; i < lines.length; i++) {
          if (StringIndexOf(lines[i], PRELUDE_ORIGIN) < 0) frames += `\n${lines[i]}`;
        }
      }
    } catch {}
    ObjectDefineProperty(error, 'stack', { value: `${name}: ${message}${frames}`, writable: true, configurable: true });
    return error;
  };

  const makeState = (session) => {
    const entries = session.state;
    const remove = (key) => {
      if (!MapHas(entries, key)) return false;
      session.stateBytes -= utf8Length(key) + utf8Length(MapGet(entries, key)) + 4;
      MapDelete(entries, key);
      return true;
    };
    const checkKey = (key) => {
      if (typeof key !== 'string') throw new TypeErrorCtor('ctx.state keys must be strings');
    };
    const guard = (what) => {
      if (session.done) throw refuseLate(session, what);
    };
    return ObjectFreeze({
      get(key, fallback) {
        guard('ctx.state.get()');
        checkKey(key);
        if (!MapHas(entries, key)) return fallback;
        return JSONParse(MapGet(entries, key));
      },
      set(key, value) {
        guard('ctx.state.set()');
        checkKey(key);
        if (value === undefined) {
          remove(key);
          return;
        }
        const json = encodeJson(value, `ctx.state.set("${StringSlice(key, 0, 100)}") value`);
        const before = MapHas(entries, key) ? utf8Length(key) + utf8Length(MapGet(entries, key)) + 4 : 0;
        const size = session.stateBytes - before + utf8Length(key) + utf8Length(json) + 4;
        if (size > session.limits.maxStateBytes) {
          const error = new RangeErrorCtor(
            `ctx.state would hold about ${size} bytes, above the limit of ${session.limits.maxStateBytes} bytes`,
          );
          error.code = 'STATE_TOO_LARGE';
          throw error;
        }
        session.stateBytes = size;
        MapSet(entries, key, json);
      },
      delete(key) {
        guard('ctx.state.delete()');
        checkKey(key);
        return remove(key);
      },
      keys() {
        guard('ctx.state.keys()');
        const keys = [];
        MapForEach(entries, (_value, key) => {
          keys[keys.length] = key;
        });
        return keys;
      },
    });
  };

  const makeCtx = (session, payload) => {
    const ctx = {};
    const shape = payload.shape;
    const namespaces = ObjectKeys(shape);
    for (let n = 0; n < namespaces.length; n++) {
      const ns = namespaces[n];
      const names = shape[ns];
      const api = {};
      for (let i = 0; i < names.length; i++) {
        const fn = names[i];
        const method = {
          [fn](...args) {
            return hostCall(session, ns, fn, args, method);
          },
        }[fn];
        ObjectDefineProperty(api, fn, { value: ObjectFreeze(method), enumerable: true });
      }
      ObjectDefineProperty(ctx, ns, { value: ObjectFreeze(api), enumerable: true });
    }
    const logApi = {};
    for (let i = 0; i < LOG_LEVELS.length; i++) {
      const level = LOG_LEVELS[i];
      const label = `ctx.log.${level}()`;
      logApi[level] = ObjectFreeze({ [level]: (...args) => log(session, level, args, label) }[level]);
    }
    const sleep = (ms) => {
      if (session.done) return PromiseReject(refuseLate(session, 'ctx.sleep()'));
      if (typeof ms !== 'number' || !NumberIsFinite(ms) || ms < 0) {
        return PromiseReject(new TypeErrorCtor('ctx.sleep(ms) needs a finite, non-negative number'));
      }
      const max = session.limits.maxSleepMs;
      if (typeof max === 'number' && ms > max) {
        return PromiseReject(new RangeErrorCtor(`ctx.sleep(${ms}) is longer than the ${max} ms limit`));
      }
      const id = ++session.seq;
      send('sleep', session.id, id, ms);
      return new PromiseCtor((resolve, reject) => {
        MapSet(session.pending, id, { resolve, reject, trace: null });
      });
    };
    ObjectDefineProperty(ctx, 'state', { value: makeState(session), enumerable: true });
    ObjectDefineProperty(ctx, 'log', { value: ObjectFreeze(logApi), enumerable: true });
    ObjectDefineProperty(ctx, 'sleep', { value: ObjectFreeze(sleep), enumerable: true });
    ObjectDefineProperty(ctx, 'worker', { value: deepFreeze(payload.worker), enumerable: true });
    ObjectDefineProperty(ctx, 'trigger', { value: deepFreeze(payload.trigger), enumerable: true });
    return ObjectFreeze(ctx);
  };

  const consoleApi = {};
  const consoleLevels = { log: 'info', info: 'info', debug: 'debug', trace: 'debug', warn: 'warn', error: 'error', dir: 'info', table: 'info' };
  for (const name of ObjectKeys(consoleLevels)) {
    const level = consoleLevels[name];
    const label = `console.${name}()`;
    consoleApi[name] = ObjectFreeze({ [name]: (...args) => log(current, level, args, label) }[name]);
  }
  ObjectDefineProperty(G, 'console', { value: ObjectFreeze(consoleApi), writable: true, enumerable: false, configurable: true });

  // ---- the interface the runner drives ---------------------------------------------------
  const begin = (runId, payloadJson) => {
    const payload = JSONParse(payloadJson);
    const state = new MapCtor();
    let stateBytes = 2;
    for (let i = 0; i < payload.state.length; i++) {
      const key = payload.state[i][0];
      const json = payload.state[i][1];
      MapSet(state, key, json);
      stateBytes += utf8Length(key) + utf8Length(json) + 4;
    }
    current = {
      id: runId,
      done: false,
      limits: payload.limits,
      payload,
      state,
      stateBytes,
      pending: new MapCtor(),
      seq: 0,
      calls: 0,
      logLines: 0,
      logBytes: 0,
      droppedLogs: 0,
    };
  };

  /** Reads tick/setup from the module namespace (modules) or the global scope (scripts). */
  const load = (kind, namespace) => {
    const source = kind === 'module' ? namespace : G;
    let tick;
    let setup;
    try {
      tick = source.tick;
      setup = source.setup;
    } catch (error) {
      return JSONStringify({ ok: false, error: describeError(error) });
    }
    if (typeof tick !== 'function') {
      return JSONStringify({ ok: false, error: { name: 'TypeError', message: 'tick is not a function: a worker must define tick(ctx)' } });
    }
    if (setup !== undefined && typeof setup !== 'function') {
      return JSONStringify({ ok: false, error: { name: 'TypeError', message: 'setup is defined but is not a function' } });
    }
    exportsOf = { tick, setup };
    return '';
  };

  /** Ends the session: later calls through its ctx are refused; pending promises never settle. */
  const finish = (session) => {
    session.done = true;
    if (current === session) current = null;
    const state = [];
    MapForEach(session.state, (json, key) => {
      state[state.length] = [key, json];
    });
    session.pending = new MapCtor();
    return JSONStringify({ state, droppedLogs: session.droppedLogs });
  };

  /** Reports the outcome to the host through the bridge (the host does not wait on a promise). */
  const complete = (session, result) => {
    if (session.done) return;
    const outcome = JSONStringify(result);
    send('done', session.id, 0, outcome, finish(session));
  };

  const run = (runId, entry, payloadJson) => {
    if (payloadJson !== undefined) begin(runId, payloadJson);
    const session = current;
    const fn = exportsOf === null ? undefined : exportsOf[entry];
    if (typeof fn !== 'function') {
      complete(session, { ok: true });
      return;
    }
    const ctx = makeCtx(session, session.payload);
    const onValue = (value) => {
      if (value === undefined) return complete(session, { ok: true });
      let ret;
      try {
        ret = encodeJson(value, `${entry}() returned a value that`);
      } catch (error) {
        return complete(session, { ok: false, error: describeError(error) });
      }
      const bytes = ret === undefined ? 0 : utf8Length(ret);
      if (bytes > session.limits.maxReturnBytes) {
        return complete(session, {
          ok: false,
          error: {
            name: 'RangeError',
            code: 'RETURN_TOO_LARGE',
            message: `${entry}() returned ${bytes} bytes of JSON, above the limit of ${session.limits.maxReturnBytes} bytes`,
          },
        });
      }
      return complete(session, { ok: true, ret });
    };
    const onError = (error) => complete(session, { ok: false, error: describeError(error) });
    let value;
    try {
      value = ReflectApply(fn, undefined, [ctx]);
    } catch (error) {
      onError(error);
      return;
    }
    PromiseThen(PromiseResolve(value), onValue, onError);
  };

  /** Ends a session that could not run (top-level code failed). */
  const abandon = (runId) => {
    if (current !== null && current.id === runId) finish(current);
  };

  const deliver = (runId, callId, ok, payload) => {
    const session = current;
    if (session === null || session.id !== runId || session.done) return;
    const pending = MapGet(session.pending, callId);
    if (pending === undefined) return;
    MapDelete(session.pending, callId);
    if (ok) {
      let value;
      try {
        value = payload === undefined || payload === null ? undefined : JSONParse(payload);
      } catch {
        value = undefined;
      }
      pending.resolve(value);
    } else {
      pending.reject(hostError(payload, pending.trace));
    }
  };

  return { begin, load, run, abandon, deliver };
})
