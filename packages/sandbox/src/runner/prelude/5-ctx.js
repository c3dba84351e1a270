// Part of the sandbox prelude (see prelude-source.ts): concatenated with the other parts, in
// file-name order, into one strict-mode function body; not a module and not valid on its own.
// The ctx object handed to setup/tick, and console.

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
          return hostCall(session, ns, fn, args);
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
      MapSet(session.pending, id, { resolve, reject });
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
