import type { IncomingMessage, ServerResponse } from 'node:http';
import { d, isDecimalString, str } from './decimal.ts';
import { SimulatorConfigError } from './errors.ts';
import type { Exchange } from './exchange.ts';
import type { FailInjector } from './fail-injection.ts';
import { sendJson } from './http-server.ts';
import { COINS, findFutures, findSpot, FUTURES, type Instrument } from './market/instruments.ts';
import type { RequestLog } from './request-log.ts';
import type { AccountResult } from './state.ts';
import type { AccountSpec, ProductType } from './types.ts';

export interface AdminDeps {
  ex: Exchange;
  fails: FailInjector;
  log: RequestLog;
  createAccount: (spec: AccountSpec) => AccountResult;
  url: () => string;
  anyHost?: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

class AdminError extends Error {
  override readonly name = 'AdminError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const bad = (message: string) => new AdminError(400, 'bad_request', message);

function resolveInstrument(symbol: unknown, productType: unknown): Instrument {
  if (typeof symbol !== 'string' || !symbol) throw bad('symbol is required');
  if (typeof productType === 'string' && productType) {
    const inst = findFutures(productType.toUpperCase() as ProductType, symbol);
    if (!inst) throw bad(`unknown ${productType} symbol ${symbol}`);
    return inst;
  }
  const inst = findSpot(symbol) ?? FUTURES.find((f) => f.symbol === symbol.toUpperCase());
  if (inst) return inst;
  const coin = COINS.find((c) => c.coin === symbol.toUpperCase());
  if (coin) return findSpot(`${coin.coin}USDT`)!;
  throw bad(`unknown symbol ${symbol}`);
}

function parseJson(body: string): Record<string, unknown> {
  if (!body.trim()) return {};
  try {
    const v: unknown = JSON.parse(body);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw bad('body must be a JSON object');
}

/** The loopback-only control surface under /sim/ (plain JSON, not the Bitget envelope). */
export function createAdminHandler(deps: AdminDeps): (req: IncomingMessage, res: ServerResponse, path: string, rawQuery: string, body: string) => void {
  const { ex } = deps;
  const routes: Record<string, (b: Record<string, unknown>, q: URLSearchParams) => [number, unknown]> = {
    'GET /sim/health': () => [200, { status: 'ok', url: deps.url(), now: ex.baseNow(), marketNow: ex.now(), clockOffsetMs: ex.state.clockOffsetMs, seed: ex.state.seed, accounts: ex.accounts().length }],
    'POST /sim/accounts': (b) => {
      const spec: AccountSpec = { apiKey: String(b.apiKey ?? ''), secret: String(b.secret ?? ''), passphrase: String(b.passphrase ?? ''), demo: b.demo === true, balances: b.balances as AccountSpec['balances'] };
      const result = deps.createAccount(spec);
      const acct = ex.account(spec.apiKey)!;
      return [result === 'created' ? 201 : 200, { apiKey: acct.apiKey, uid: acct.uid, demo: acct.demo, created: result === 'created' }];
    },
    'GET /sim/accounts': () => [200, { accounts: ex.accounts().map((a) => ({ apiKey: a.apiKey, uid: a.uid, demo: a.demo })) }],
    'POST /sim/price': (b) => {
      const inst = resolveInstrument(b.symbol, b.productType);
      ex.sync();
      const t = ex.now();
      // `inMs` schedules the change in market time, so a later /sim/clock advance crosses it.
      const inMs = b.inMs === undefined ? 0 : Number(b.inMs);
      if (!Number.isInteger(inMs) || inMs < 0) throw bad('inMs must be a non-negative integer');
      const at = t + inMs;
      if (b.release === true) ex.feed.release(inst.baseCoin, at);
      else {
        const price = typeof b.price === 'number' ? String(b.price) : b.price;
        if (typeof price !== 'string' || !isDecimalString(price) || d(price).lte(0)) throw bad('price must be a positive decimal');
        ex.feed.pin(inst.baseCoin, at, str(price));
      }
      ex.market.invalidate();
      ex.poke();
      return [200, { symbol: inst.symbol, coin: inst.baseCoin, price: str(ex.market.quote(inst, at).last), pinned: b.release !== true, from: at, marketNow: t }];
    },
    'POST /sim/clock': (b) => {
      const ms = Number(b.advanceMs);
      if (!Number.isInteger(ms) || ms < 0) throw bad('advanceMs must be a non-negative integer');
      ex.sync();
      ex.state.clockOffsetMs += ms;
      ex.sync();
      ex.changed();
      return [200, { marketNow: ex.now(), clockOffsetMs: ex.state.clockOffsetMs }];
    },
    'POST /sim/funding': (b) => {
      const inst = resolveInstrument(b.symbol, b.productType ?? 'USDT-FUTURES');
      const key = `${(inst as { productType: string }).productType}:${inst.symbol}`;
      if (b.rate === null || b.rate === undefined) delete ex.state.fundingOverrides[key];
      else if (typeof b.rate === 'string' && isDecimalString(b.rate)) ex.state.fundingOverrides[key] = str(b.rate);
      else throw bad('rate must be a decimal string or null');
      ex.changed();
      return [200, { symbol: inst.symbol, rate: ex.state.fundingOverrides[key] ?? null }];
    },
    'POST /sim/fail-next': (b) => {
      try {
        return [201, { rule: deps.fails.add(b) }];
      } catch (err) {
        throw bad((err as Error).message);
      }
    },
    'GET /sim/fail-next': () => [200, { rules: deps.fails.list() }],
    'DELETE /sim/fail-next': () => {
      deps.fails.clear();
      return [200, { rules: [] }];
    },
    'GET /sim/requests': (_b, q) => {
      const limit = Number(q.get('limit') ?? '0') || undefined;
      const since = q.get('sinceSeq');
      return [200, { requests: deps.log.list({ path: q.get('path') ?? undefined, limit, sinceSeq: since ? Number(since) : undefined }) }];
    },
    'DELETE /sim/requests': () => {
      deps.log.clear();
      return [200, { requests: [] }];
    },
  };

  return (req, res, path, rawQuery, body) => {
    if (!deps.anyHost && !LOOPBACK.has(req.socket.remoteAddress ?? '')) return sendJson(res, 403, { error: 'forbidden', message: 'the /sim/ API is loopback-only' });
    const handler = routes[`${req.method ?? 'GET'} ${path}`];
    if (!handler) return sendJson(res, 404, { error: 'not_found', message: `no admin route ${req.method ?? ''} ${path}` });
    try {
      const [status, payload] = handler(parseJson(body), new URLSearchParams(rawQuery));
      sendJson(res, status, payload);
    } catch (err) {
      if (err instanceof AdminError) return sendJson(res, err.status, { error: err.code, message: err.message });
      if (err instanceof SimulatorConfigError) {
        return sendJson(res, err.code === 'ACCOUNT_CONFLICT' ? 409 : 400, { error: err.code.toLowerCase(), message: err.message });
      }
      ex.logger.warn('admin request failed', path, err);
      sendJson(res, 500, { error: 'internal', message: 'internal error' });
    }
  };
}
