import { afterAll, beforeAll, expect } from 'vitest';
import { createSimulator } from '@tickbox/bitget-sim';
import type { RecordedRequest, Simulator } from '@tickbox/bitget-sim';
import { BitgetAPIError, createBitgetClient } from '../../src/index.ts';
import type {
  BitgetClient,
  BitgetClientOptions,
  BitgetCredentials,
  BitgetResponse,
  OrderChange,
  OrderIntent,
  OrderOutcome,
} from '../../src/index.ts';

// Contract tests: the real client against the real simulator over HTTP (127.0.0.1, port 0).
// One simulator per test file; every test gets fresh accounts, so tests never share state.

export const MODES = ['live', 'demo'] as const;
export type KeyMode = (typeof MODES)[number];

/** Pinned prices (exactly on each instrument's tick) so every number below is deterministic. */
export const PRICES = { BTCUSDT: '60000', ETHUSDT: '3000', SOLUSDT: '150' } as const;

export interface Journal {
  intents: OrderIntent[][];
  outcomes: OrderOutcome[][];
  changes: OrderChange[];
}

export interface Balances {
  spot?: Record<string, string>;
  futures?: Record<string, string>;
}

export interface TestClient {
  client: BitgetClient;
  creds: BitgetCredentials;
  journal: Journal;
}

export interface SimFixture {
  readonly url: string;
  admin<T = any>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Requests the simulator recorded, optionally for one API path and one API key. */
  requests(path?: string, apiKey?: string): Promise<RecordedRequest[]>;
  pin(symbol: string, price: string): Promise<void>;
  failNext(rule: Record<string, unknown>): Promise<void>;
  /** A new simulator account (live or demo); balances default to the simulator's. */
  account(mode: KeyMode, balances?: Balances): Promise<BitgetCredentials>;
  /** A client in `mode` on a new account of the same kind (or on `creds`, to test mismatches). */
  client(mode: KeyMode, opts?: Partial<BitgetClientOptions> & { creds?: BitgetCredentials; balances?: Balances }): Promise<TestClient>;
}

let seq = 0;

/**
 * Registers beforeAll/afterAll that run one seeded simulator for the calling test file and close
 * every client created through it. Prices of BTC/ETH/SOL are pinned before any test runs.
 */
export function useSimulator(options: { rateLimits?: boolean; seed?: number } = {}): SimFixture {
  let sim: Simulator | undefined;
  let url = '';
  const clients: BitgetClient[] = [];

  beforeAll(async () => {
    sim = createSimulator({ port: 0, seed: options.seed ?? 11, rateLimits: options.rateLimits ?? false });
    url = await sim.start();
    for (const [symbol, price] of Object.entries(PRICES)) await fx.pin(symbol, price);
  });

  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await sim?.stop();
  });

  const fx: SimFixture = {
    get url() {
      return url;
    },
    async admin(method, path, body) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as any };
    },
    async requests(path, apiKey) {
      const q = path === undefined ? '' : `?path=${encodeURIComponent(path)}`;
      const all = (await fx.admin<{ requests: RecordedRequest[] }>('GET', `/sim/requests${q}`)).body.requests;
      return apiKey === undefined ? all : all.filter((r) => r.headers['access-key'] === apiKey);
    },
    async pin(symbol, price) {
      const r = await fx.admin('POST', '/sim/price', { symbol, price });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    },
    async failNext(rule) {
      const r = await fx.admin('POST', '/sim/fail-next', rule);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    },
    async account(mode, balances) {
      const id = `${mode}-${process.pid}-${++seq}`;
      const creds = { apiKey: `key-${id}`, secret: `secret-${id}`, passphrase: `pass-${id}` };
      const r = await fx.admin('POST', '/sim/accounts', { ...creds, demo: mode === 'demo', ...(balances ? { balances } : {}) });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return creds;
    },
    async client(mode, opts = {}) {
      const { creds: given, balances, ...rest } = opts;
      const creds = given ?? (await fx.account(mode, balances));
      const journal: Journal = { intents: [], outcomes: [], changes: [] };
      const client = createBitgetClient({
        baseUrl: url,
        mode,
        credentials: creds,
        retryBaseMs: 5,
        lookupDelaysMs: [0, 50],
        timeouts: { headersMs: 2000, bodyMs: 2000 },
        hooks: {
          beforeSend: async (i) => void journal.intents.push(i),
          afterSend: async (o) => void journal.outcomes.push(o),
          onChange: async (c) => void journal.changes.push(c),
        },
        ...rest,
      });
      clients.push(client);
      return { client, creds, journal };
    },
  };
  return fx;
}

/** data of an order placement or change: {orderId, clientOid}. */
export interface Ack extends Record<string, unknown> {
  orderId: string;
  clientOid: string;
}

/** Asserts the v2 success envelope and returns its data. */
export function ok<T = any>(r: BitgetResponse): T {
  expect(r.code).toBe('00000');
  expect(typeof r.msg).toBe('string');
  expect(['number', 'string']).toContain(typeof r.requestTime);
  return r.data as T;
}

/** Every listed field of `row` is a string (Bitget sends numbers, ids and timestamps as strings). */
export function expectStrings(row: unknown, fields: readonly string[]): void {
  expect(row, 'row').toBeTypeOf('object');
  const r = row as Record<string, unknown>;
  for (const f of fields) expect(typeof r[f], `${f} = ${JSON.stringify(r[f])}`).toBe('string');
}

/** A decimal string (not a JS number): "60000", "0.001", "-1.5". */
export const DECIMAL = /^-?\d+(\.\d+)?$/;

export async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

export async function apiError(p: Promise<unknown>): Promise<BitgetAPIError> {
  const e = await rejection(p);
  expect(e, e.message).toBeInstanceOf(BitgetAPIError);
  return e as BitgetAPIError;
}

/** The JSON bodies of the recorded POSTs of `path`. */
export const bodies = (reqs: RecordedRequest[]): Record<string, unknown>[] =>
  reqs.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body) as Record<string, unknown>);
