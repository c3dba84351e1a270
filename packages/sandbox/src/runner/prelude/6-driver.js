// Part of the sandbox prelude (see prelude-source.ts): concatenated with the other parts, in
// file-name order, into one strict-mode function body; not a module and not valid on its own.
// The functions the runner drives the isolate with (returned by the factory).

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
      pending.reject(BAD_HOST_RESULT);
      return;
    }
    pending.resolve(value);
  } else {
    // The call's own rejection handler turns the payload into an error (see hostCall).
    pending.reject(payload);
  }
};
