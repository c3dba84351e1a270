export interface RecordedRequest {
  seq: number;
  time: number;
  ip: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  code: string;
  durationMs: number;
}

const REDACTED = new Set(['access-sign', 'access-passphrase']);

/** Bounded ring buffer of what clients sent; signatures and passphrases never stored. */
export class RequestLog {
  readonly #capacity: number;
  #items: RecordedRequest[] = [];
  #seq = 0;

  constructor(capacity = 1000) {
    this.#capacity = capacity;
  }

  record(entry: Omit<RecordedRequest, 'seq' | 'headers'> & { headers: Record<string, string | string[] | undefined> }): void {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(entry.headers)) {
      if (v === undefined) continue;
      headers[k] = REDACTED.has(k.toLowerCase()) ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
    }
    this.#items.push({ ...entry, headers, seq: ++this.#seq });
    if (this.#items.length > this.#capacity) this.#items.splice(0, this.#items.length - this.#capacity);
  }

  list(filter: { path?: string; limit?: number; sinceSeq?: number } = {}): RecordedRequest[] {
    const items = this.#items.filter((r) => (!filter.path || r.path === filter.path) && (filter.sinceSeq === undefined || r.seq > filter.sinceSeq));
    return filter.limit ? items.slice(-filter.limit) : items;
  }

  clear(): void {
    this.#items = [];
  }
}
