// The only module that talks to the server: JSON over /api with the bearer token.
// The token comes from the URL fragment once (`/#token=…`, printed by `npm start`) or the
// login form, and is kept in this browser's localStorage. Nothing else is ever stored there.

const TOKEN_KEY = 'tickbox.token';
let token = null;
let unauthorized = () => {};

/** An answer other than 2xx: `message` is the API's human text, `code` its `error` field. */
export class ApiError extends Error {
  constructor(status, body, fallback) {
    super((body && typeof body.message === 'string' && body.message) || fallback || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body && typeof body.error === 'string' ? body.error : undefined;
    this.details = body ? body.details : undefined;
    this.body = body;
  }
}

/** Reads the token from the URL fragment (then removes it from the address bar) or storage. */
export function loadToken() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    localStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname);
  }
  token = localStorage.getItem(TOKEN_KEY);
  return token !== null && token !== '';
}

export function setToken(value) {
  token = value;
  localStorage.setItem(TOKEN_KEY, value);
}

/** Forgets the token in this browser (sign out); the token itself stays valid until revoked. */
export function clearToken() {
  token = null;
  localStorage.removeItem(TOKEN_KEY);
}

/** Called (once per 401) after the stored token was dropped. */
export function onUnauthorized(fn) {
  unauthorized = fn;
}

function authHeaders() {
  return { authorization: `Bearer ${token}` };
}

async function failure(res) {
  const text = await res.text().catch(() => '');
  let body;
  try { body = text ? JSON.parse(text) : undefined; } catch { body = undefined; }
  if (res.status === 401) {
    token = null;
    localStorage.removeItem(TOKEN_KEY);
    unauthorized();
  }
  return new ApiError(res.status, body);
}

async function send(path, init) {
  try {
    return await fetch(path, init);
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError(0, undefined, `cannot reach the Tickbox API: ${err && err.message ? err.message : err}`);
  }
}

/**
 * `api('/api/workers', {method: 'POST', body: {...}})` → the parsed JSON answer (undefined for
 * 204). Throws ApiError with the API's message for any non-2xx answer.
 */
export async function api(path, { method = 'GET', body, signal } = {}) {
  const headers = authHeaders();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await send(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined;
  const text = await res.text();
  if (!text) return undefined;
  return JSON.parse(text);
}

/**
 * GET a file the API answers (e.g. the journal's CSV) and hand it to the browser as a download:
 * the request needs the bearer token, so a plain link cannot fetch it.
 */
export async function download(path, filename) {
  const res = await send(path, { headers: authHeaders() });
  if (!res.ok) throw await failure(res);
  const url = URL.createObjectURL(await res.blob());
  try {
    const link = Object.assign(document.createElement('a'), { href: url, download: filename });
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}

/** GET a streaming endpoint (SSE); returns the Response of a 2xx answer. */
export async function stream(path, signal) {
  const res = await send(path, { headers: authHeaders(), signal });
  if (!res.ok) throw await failure(res);
  return res;
}

/** `/api/workers/${id}` with the id encoded. */
export const workerPath = (id, rest = '') => `/api/workers/${encodeURIComponent(id)}${rest}`;
export const keyPath = (id, rest = '') => `/api/keys/${encodeURIComponent(id)}${rest}`;
