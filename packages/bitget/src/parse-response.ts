import { BitgetAPIError, BitgetNetworkError, BitgetRateLimitError } from './errors.ts';
import type { BitgetErrorContext } from './errors.ts';
import type { BitgetResponse } from './types.ts';

const SUCCESS = '00000';

/** The body text of successful responses that parsing left as they were (see responseText). */
const RESPONSE_TEXT = new WeakMap<object, string>();

/**
 * The JSON text a response was parsed from, when it is exactly that response (nothing was
 * normalised). Lets a caller that only hands the JSON on skip serialising it again.
 */
export function responseText(response: BitgetResponse): string | undefined {
  return RESPONSE_TEXT.get(response);
}

/**
 * How Bitget (and the simulator) open every success: code, msg and requestTime in this order,
 * requestTime a number or a digit string (CONTRACT §3.1), then data.
 */
const SUCCESS_PREFIX = /^\{"code":"00000","msg":"success","requestTime":(?:\d{1,16}|"\d{1,16}"),"data":/;

/**
 * parseResponse for a caller that hands the JSON on (into a sandbox, which parses it once
 * itself): a 2xx body that opens like a success envelope, ends with `}` and has no other "code"
 * is returned as it is, without a parse here; large answers (every ticker, a thousand candles)
 * then cost one parse instead of two. Anything else goes through parseResponse and is
 * classified, thrown or returned as JSON, exactly as there. The one difference: a 2xx body that
 * passes these checks but is still not JSON (cut short right after an inner `}`) is found by the
 * consumer's parse (the sandbox reports BAD_HOST_RESULT) instead of as BAD_RESPONSE here; neither
 * is retried.
 */
export function parseResponseText(status: number, text: string, context: BitgetErrorContext): string {
  if (status >= 200 && status < 300 && text.charCodeAt(text.length - 1) === 125 /* } */) {
    const prefix = SUCCESS_PREFIX.exec(text);
    // A second "code" anywhere after the prefix (a duplicate key would win in JSON.parse, or just
    // a field of that name in data) sends the body through the full parse.
    if (prefix !== null && text.indexOf('"code"', prefix[0].length) === -1) return text;
  }
  const response = parseResponse(status, text, context);
  return RESPONSE_TEXT.get(response) ?? JSON.stringify(response);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function shortText(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 120)}…` : oneLine;
}

/**
 * Classifies one HTTP answer (CONTRACT §3): 429 → rate limit; 5xx and bodies that are not a
 * v2 envelope → network error; code ≠ "00000" → API error (even on HTTP 200). On success the
 * envelope is returned as parsed, values untouched; only `msg` is filled from `message`
 * when a server spells it that way.
 */
export function parseResponse(status: number, text: string, context: BitgetErrorContext): BitgetResponse {
  if (status === 429) {
    throw new BitgetRateLimitError('429', `Bitget rate limit exceeded (HTTP 429) (${context.method} ${context.path})`, {
      status,
      context,
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    const what = text.trim() === '' ? 'an empty body' : `a non-JSON body: ${shortText(text)}`;
    throw new BitgetNetworkError(status >= 500 ? 'HTTP_STATUS' : 'BAD_RESPONSE', `HTTP ${status} with ${what}`, context, {
      status,
      maybeSent: true,
      cause,
    });
  }
  const code = isRecord(body) && (typeof body['code'] === 'string' || typeof body['code'] === 'number') ? String(body['code']) : undefined;
  const rawMsg = isRecord(body) ? (body['msg'] ?? body['message']) : undefined;
  const msg = typeof rawMsg === 'string' ? rawMsg : '';
  if (status >= 500) {
    throw new BitgetNetworkError('HTTP_STATUS', `server error${msg ? `: ${msg}` : ''}`, context, { status, maybeSent: true });
  }
  if (!isRecord(body) || code === undefined) {
    throw new BitgetNetworkError('BAD_RESPONSE', `HTTP ${status} without a v2 envelope: ${shortText(text)}`, context, {
      status,
      maybeSent: true,
    });
  }
  if (code === '429') {
    throw new BitgetRateLimitError('429', `Bitget rate limit exceeded: ${msg} (${context.method} ${context.path})`, {
      status,
      context,
    });
  }
  if (code !== SUCCESS) throw new BitgetAPIError(code, msg, context, status, body);
  // The text is the response as-is only when nothing below needs normalising.
  if (body['code'] === SUCCESS && typeof body['msg'] === 'string') RESPONSE_TEXT.set(body, text);
  if (body['msg'] === undefined) body['msg'] = msg;
  body['code'] = code;
  return body as unknown as BitgetResponse;
}
