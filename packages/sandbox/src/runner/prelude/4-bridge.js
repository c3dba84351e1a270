// Part of the sandbox prelude (see prelude-source.ts): concatenated with the other parts, in
// file-name order, into one strict-mode function body; not a module and not valid on its own.
// Sessions and the calls that cross the bridge: logs, ctx calls, host errors.

// ---- sessions (one per setup/tick) -----------------------------------------------------
let current = null;
let exportsOf = null;

/** Sets `error.stack` to its name, message and the user's frames (the prelude's own are left out). */
const setUserStack = (error, name, message) => {
  let frames = '';
  try {
    const trace = {};
    captureStackTrace(trace);
    const stack = trace.stack;
    if (typeof stack === 'string') {
      const lines = StringSplit(stack, '\n');
      for (let i = 1; i < lines.length; i++) {
        if (StringIndexOf(lines[i], PRELUDE_ORIGIN) < 0) frames += `\n${lines[i]}`;
      }
    }
  } catch {}
  ObjectDefineProperty(error, 'stack', { value: `${name}: ${message}${frames}`, writable: true, configurable: true });
};

/** A SandboxError raised by the prelude itself (a refused call). */
const sandboxError = (code, message) => {
  const error = new ErrorCtor(message);
  ObjectDefineProperty(error, 'name', { value: 'SandboxError', writable: true, configurable: true });
  error.code = code;
  setUserStack(error, 'SandboxError', message);
  return error;
};

const refuseLate = (session, what) => {
  send('late', session.id, 0, what);
  return sandboxError('TICK_FINISHED', `${what} was called after the tick finished; the call was refused`);
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

/** The JSON text of one ctx call argument; null marks undefined (positional defaults apply on the host). */
const encodeArg = (arg) => {
  if (arg === undefined) return null;
  const type = typeof arg;
  if (type === 'string' || type === 'number' || type === 'boolean') return JSONStringify(arg);
  return JSONStringify(arg, strictReplacer);
};

/**
 * The bridge's arguments for a call: 'call', session, call id, ns, fn, then one JSON text per
 * argument, as separate strings (the host copies strings directly; an array would go through a
 * structured-clone serialiser on every call). Up to four arguments are plain locals and a direct
 * call, so nothing is written into an array at all; longer lists are built in arrays without a
 * prototype. Either way no index setter user code put on Array.prototype or Object.prototype sees
 * or changes the message (ReflectApply reads it by index; a spread would use the replaceable
 * array iterator).
 */
const MAX_DIRECT_ARGS = 4;

// The hot path of every ctx call: no per-call strings unless something is refused.
const hostCall = (session, ns, fn, args) => {
  if (session.done) return PromiseReject(refuseLate(session, `ctx.${ns}.${fn}()`));
  if (session.calls >= session.limits.maxHostCalls) {
    return PromiseReject(sandboxError('HOST_CALL_LIMIT', `ctx.${ns}.${fn}() refused: at most ${session.limits.maxHostCalls} ctx calls per tick`));
  }
  // `args` is the rest parameter of the ctx method: a fresh array whose elements are its own.
  const count = args.length;
  let e0;
  let e1;
  let e2;
  let e3;
  let list = null;
  let i = 0;
  try {
    if (count > MAX_DIRECT_ARGS) {
      list = ObjectSetPrototypeOf(['call', session.id, 0, ns, fn], null);
      for (; i < count; i++) list[5 + i] = encodeArg(args[i]);
    } else {
      if (count > 0) e0 = encodeArg(args[(i = 0)]);
      if (count > 1) e1 = encodeArg(args[(i = 1)]);
      if (count > 2) e2 = encodeArg(args[(i = 2)]);
      if (count > 3) e3 = encodeArg(args[(i = 3)]);
    }
  } catch (error) {
    return PromiseReject(notJson(error, `ctx.${ns}.${fn}() argument ${i + 1}`));
  }
  session.calls++;
  const id = ++session.seq;
  let refusal;
  switch (count) {
    case 0: refusal = send('call', session.id, id, ns, fn); break;
    case 1: refusal = send('call', session.id, id, ns, fn, e0); break;
    case 2: refusal = send('call', session.id, id, ns, fn, e0, e1); break;
    case 3: refusal = send('call', session.id, id, ns, fn, e0, e1, e2); break;
    case 4: refusal = send('call', session.id, id, ns, fn, e0, e1, e2, e3); break;
    default:
      list[2] = id;
      refusal = ReflectApply(send, undefined, list);
  }
  if (typeof refusal === 'string') return PromiseReject(hostError(refusal));
  const settled = new PromiseCtor((resolve, reject) => {
    MapSet(session.pending, id, { resolve, reject });
  });
  // A failed call's error is built in this reaction rather than a stack captured on every call:
  // V8's async stack traces then supply the user frames awaiting it, at no cost to calls that
  // succeed.
  return PromiseThen(settled, undefined, throwHostError);
};

/** The error payload of a host result that is not valid JSON (a host's JsonText that is not). */
const BAD_HOST_RESULT = JSONStringify({ name: 'SandboxError', code: 'BAD_HOST_RESULT', message: 'the host returned a result that is not valid JSON' });

/** Rejection handler of every host call: the host's error payload becomes a sanitised error. */
const throwHostError = (payload) => {
  throw hostError(payload);
};

const hostError = (payload) => {
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
  setUserStack(error, name, message);
  return error;
};
