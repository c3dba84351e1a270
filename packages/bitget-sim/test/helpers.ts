import { createHmac } from 'node:crypto';
import { createSimulator } from '../src/index.ts';
import type { AccountSpec, SimulatorOptions } from '../src/index.ts';

/** Test-local signer (never the client's nor the simulator's code): CONTRACT.md §2.2. */
export function testSign(secret: string, prehash: string): string {
  return createHmac('sha256', secret).update(prehash).digest('base64');
}

export interface Creds {
  apiKey: string;
  secret: string;
  passphrase: string;
  demo?: boolean;
}

export interface Answer {
  status: number;
  body: { code: string; msg: string; requestTime: number; data: any };
}

export interface Harness {
  url: string;
  stop(): Promise<void>;
  pub(path: string, query?: Record<string, string>): Promise<Answer>;
  get(creds: Creds, path: string, query?: Record<string, string>, extra?: RequestExtra): Promise<Answer>;
  post(creds: Creds, path: string, body: Record<string, unknown>, extra?: RequestExtra): Promise<Answer>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  account(spec: Partial<AccountSpec> & { apiKey: string }): Creds;
}

export interface RequestExtra {
  timestamp?: string;
  headers?: Record<string, string>;
  signWith?: string;
}

export const T0 = Date.UTC(2025, 0, 6, 10, 0, 0); // a Monday, 10:00 UTC

/** Starts a simulator on a free port with a controllable clock. */
export async function startSim(options: SimulatorOptions & { clock?: { now: number } } = {}): Promise<Harness & { clock: { now: number } }> {
  const clock = options.clock ?? { now: T0 };
  const sim = createSimulator({ seed: 7, rateLimits: false, now: () => clock.now, ...options });
  const url = await sim.start();
  const send = async (method: string, path: string, query: string, body: string, headers: Record<string, string>): Promise<Answer> => {
    const res = await fetch(`${url}${path}${query ? `?${query}` : ''}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: method === 'POST' ? body : undefined });
    return { status: res.status, body: (await res.json()) as Answer['body'] };
  };
  const auth = (c: Creds, method: string, path: string, query: string, body: string, extra: RequestExtra = {}) => {
    const ts = extra.timestamp ?? String(clock.now);
    const h: Record<string, string> = {
      'ACCESS-KEY': c.apiKey, 'ACCESS-TIMESTAMP': ts, 'ACCESS-PASSPHRASE': c.passphrase,
      'ACCESS-SIGN': testSign(extra.signWith ?? c.secret, ts + method + path + (query ? `?${query}` : '') + body),
    };
    if (c.demo) h.paptrading = '1';
    return { ...h, ...extra.headers };
  };
  return {
    url,
    clock,
    stop: () => sim.stop(),
    pub: (path, query = {}) => send('GET', path, new URLSearchParams(query).toString(), '', {}),
    get: (c, path, query = {}, extra) => {
      const q = new URLSearchParams(query).toString();
      return send('GET', path, q, '', auth(c, 'GET', path, q, '', extra));
    },
    post: (c, path, body, extra) => {
      const text = JSON.stringify(body);
      return send('POST', path, '', text, auth(c, 'POST', path, '', text, extra));
    },
    admin: async (method, path, body) => {
      const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, body: await res.json() };
    },
    account: (spec) => {
      const creds = { apiKey: spec.apiKey, secret: spec.secret ?? `${spec.apiKey}-secret`, passphrase: spec.passphrase ?? `${spec.apiKey}-pass`, demo: spec.demo };
      sim.createAccount({ ...creds, balances: spec.balances });
      return creds;
    },
  };
}
