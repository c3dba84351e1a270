import type { Writable } from 'node:stream';

/** A cell as the api sent it: strings (money included) are printed verbatim, never through Number(). */
export type Cell = string | number | boolean | null | undefined;

export function cell(v: Cell): string {
  if (v === null || v === undefined || v === '') return '-';
  return String(v);
}

/** Aligned columns under upper-case headers; the last column is not padded. */
export function table(headers: string[], rows: Cell[][]): string {
  const text = [headers.map((h) => h.toUpperCase()), ...rows.map((r) => r.map(cell))];
  const widths = headers.map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  return text.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n') + '\n';
}

/** `key:  value` lines with the values aligned. */
export function keyValues(pairs: [string, Cell][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length)) + 1;
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width)}  ${cell(v)}`).join('\n') + '\n';
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** ISO 8601 from the api, shortened for tables: `2025-01-02 03:04:05Z`. */
export function time(iso: string | null | undefined): string {
  if (!iso) return '-';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export function schedule(s: unknown): string {
  const o = (s ?? {}) as { every?: unknown; cron?: unknown };
  if (typeof o.every === 'string') return `every ${o.every}`;
  if (typeof o.cron === 'string') return `cron ${o.cron}`;
  return JSON.stringify(s);
}

/** A log line: `<time> <LEVEL> <message>`. */
export function logLine(l: { at: string; level: string; message: string }): string {
  return `${time(l.at)} ${l.level.toUpperCase().padEnd(5)} ${l.message}\n`;
}

/** Writes and waits when the pipe is full, so a large CSV export does not pile up in memory. */
export async function writeAll(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', resolve));
}

/** Durations come as fractional milliseconds; whole ones read better, except under 10 ms. */
export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined) return '-';
  return v < 10 ? String(Math.round(v * 10) / 10) : String(Math.round(v));
}
