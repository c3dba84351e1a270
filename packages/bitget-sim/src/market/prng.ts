/**
 * Stateless hashing PRNG: every random number is a pure function of (seed, stream, index), so a
 * price at minute m never depends on which requests came before it.
 */
export function hash32(seed: number, a: number, b: number, c = 0): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const v of [a, b, c]) {
    // Split large integers (minute indexes, negative offsets) into two 32-bit words.
    const lo = v >>> 0;
    const hi = Math.floor(v / 4294967296) >>> 0;
    h = Math.imul(h ^ lo, 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
    h = Math.imul(h ^ hi, 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

export function uniform(seed: number, a: number, b: number, c = 0): number {
  return hash32(seed, a, b, c) / 4294967296;
}

/** Approximately standard normal (Irwin–Hall of 4 uniforms, rescaled). */
export function gaussian(seed: number, a: number, b: number): number {
  let s = 0;
  for (let i = 0; i < 4; i++) s += uniform(seed, a, b, i + 1);
  return (s - 2) * Math.sqrt(3);
}

export function coinStream(coin: string): number {
  let h = 0;
  for (let i = 0; i < coin.length; i++) h = (Math.imul(h, 31) + coin.charCodeAt(i)) >>> 0;
  return h;
}
