import { readFileSync } from 'node:fs';
import { SimulatorConfigError } from '../errors.ts';
import { COINS } from './instruments.ts';

interface CsvCandle {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Candles per coin, sorted by time. */
export type CsvSeries = Map<string, CsvCandle[]>;

/**
 * Reads `ts,open,high,low,close[,volume][,symbol]` rows (header optional, columns matched by name
 * when a header exists). Without a symbol column every row belongs to BTC.
 */
export function loadCandlesCsv(file: string): CsvSeries {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new SimulatorConfigError('CSV_UNREADABLE', `cannot read candles CSV ${file}`, { cause });
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (lines.length === 0) throw new SimulatorConfigError('CSV_EMPTY', `candles CSV ${file} has no rows`);
  let cols = { ts: 0, open: 1, high: 2, low: 3, close: 4, volume: 5, symbol: -1 };
  const first = lines[0]!.split(',').map((c) => c.trim().toLowerCase());
  if (first.some((c) => /[a-z]/.test(c))) {
    const at = (...names: string[]) => first.findIndex((c) => names.includes(c));
    cols = { ts: at('ts', 'timestamp', 'time', 'opentime'), open: at('open', 'o'), high: at('high', 'h'), low: at('low', 'l'), close: at('close', 'c'), volume: at('volume', 'vol', 'basevolume', 'v'), symbol: at('symbol', 'coin') };
    if (cols.ts < 0 || cols.open < 0 || cols.high < 0 || cols.low < 0 || cols.close < 0) {
      throw new SimulatorConfigError('CSV_HEADER', `candles CSV ${file} needs ts,open,high,low,close columns`);
    }
    lines.shift();
  }
  const series: CsvSeries = new Map();
  lines.forEach((line, i) => {
    const f = line.split(',').map((c) => c.trim());
    const num = (idx: number) => (idx >= 0 && f[idx] !== undefined && f[idx] !== '' ? Number(f[idx]) : NaN);
    let ts = num(cols.ts);
    if (ts < 1e11) ts *= 1000; // seconds → ms
    const row: CsvCandle = { ts, open: num(cols.open), high: num(cols.high), low: num(cols.low), close: num(cols.close), volume: cols.volume >= 0 ? num(cols.volume) : 0 };
    if (![row.ts, row.open, row.high, row.low, row.close].every(Number.isFinite)) {
      throw new SimulatorConfigError('CSV_ROW', `candles CSV ${file} line ${i + 1} is not numeric`);
    }
    if (!Number.isFinite(row.volume)) row.volume = 0;
    const sym = cols.symbol >= 0 ? (f[cols.symbol] ?? '').toUpperCase() : 'BTC';
    const coin = COINS.find((c) => sym === c.coin || sym.startsWith(c.coin))?.coin;
    if (!coin) throw new SimulatorConfigError('CSV_SYMBOL', `candles CSV ${file} line ${i + 1}: unknown symbol ${sym}`);
    const list = series.get(coin) ?? [];
    list.push(row);
    series.set(coin, list);
  });
  for (const list of series.values()) list.sort((a, b) => a.ts - b.ts);
  return series;
}

/**
 * Price of a replayed series at `t` ms after its first candle: inside each candle the path goes
 * open → low → high → close for green candles (open → high → low → close for red ones), linear
 * between those four points, so candle extremes are reproduced exactly at 1m resolution or coarser.
 */
export function csvPriceAt(list: CsvCandle[], t: number): number {
  const first = list[0]!;
  const at = first.ts + t;
  if (at <= first.ts) return first.open;
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid]!.ts <= at) lo = mid;
    else hi = mid - 1;
  }
  const c = list[lo]!;
  const next = list[lo + 1];
  const span = next ? next.ts - c.ts : list.length > 1 ? c.ts - list[lo - 1]!.ts : 60_000;
  const f = Math.min(1, (at - c.ts) / span);
  if (!next && f >= 1) return c.close;
  const path = c.close >= c.open ? [c.open, c.low, c.high, c.close] : [c.open, c.high, c.low, c.close];
  const x = f * 3;
  const i = Math.min(2, Math.floor(x));
  return path[i]! + (path[i + 1]! - path[i]!) * (x - i);
}

export function csvVolumeAt(list: CsvCandle[], t: number, minuteMs: number): number {
  const first = list[0]!;
  const at = first.ts + t;
  const c = list.findLast((r) => r.ts <= at);
  if (!c) return 0;
  const idx = list.indexOf(c);
  const span = list[idx + 1] ? list[idx + 1]!.ts - c.ts : 60_000;
  return (c.volume * minuteMs) / Math.max(span, minuteMs);
}

/** Path vertices (open, low/high, high/low, close) with offsets from the first candle, inside [from, to]. */
export function csvVertices(list: CsvCandle[], from: number, to: number): { t: number; price: number }[] {
  const first = list[0]!;
  const out: { t: number; price: number }[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    const next = list[i + 1];
    const span = next ? next.ts - c.ts : list.length > 1 ? c.ts - list[i - 1]!.ts : 60_000;
    const start = c.ts - first.ts;
    if (start > to) break;
    if (start + span < from) continue;
    const path = c.close >= c.open ? [c.open, c.low, c.high, c.close] : [c.open, c.high, c.low, c.close];
    path.forEach((price, k) => {
      const t = start + (span * k) / 3;
      if (t >= from && t <= to) out.push({ t, price });
    });
  }
  return out;
}
