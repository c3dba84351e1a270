// Part of the sandbox prelude (see prelude-source.ts): concatenated with the other parts, in
// file-name order, into one strict-mode function body; not a module and not valid on its own.
// Removes shared memory and WebAssembly and disables code generation from strings.

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
