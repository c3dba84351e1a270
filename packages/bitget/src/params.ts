import { Decimal } from 'decimal.js';
import { BitgetValidationError } from './errors.ts';
import type { MethodSpec, ParamSpec, ParamValue, ResolvedParams, WireParams } from './method-spec.ts';

export interface ResolveEnv {
  productType: string;
  now: () => number;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number') return Number.isFinite(v) ? `number ${v}` : String(v);
  if (typeof v === 'string') return `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/**
 * Turns what worker code passed into {name: value}: either positional values in the
 * documented order, or one plain object of named parameters. No method takes an object as
 * its first positional parameter, so a lone plain object is always the named form.
 */
export function normalizeArgs(spec: MethodSpec, args: readonly unknown[]): Record<string, unknown> {
  const names = spec.params.map((p) => p.name);
  if (args.length === 1 && isPlainObject(args[0])) {
    const named = args[0];
    for (const key of Object.keys(named)) {
      if (!names.includes(key)) {
        const hint = names.length === 0 ? 'it takes no parameters' : `known: ${names.join(', ')}`;
        throw new BitgetValidationError(spec.name, `unknown parameter '${key}' (${hint})`, key);
      }
    }
    return { ...named };
  }
  if (args.length > names.length) {
    throw new BitgetValidationError(
      spec.name,
      `expected at most ${names.length} positional argument${names.length === 1 ? '' : 's'} (${names.join(', ')}), got ${args.length}`,
    );
  }
  const out: Record<string, unknown> = {};
  args.forEach((value, i) => {
    out[names[i] as string] = value;
  });
  return out;
}

const DECIMAL_RE = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
const INTEGER_RE = /^\d+$/;
const CLIENT_OID_RE = /^[A-Za-z0-9_.-]{1,50}$/;

/** Numbers are converted with String() (plain notation for tiny/huge values), never parsed. */
function decimalString(n: number): string {
  const s = String(n);
  return /e/i.test(s) ? new Decimal(s).toFixed() : s;
}

/**
 * Sizes and prices are journalled exactly (Decimal(36,18)): more than 18 digits before or after the
 * point would be rounded there, so they are refused (no Bitget market comes near that precision).
 */
function withinJournalPrecision(method: string, p: ParamSpec, s: string, label: string): string {
  const [whole = '', fraction = ''] = s.split('.');
  if (whole.replace(/^0+/, '').length > 18 || fraction.replace(/0+$/, '').length > 18) {
    fail(method, p, `has too many digits: at most 18 before and 18 after the decimal point, got "${s.length > 60 ? `${s.slice(0, 60)}…` : s}"`, label);
  }
  return s;
}

function fail(method: string, p: ParamSpec, message: string, label = p.name): never {
  throw new BitgetValidationError(method, `${label} ${message}`, p.name);
}

/** `label` names the value in messages (an order item field shows as "order_list[2].price"). */
function convert(method: string, p: ParamSpec, v: unknown, label = p.name): ParamValue {
  switch (p.type) {
    case 'string':
    case 'symbol':
    case 'coin': {
      if (typeof v !== 'string') fail(method, p, `must be a string, got ${describe(v)}`, label);
      const s = v.trim();
      if (s === '') fail(method, p, 'must not be empty', label);
      return p.type === 'string' ? s : s.toUpperCase();
    }
    case 'enum': {
      if (typeof v !== 'string') fail(method, p, `must be one of ${(p.values ?? []).join(', ')}, got ${describe(v)}`, label);
      const match = p.caseSensitive
        ? p.values?.find((x) => x === v)
        : p.values?.find((x) => x.toLowerCase() === v.trim().toLowerCase());
      if (match === undefined) fail(method, p, `must be one of ${(p.values ?? []).join(', ')}, got ${describe(v)}`, label);
      return match;
    }
    case 'decimal': {
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) fail(method, p, `must be a finite number, got ${describe(v)}`, label);
        if (v < 0) fail(method, p, `must not be negative, got ${describe(v)}`, label);
        return withinJournalPrecision(method, p, decimalString(v), label);
      }
      if (typeof v !== 'string' || !DECIMAL_RE.test(v.trim())) {
        fail(method, p, `must be a decimal string like "0.01" or a finite number, got ${describe(v)}`, label);
      }
      return withinJournalPrecision(method, p, v.trim(), label);
    }
    case 'integer': {
      if (typeof v === 'number') {
        if (!Number.isSafeInteger(v) || v < 0) fail(method, p, `must be a non-negative integer, got ${describe(v)}`, label);
        return String(v);
      }
      if (typeof v !== 'string' || !INTEGER_RE.test(v.trim())) fail(method, p, `must be a non-negative integer, got ${describe(v)}`, label);
      return v.trim();
    }
    case 'client_oid': {
      if (typeof v !== 'string' || !CLIENT_OID_RE.test(v)) {
        fail(method, p, `must be 1-50 characters of [A-Za-z0-9_.-], got ${describe(v)}`, label);
      }
      return v;
    }
    case 'yes_no': {
      if (typeof v === 'boolean') return v ? 'YES' : 'NO';
      if (typeof v === 'string' && /^(yes|no)$/i.test(v.trim())) return v.trim().toUpperCase();
      return fail(method, p, `must be "YES", "NO" or a boolean, got ${describe(v)}`, label);
    }
    case 'order_list':
      return convertOrderList(method, p, v);
  }
}

function convertOrderList(method: string, p: ParamSpec, v: unknown): ReadonlyArray<Record<string, string>> {
  if (!Array.isArray(v) || v.length === 0) fail(method, p, `must be a non-empty array of orders, got ${describe(v)}`);
  if (v.length > 50) fail(method, p, `must hold at most 50 orders, got ${v.length}`);
  const items = p.items ?? [];
  return v.map((item, i) => {
    const where = `${p.name}[${i}]`;
    if (!isPlainObject(item)) throw new BitgetValidationError(method, `${where} must be an object, got ${describe(item)}`, p.name);
    for (const key of Object.keys(item)) {
      if (!items.some((s) => s.name === key)) {
        throw new BitgetValidationError(
          method,
          `unknown parameter '${where}.${key}' (known: ${items.map((s) => s.name).join(', ')})`,
          p.name,
        );
      }
    }
    const resolved = resolveList(method, where, items, item);
    if (resolved['order_type'] === 'limit' && resolved['price'] === undefined) {
      throw new BitgetValidationError(method, `${where}.price is required when order_type is 'limit'`, p.name);
    }
    return toWireFields(items, resolved) as Record<string, string>;
  });
}

/** Resolves the fields of one order item with the same rules as top-level parameters. */
function resolveList(method: string, where: string, specs: readonly ParamSpec[], raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of specs) {
    const label = `${where}.${s.name}`;
    let v = raw[s.name];
    if (v === undefined || v === null) v = s.default;
    if (v === undefined) {
      if (s.required) throw new BitgetValidationError(method, `${label} is required`, s.name);
      continue;
    }
    out[s.name] = convert(method, s, v, label) as string;
  }
  return out;
}

/** Margin coin default: USDT / USDC by product type, the base coin of the symbol for COIN-FUTURES. */
export function defaultMarginCoin(productType: string | undefined, symbol: string | undefined): string | undefined {
  if (productType === 'USDC-FUTURES') return 'USDC';
  if (productType === 'COIN-FUTURES') {
    // BTCUSD, ETHUSD_231229, ETHUSDM24 → base coin before the "USD" quote
    const m = symbol === undefined ? null : /^([A-Z0-9]+?)USD(?:_?[A-Z]?\d+)?$/.exec(symbol);
    return m?.[1];
  }
  return 'USDT';
}

/**
 * Validates and converts every parameter, applies defaults (literal, then per-call ones) and
 * the method's cross-field rules. Throws BitgetValidationError naming method and parameter.
 */
export function resolveParams(spec: MethodSpec, raw: Record<string, unknown>, env: ResolveEnv): ResolvedParams {
  const out: Record<string, ParamValue> = {};
  const deferred: ParamSpec[] = [];
  for (const p of spec.params) {
    const v = raw[p.name];
    if (v === undefined || v === null) {
      if (p.defaultFrom === 'marginCoin') deferred.push(p);
      else if (p.defaultFrom === 'productType') out[p.name] = convert(spec.name, p, env.productType);
      else if (p.defaultFrom === 'now') out[p.name] = String(env.now());
      else if (p.default !== undefined) out[p.name] = convert(spec.name, p, p.default);
      else if (p.required) throw new BitgetValidationError(spec.name, `${p.name} is required`, p.name);
      continue;
    }
    out[p.name] = convert(spec.name, p, v);
  }
  for (const p of deferred) {
    const pt = out['product_type'];
    const sym = out['symbol'];
    out[p.name] = defaultMarginCoin(typeof pt === 'string' ? pt : undefined, typeof sym === 'string' ? sym : undefined);
  }
  const violation = spec.check?.(out);
  if (violation) throw new BitgetValidationError(spec.name, violation[1], violation[0]);
  return out;
}

function toWireFields(specs: readonly ParamSpec[], p: Readonly<Record<string, ParamValue>>): WireParams {
  const wire: WireParams = {};
  for (const s of specs) {
    const v = p[s.name];
    if (s.wire !== undefined && v !== undefined) wire[s.wire] = v;
  }
  return wire;
}

/** Maps resolved parameters to Bitget field names, in table order (the JSON body key order). */
export function toWire(spec: MethodSpec, p: ResolvedParams): WireParams {
  const wire = toWireFields(spec.params, p);
  spec.adjust?.(wire, p);
  return wire;
}
