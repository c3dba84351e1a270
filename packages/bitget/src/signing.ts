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
  let query = '';
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    query += `${query === '' ? '' : '&'}${uriComponent(key)}=${uriComponent(String(value))}`;
  }
  return query;
}

/** Characters encodeURIComponent leaves as they are: such a text is its own encoding. */
const URI_UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]*$/;

/** encodeURIComponent, skipped for the usual symbol / product type / number values (same result). */
function uriComponent(text: string): string {
  return URI_UNRESERVED.test(text) ? text : encodeURIComponent(text);
}
