import { d, isDecimalString, type Dec } from './decimal.ts';
import { errors } from './errors.ts';
import { findFutures, findSpot, type FuturesInstrument, type SpotInstrument } from './market/instruments.ts';
import type { ProductType } from './types.ts';

/** GET query or POST body, values as received (POST values may be numbers or nested lists). */
export type Params = Record<string, unknown>;

export function optStr(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') throw errors.paramError(name);
  const s = v.trim();
  return s === '' ? undefined : s;
}

export function reqStr(p: Params, name: string): string {
  const v = optStr(p, name);
  if (v === undefined) throw errors.paramEmpty(name);
  return v;
}

/** Enum values are matched case-insensitively and returned in Bitget's canonical spelling. */
export function optEnum<T extends string>(p: Params, name: string, values: readonly T[]): T | undefined {
  const v = optStr(p, name);
  if (v === undefined) return undefined;
  const hit = values.find((x) => x.toLowerCase() === v.toLowerCase());
  if (!hit) throw errors.paramError(name);
  return hit;
}

export function reqEnum<T extends string>(p: Params, name: string, values: readonly T[]): T {
  const v = optEnum(p, name, values);
  if (v === undefined) throw errors.paramEmpty(name);
  return v;
}

export function optDec(p: Params, name: string): Dec | undefined {
  const v = optStr(p, name);
  if (v === undefined) return undefined;
  if (!isDecimalString(v)) throw errors.paramError(name);
  return d(v);
}

export function reqDec(p: Params, name: string): Dec {
  const v = optDec(p, name);
  if (v === undefined) throw errors.paramEmpty(name);
  return v;
}

export function optInt(p: Params, name: string): number | undefined {
  const v = optStr(p, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw errors.paramError(name);
  return Number(v);
}

export function limitParam(p: Params, def: number, max: number): number {
  const v = optInt(p, 'limit');
  if (v === undefined || v <= 0) return def;
  return Math.min(v, max);
}

const PRODUCT_TYPES: readonly ProductType[] = ['USDT-FUTURES', 'USDC-FUTURES', 'COIN-FUTURES'];
const DEMO_COIN_TYPES = ['SUSDT-FUTURES', 'SUSDC-FUTURES', 'SCOIN-FUTURES'];

export function productTypeParam(p: Params, paper = false): ProductType {
  const raw = reqStr(p, 'productType');
  // The legacy simulated-coin product types are refused with the demo header (CONTRACT.md §4.1).
  if (DEMO_COIN_TYPES.includes(raw.toUpperCase())) throw paper ? errors.environment() : errors.paramError('productType');
  const hit = PRODUCT_TYPES.find((x) => x === raw.toUpperCase());
  if (!hit) throw errors.paramError('productType');
  return hit;
}

export function futuresSymbol(p: Params, productType: ProductType): FuturesInstrument {
  const symbol = reqStr(p, 'symbol');
  const inst = findFutures(productType, symbol);
  if (!inst) throw errors.symbolUnknown();
  return inst;
}

export function spotSymbol(p: Params, name = 'symbol'): SpotInstrument {
  const inst = findSpot(reqStr(p, name));
  if (!inst) throw errors.symbolUnknown(name);
  return inst;
}

export function marginCoinParam(p: Params, inst: FuturesInstrument, required = true): string {
  const v = required ? reqStr(p, 'marginCoin') : optStr(p, 'marginCoin') ?? inst.marginCoins[0]!;
  const coin = v.toUpperCase();
  if (!inst.marginCoins.includes(coin)) throw errors.paramError('marginCoin');
  return coin;
}

const CLIENT_OID = /^[A-Za-z0-9._\-:#/]{1,50}$/;

export function clientOidParam(p: Params, name = 'clientOid'): string | undefined {
  const v = optStr(p, name);
  if (v === undefined) return undefined;
  if (!CLIENT_OID.test(v)) throw errors.clientOidTooLong();
  return v;
}

/** Paging window shared by the history endpoints (idLessThan cursor, startTime/endTime). */
export function pageParams(p: Params, def = 100, max = 100): { idLessThan?: bigint; startTime?: number; endTime?: number; limit: number } {
  const id = optStr(p, 'idLessThan');
  if (id !== undefined && !/^\d+$/.test(id)) throw errors.paramError('idLessThan');
  return { idLessThan: id === undefined ? undefined : BigInt(id), startTime: optInt(p, 'startTime'), endTime: optInt(p, 'endTime'), limit: limitParam(p, def, max) };
}

export function page<T extends { cTime: number }>(items: T[], idOf: (t: T) => string, q: ReturnType<typeof pageParams>): T[] {
  return items
    .filter((o) => (q.idLessThan === undefined || BigInt(idOf(o)) < q.idLessThan) && (q.startTime === undefined || o.cTime >= q.startTime) && (q.endTime === undefined || o.cTime <= q.endTime))
    .sort((a, b) => (BigInt(idOf(b)) > BigInt(idOf(a)) ? 1 : -1))
    .slice(0, q.limit);
}
