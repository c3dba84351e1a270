import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from './auth.ts';
import { BitgetSimError, errors } from './errors.ts';
import type { Exchange } from './exchange.ts';
import { failureResponse, type FailInjector } from './fail-injection.ts';
import type { Params } from './params.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { RequestLog } from './request-log.ts';
import type { Route } from './routes/route.ts';
import type { AccountState } from './types.ts';

const MAX_BODY = 1 << 20;

export interface HttpDeps {
  ex: Exchange;
  routes: Route[];
  limiter?: RateLimiter;
  fails: FailInjector;
  log: RequestLog;
  admin: (req: IncomingMessage, res: ServerResponse, path: string, rawQuery: string, body: string) => void;
  /** Responses held open by `hang` rules; released on stop. */
  hanging: Set<ServerResponse>;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new BitgetSimError('40017', 'Request body too large', 413));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function parseParams(method: string, rawQuery: string, body: string): Params {
  if (method === 'GET') {
    const out: Params = {};
    for (const [k, v] of new URLSearchParams(rawQuery)) if (!(k in out)) out[k] = v;
    return out;
  }
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw errors.paramsInvalid('Request body is not valid JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw errors.paramsInvalid('Request body must be a JSON object');
  return parsed as Params;
}

const headerOf = (req: IncomingMessage, name: string) => {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

/** Node request listener serving /api/v2 (Bitget envelope) and delegating /sim/ to the admin API. */
export function createRequestHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const table = new Map(deps.routes.map((r) => [`${r.method} ${r.path}`, r]));

  function process(req: IncomingMessage, path: string, rawQuery: string, body: string): Answer {
    const { ex } = deps;
    const route = table.get(`${req.method ?? 'GET'} ${path}`);
    try {
      if (!route) throw errors.notFound();
      const ip = req.socket.remoteAddress ?? '';
      const caller = route.auth ? `key:${headerOf(req, 'access-key') || ip}` : `ip:${ip}`;
      if (deps.limiter && !deps.limiter.take(route.path, caller, route.perSecond)) throw errors.tooManyRequests();
      const account = route.auth
        ? authenticate({ headers: req.headers, method: req.method ?? 'GET', path, rawQuery, body, now: ex.baseNow(), findAccount: (k) => ex.account(k) })
        : undefined;
      const params = parseParams(route.method, rawQuery, body);
      ex.sync();
      // Public handlers never read `account`; private ones always get the authenticated one.
      const data = route.handle({ ex, params, account: account as AccountState, paper: headerOf(req, 'paptrading') === '1', t: ex.now() });
      if (route.method === 'POST') ex.changed();
      return { status: 200, body: { code: '00000', msg: 'success', requestTime: ex.baseNow(), data } };
    } catch (err) {
      if (err instanceof BitgetSimError) return { status: err.httpStatus, body: { code: err.code, msg: err.message, requestTime: ex.baseNow(), data: null } };
      ex.logger.warn('simulator request failed', req.method, path, err);
      return { status: 500, body: { code: '50000', msg: 'Internal Server Error', requestTime: ex.baseNow(), data: null } };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = req.url ?? '/';
    const qi = url.indexOf('?');
    const path = qi >= 0 ? url.slice(0, qi) : url;
    const rawQuery = qi >= 0 ? url.slice(qi + 1) : '';
    let body: string;
    try {
      body = await readBody(req);
    } catch (err) {
      const e = err instanceof BitgetSimError ? err : errors.paramsInvalid();
      sendJson(res, e.httpStatus, { code: e.code, msg: e.message, requestTime: deps.ex.baseNow(), data: null });
      return;
    }
    if (path.startsWith('/sim/') || path === '/sim') return deps.admin(req, res, path, rawQuery, body);
    const record = (status: number, code: string) =>
      deps.log.record({ time: deps.ex.baseNow(), ip: req.socket.remoteAddress ?? '', method: req.method ?? '', path, query: rawQuery, headers: req.headers, body, status, code, durationMs: Math.round((performance.now() - started) * 1000) / 1000 });

    const rule = deps.fails.take(path);
    if (rule?.delayMs) await new Promise((r) => setTimeout(r, rule.delayMs));
    const hang = () => {
      deps.hanging.add(res);
      res.on('close', () => deps.hanging.delete(res));
    };
    if (rule?.hang && rule.mode === 'before') {
      record(0, 'hang');
      return hang();
    }
    if (rule?.mode === 'before') {
      if (rule.drop) {
        record(0, 'dropped');
        req.socket.destroy();
        return;
      }
      const injected = failureResponse(rule, deps.ex.baseNow());
      if (injected) {
        record(injected.status, String(injected.body.code));
        return sendJson(res, injected.status, injected.body);
      }
    }
    const answer = process(req, path, rawQuery, body);
    if (rule?.mode === 'after') {
      record(answer.status, `${String(answer.body.code)} (then injected)`);
      if (rule.drop) {
        req.socket.destroy();
        return;
      }
      if (rule.hang) return hang();
      const injected = failureResponse(rule, deps.ex.baseNow()) ?? { status: 502, body: { code: '502', msg: 'Bad Gateway (injected)', requestTime: deps.ex.baseNow(), data: null } };
      return sendJson(res, injected.status, injected.body);
    }
    record(answer.status, String(answer.body.code));
    sendJson(res, answer.status, answer.body);
  }

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      deps.ex.logger.warn('simulator handler crashed', err);
      if (!res.headersSent) sendJson(res, 500, { code: '50000', msg: 'Internal Server Error', requestTime: deps.ex.baseNow(), data: null });
    });
  };
}
