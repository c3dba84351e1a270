import { createHmac } from 'node:crypto';

/**
 * ACCESS-SIGN per CONTRACT §2.2: base64(HMAC-SHA256(secret, timestamp + METHOD + path
 * + ("?" + query when non-empty) + body)). `query` must be the exact string placed in the URL.
 */
export function signRequest(
  secret: string,
  timestamp: string,
  method: string,
  path: string,
  query: string,
  body: string,
): string {
  const prehash = `${timestamp}${method.toUpperCase()}${path}${query === '' ? '' : `?${query}`}${body}`;
  return createHmac('sha256', secret).update(prehash, 'utf8').digest('base64');
}

/**
 * Builds the query string once (keys sorted ascending, undefined/null dropped) so the same
 * string is used in the URL and in the prehash. Values are percent-encoded; the client keeps
 * ids to [A-Za-z0-9_.-] where raw and encoded forms are identical (CONTRACT §2.3).
 */
export function buildQuery(params: Readonly<Record<string, unknown>>): string {
  const parts: string[] = [];
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}
