import type { FastifyError, FastifyInstance } from 'fastify';
import { ApiError } from './api-error.ts';
import { redactUrl } from './log-redact.ts';

/**
 * The one place errors become HTTP answers: ApiError and Fastify's validation errors keep
 * their message (4xx); anything else is logged and answered with a generic 500 that carries
 * no internals.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | ApiError | Error, request, reply) => {
    if (err instanceof ApiError) {
      return reply.code(err.statusCode).send({ error: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      // 'query', as the API's own messages say it (query.cursor, query.after).
      const where = fe.validationContext === 'querystring' ? 'query' : (fe.validationContext ?? 'request');
      const first = fe.validation[0];
      const path = first?.instancePath ? first.instancePath.replace(/^\//, '').replace(/\//g, '.') : '';
      const missing = (first?.params as { missingProperty?: string; additionalProperty?: string } | undefined);
      const field = missing?.missingProperty ?? missing?.additionalProperty;
      const name = [where, path, field].filter(Boolean).join('.');
      // A union of literals (an enum) fails once per literal: name them all instead of "must be equal to constant".
      const allowed = fe.validation.filter((v) => v.keyword === 'const' && v.instancePath === first?.instancePath)
        .map((v) => (v.params as { allowedValue?: unknown }).allowedValue);
      const message = field && missing?.additionalProperty ? `${name} is not a known field`
        : first?.keyword === 'const' && allowed.length > 1 ? `${name} must be one of ${allowed.map(String).join(', ')}`
          : `${name} ${first?.message ?? 'is invalid'}`;
      return reply.code(400).send({ error: 'invalid_request', message, details: fe.validation });
    }
    // A unique constraint lost to a concurrent request (e.g. two POST /api/users with one name).
    if ((err as { code?: unknown }).code === 'P2002') {
      return reply.code(409).send({ error: 'conflict', message: 'a record with these values already exists' });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const code = fe.statusCode === 413 ? 'payload_too_large' : fe.statusCode === 415 ? 'unsupported_media_type' : 'invalid_request';
      return reply.code(fe.statusCode).send({ error: code, message: fe.message });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: 'internal', message: 'Internal server error' });
  });
  // The path is echoed without a webhook secret in it (a GET of a webhook URL, a typo in one).
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: `${request.method} ${redactUrl(request.url.split('?')[0]!)} does not exist` }));
}
