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

// The hot path of every ctx call: no per-call strings unless something is refused.
const hostCall = (session, ns, fn, args) => {
  if (session.done) return PromiseReject(refuseLate(session, `ctx.${ns}.${fn}()`));
  if (session.calls >= session.limits.maxHostCalls) {
    return PromiseReject(sandboxError('HOST_CALL_LIMIT', `ctx.${ns}.${fn}() refused: at most ${session.limits.maxHostCalls} ctx calls per tick`));
  }
  // The bridge's arguments: 'call', session, call id, ns, fn, then one JSON text per argument.
  // Passed as separate strings rather than one array: the host copies strings directly, while an
  // array would go through a structured-clone serialiser on every call.
  // No prototype: writing message[5 + i] or message[2] must not reach a setter user code put on
  // Array.prototype or Object.prototype (it could read or forge the message's kind and ids).
  const message = ObjectSetPrototypeOf(['call', session.id, 0, ns, fn], null);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const type = typeof arg;
    // null marks undefined so that positional defaults still apply on the host.
    if (arg === undefined) message[5 + i] = null;
    else if (type === 'string' || type === 'number' || type === 'boolean') message[5 + i] = JSONStringify(arg);
    else {
      try {
        message[5 + i] = JSONStringify(arg, strictReplacer);
      } catch (error) {
        return PromiseReject(notJson(error, `ctx.${ns}.${fn}() argument ${i + 1}`));
      }
    }
  }
  session.calls++;
  const id = ++session.seq;
  message[2] = id;
  // ReflectApply reads the list by index (a spread would use the replaceable array iterator).
  const refusal = ReflectApply(send, undefined, message);
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
