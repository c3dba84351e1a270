import type { FastifyRequest } from 'fastify';

/** pino redact paths: credentials never reach a log line. */
export const LOG_REDACT = {
  paths: [
    'req.headers.authorization', 'req.headers["access-sign"]', 'req.headers["access-passphrase"]', 'req.headers["access-key"]',
    '*.secret', '*.passphrase', '*.apiKey', '*.token', '*.masterKeys', 'body.secret', 'body.passphrase', 'body.apiKey',
  ],
  censor: '[redacted]',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A webhook URL's path is its credential (`/hooks/<workerId>/<secret>`): everything after the
 * worker id is cut, also from encoded (`/%68ooks/…`) and mistyped forms. Other URLs pass as they are.
 */
export function redactUrl(url: string): string {
  let decoded = url;
  try { decoded = decodeURIComponent(url); } catch { /* malformed escapes: match the raw text */ }
  const at = decoded.toLowerCase().indexOf('/hooks/');
  if (at < 0) return url;
  const head = decoded.slice(0, at + '/hooks/'.length);
  const first = decoded.slice(head.length).split(/[/?#]/, 1)[0]!;
  return UUID.test(first) ? `${head}${first}/[redacted]` : `${head}[redacted]`;
}

/** Fastify's request serializer with the URL passed through redactUrl. */
export function requestForLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
