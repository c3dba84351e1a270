// Part of the sandbox prelude (see prelude-source.ts): concatenated with the other parts, in
// file-name order, into one strict-mode function body; not a module and not valid on its own.
// Built-ins captured before any user code runs (user code may replace prototypes and globals
// afterwards; the prelude only ever uses these copies).

const G = globalThis;
const ReflectApply = Reflect.apply;
const uncurry = (fn) => (self, ...args) => ReflectApply(fn, self, args);
const ObjectFreeze = Object.freeze;
const ObjectDefineProperty = Object.defineProperty;
const ObjectGetPrototypeOf = Object.getPrototypeOf;
const ObjectSetPrototypeOf = Object.setPrototypeOf;
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
