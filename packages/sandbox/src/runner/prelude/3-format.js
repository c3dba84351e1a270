// Part of the sandbox prelude (see prelude-source.ts): concatenated with the other parts, in
// file-name order, into one strict-mode function body; not a module and not valid on its own.
// Pure helpers: UTF-8 sizes, strict JSON encoding, deep freeze, log formatting, error copies.

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
    throw notJson(error, what);
  }
};
/** The TypeError for a value JSONStringify(value, strictReplacer) refused. */
const notJson = (error, what) => {
  const reason = error instanceof NotJson ? error.message : safeString(error && error.message);
  return new TypeErrorCtor(`${what} is not JSON-serialisable: ${reason}`);
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
