import { Decimal } from 'decimal.js';

// One private Decimal constructor so the simulator's precision/rounding never depends on what
// another package configured globally. 60 significant digits keeps inverse-contract divisions
// exact well beyond the 8-12 decimals Bitget prints.
export const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -60, toExpPos: 60 });
export type Dec = Decimal;

export const ZERO = new Dec(0);

export function d(value: Decimal.Value): Decimal {
  return new Dec(value);
}

/** Canonical string for the wire: no exponent, no trailing zeros. */
export function str(value: Decimal.Value): string {
  const v = new Dec(value);
  return v.isZero() ? '0' : v.toFixed();
}

/** Round to `places` decimals (half-up) and print without trailing zeros. */
export function fixed(value: Decimal.Value, places: number): string {
  return str(new Dec(value).toDecimalPlaces(places, Decimal.ROUND_HALF_UP));
}

/** Bitget spot history pads decimals to 16 places; mirrored for fidelity. */
export function pad16(value: Decimal.Value): string {
  return new Dec(value).toFixed(16);
}

export function isDecimalString(value: string): boolean {
  return /^-?(\d+\.?\d*|\.\d+)$/.test(value);
}

export function decimalPlaces(value: Decimal.Value): number {
  return new Dec(value).decimalPlaces();
}

export function isMultipleOf(value: Decimal, step: Decimal): boolean {
  return step.isZero() || value.mod(step).isZero();
}

export function floorTo(value: Decimal, step: Decimal): Decimal {
  return value.div(step).floor().mul(step);
}

export function roundTo(value: Decimal, step: Decimal): Decimal {
  return value.div(step).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).mul(step);
}

export function minD(a: Decimal, b: Decimal): Decimal {
  return a.lt(b) ? a : b;
}

export function maxD(a: Decimal, b: Decimal): Decimal {
  return a.gt(b) ? a : b;
}
