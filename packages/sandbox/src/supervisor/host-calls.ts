import { SandboxError } from '../errors.ts';
import type { HostShape } from '../protocol.ts';
import type { HostApi } from '../types.ts';
import { JsonText } from '../json-text.ts';

/** ctx members the sandbox defines itself; a host namespace may not take these names. */
const RESERVED = new Set(['state', 'log', 'sleep', 'worker', 'trigger']);
const NAME = /^[A-Za-z_$][\w$]{0,99}$/;
const DETAIL_MAX_BYTES = 8 * 1024;

/** The function names per namespace of a host object (read per run: hosts may change between runs). */
export function hostShape(host: HostApi): HostShape {
  if (typeof host !== 'object' || host === null) throw new SandboxError('INVALID_HOST', 'host must be an object of namespaces');
  const shape: HostShape = {};
  for (const ns of Object.keys(host)) {
    if (!NAME.test(ns) || RESERVED.has(ns) || ns === '__proto__') {
      throw new SandboxError('INVALID_HOST', `host namespace "${ns}" is reserved or not a valid name`);
    }
    const space = host[ns];
    if (typeof space !== 'object' || space === null) throw new SandboxError('INVALID_HOST', `host.${ns} must be an object`);
    const names = Object.keys(space).filter((fn) => typeof space[fn] === 'function');
    for (const fn of names) {
      if (!NAME.test(fn) || fn === '__proto__') throw new SandboxError('INVALID_HOST', `host.${ns}.${fn} is not a valid name`);
    }
    shape[ns] = names;
  }
  return shape;
}

export type HostReply = { ok: true; payload?: string } | { ok: false; payload: string };

/** Invokes host[ns][fn] with JSON-decoded arguments; returns the JSON result or a sanitised error. */
export function invokeHost(host: HostApi, ns: string, fn: string, args: (string | null)[]): Promise<HostReply> {
  const space = Object.hasOwn(host, ns) ? host[ns] : undefined;
  const target = space && Object.hasOwn(space, fn) ? space[fn] : undefined;
  if (typeof target !== 'function') {
    return Promise.resolve({ ok: false, payload: JSON.stringify({ name: 'TypeError', message: `ctx.${ns}.${fn} is not a function` }) });
  }
  return invokeFunction(target, space, ns, fn, args);
}

/**
 * Calls one host function with JSON-decoded arguments; the JSON result or the sanitised error.
 * Shared by the supervisor (forwarded calls) and the runner (runner-local host calls).
 */
export function invokeFunction(
  target: (...args: unknown[]) => Promise<unknown>,
  thisArg: unknown,
  ns: string,
  fn: string,
  args: (string | null)[],
): Promise<HostReply> {
  return new Promise((resolve) => callFunction(target, thisArg, ns, fn, args, resolve));
}

/**
 * invokeFunction with a callback instead of a promise: one promise reaction between the host
 * function settling and `done` (the hot path of runner-local calls). `done` may run
 * synchronously when the arguments cannot be decoded or the function throws.
 */
export function callFunction(
  target: (...args: unknown[]) => Promise<unknown>,
  thisArg: unknown,
  ns: string,
  fn: string,
  args: (string | null)[],
  done: (reply: HostReply) => void,
): void {
  const values: unknown[] = [];
  try {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      values.push(arg === null || arg === undefined ? undefined : JSON.parse(arg));
    }
  } catch {
    done({ ok: false, payload: JSON.stringify({ name: 'TypeError', message: `ctx.${ns}.${fn}(): arguments could not be decoded` }) });
    return;
  }
  let pending: unknown;
  try {
    pending = target.apply(thisArg, values);
  } catch (error) {
    done(failure(error));
    return;
  }
  // Inline reactions: no named closure per call (tsx's keepNames would define a name on each).
  Promise.resolve(pending).then(
    (result) => done(encodeResult(result, ns, fn)),
    (error: unknown) => done(failure(error)),
  );
}

function failure(error: unknown): HostReply {
  return { ok: false, payload: JSON.stringify(sanitizeHostError(error)) };
}

function encodeResult(result: unknown, ns: string, fn: string): HostReply {
  if (result === undefined) return { ok: true };
  if (result instanceof JsonText) return { ok: true, payload: result.json };
  try {
    return { ok: true, payload: JSON.stringify(result) };
  } catch {
    return {
      ok: false,
      payload: JSON.stringify({ name: 'TypeError', message: `ctx.${ns}.${fn}() returned a value that cannot be copied into the sandbox` }),
    };
  }
}

export interface SanitizedHostError {
  name: string;
  message: string;
  code?: string | number;
  detail?: unknown;
  context?: unknown;
  status?: number;
}

/**
 * The whitelisted fields of a host error, copied. Never the stack, `cause`, headers or any other
 * property a host error might carry (a request object with a signature, a key...).
 */
export function sanitizeHostError(error: unknown): SanitizedHostError {
  if (typeof error !== 'object' || error === null) {
    return { name: 'Error', message: typeof error === 'string' ? error.slice(0, 2000) : 'host call failed' };
  }
  const e = error as Record<string, unknown>;
  const out: SanitizedHostError = {
    name: typeof e.name === 'string' ? e.name.slice(0, 100) : 'Error',
    message: typeof e.message === 'string' ? e.message.slice(0, 2000) : 'host call failed',
  };
  if (typeof e.code === 'string') out.code = e.code.slice(0, 100);
  else if (typeof e.code === 'number' && Number.isFinite(e.code)) out.code = e.code;
  if (typeof e.status === 'number' && Number.isFinite(e.status)) out.status = e.status;
  const detail = jsonCopy(e.detail);
  if (detail !== undefined) out.detail = detail;
  const context = jsonCopy(e.context);
  if (context !== undefined) out.context = context;
  return out;
}

function jsonCopy(value: unknown): unknown {
  if (value === undefined) return undefined;
  try {
    const json = JSON.stringify(value);
    if (json === undefined || json.length > DETAIL_MAX_BYTES) return undefined;
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}
