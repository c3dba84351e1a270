// Part of the sandbox prelude (see prelude-source.ts): concatenated with the other parts, in
// file-name order, into one strict-mode function body; not a module and not valid on its own.
// Sessions and the calls that cross the bridge: logs, ctx calls, host errors.

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

// The hot path of every ctx call: no per-call strings unless something is refused.
const hostCall = (session, ns, fn, args, caller) => {
  if (session.done) return PromiseReject(refuseLate(session, `ctx.${ns}.${fn}()`));
  if (session.calls >= session.limits.maxHostCalls) {
    const error = new ErrorCtor(`ctx.${ns}.${fn}() refused: at most ${session.limits.maxHostCalls} ctx calls per tick`);
    ObjectDefineProperty(error, 'name', { value: 'SandboxError', writable: true, configurable: true });
    error.code = 'HOST_CALL_LIMIT';
    return PromiseReject(error);
  }
  const encoded = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const type = typeof arg;
    // null marks undefined so that positional defaults still apply on the host.
    if (arg === undefined) encoded[i] = null;
    else if (type === 'string' || type === 'number' || type === 'boolean') encoded[i] = JSONStringify(arg);
    else {
      try {
        encoded[i] = JSONStringify(arg, strictReplacer);
      } catch (error) {
        return PromiseReject(notJson(error, `ctx.${ns}.${fn}() argument ${i + 1}`));
      }
    }
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
