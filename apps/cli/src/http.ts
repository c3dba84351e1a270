/**
 * The Tickbox HTTP API client. Every failure — an error answer from the api or a server that
 * cannot be reached — is one ApiError; the token only ever travels in the Authorization header.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  /** HTTP status, or null when no answer came back (connection refused, DNS, TLS, reset). */
  readonly status: number | null;
  /** The api's machine-readable code (`not_found`, `syntax_error`, …), or `unreachable`. */
  readonly code: string;
  readonly details: unknown;
  constructor(status: number | null, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** `<message> (<code>)`; an unreachable server's message stands alone. */
  summary(): string {
    return this.status === null ? this.message : `${this.message} (${this.code})`;
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface Api {
  readonly url: string;
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  /** DELETE; 204 answers resolve to undefined. */
  del(path: string, query?: Query): Promise<void>;
  /** A GET whose body is read by the caller (CSV, Server-Sent Events); non-2xx answers throw. */
  open(path: string, query?: Query, accept?: string): Promise<Response>;
}

export function createApi(url: string, token: string): Api {
  const base = url.replace(/\/+$/, '');
  const target = (path: string, query?: Query) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${base}${path}${qs ? `?${qs}` : ''}`;
  };

  async function send(method: string, path: string, query?: Query, body?: unknown, accept = 'application/json'): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(target(path, query), {
        method,
        headers: { authorization: `Bearer ${token}`, accept, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (err) {
      throw unreachable(base, err);
    }
    if (!res.ok) throw await errorFrom(res);
    return res;
  }

  async function json<T>(method: string, path: string, query?: Query, body?: unknown): Promise<T> {
    const res = await send(method, path, query, body);
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw unreachable(base, err);
    }
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, 'bad_response', `${method} ${path} answered ${res.status} with a body that is not JSON; is ${base} a Tickbox server?`);
    }
  }

  return {
    url: base,
    get: (path, query) => json('GET', path, query),
    post: (path, body) => json('POST', path, undefined, body),
    patch: (path, body) => json('PATCH', path, undefined, body),
    put: (path, body) => json('PUT', path, undefined, body),
    del: async (path, query) => { await json('DELETE', path, query); },
    open: (path, query, accept = '*/*') => send('GET', path, query, undefined, accept),
  };
}

/** fetch's own message is only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, …) is in its cause. */
export function unreachable(url: string, err: unknown): ApiError {
  const cause = (err as { cause?: { message?: string; code?: string } }).cause;
  const reason = cause?.message || cause?.code || (err as Error).message || String(err);
  return new ApiError(null, 'unreachable', `cannot reach Tickbox at ${url}: ${reason}`);
}

async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; details?: unknown };
    if (typeof body.error === 'string' && typeof body.message === 'string') return new ApiError(res.status, body.error, body.message, body.details);
  } catch { /* not an api error body */ }
  return new ApiError(res.status, `http_${res.status}`, `the server answered ${res.status} ${res.statusText}`.trim());
}
