import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { ErrorBody, WebhookAcceptedView } from '@tickbox/contract';
import { tokenMatchesHash } from '@tickbox/secrets';
import type { AppDeps } from '../app.ts';
import { jsonProblem } from '../json-guard.ts';
import { ApiError, conflict } from '../api-error.ts';
import { allowlistIncludes, senderAddress } from '../ip-allowlist.ts';

/** Largest alert body accepted (TradingView's own messages are far smaller). */
export const WEBHOOK_MAX_BYTES = 16 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Unknown worker, deleted worker, no webhook, wrong secret: one answer, so none can be told apart.
const unknownHook = () => new ApiError(404, 'not_found', 'webhook not found');

interface HookParams { workerId: string; secret: string }
interface Alert { workerId: string; receivedAt: number }

/**
 * `POST /hooks/:workerId/:secret`: a TradingView-style alert becomes one queued run of the
 * worker's tick with ctx.trigger `{type: "webhook", payload, receivedAt}`. No bearer token: the
 * secret in the path is the credential (alert senders cannot set headers). The api only queues;
 * the scheduler runs the code.
 */
export function hookRoutes(deps: AppDeps): FastifyPluginAsync {
  const { db, queues } = deps;
  const alerts = new WeakMap<FastifyRequest, Alert>();

  /** The credential check, before the body is read. */
  const authenticate = async (request: FastifyRequest) => {
    const receivedAt = Date.now();
    const { workerId, secret } = request.params as HookParams;
    const worker = UUID.test(workerId)
      ? await db.worker.findUnique({
        where: { id: workerId },
        select: { id: true, name: true, enabled: true, status: true, deletedAt: true, webhookSecretHash: true, webhookAllowedIps: true },
      })
      : null;
    if (!tokenMatchesHash(secret, worker && !worker.deletedAt ? worker.webhookSecretHash : null)) throw unknownHook();
    // Only after the secret matched, so the allowlist cannot be probed without it; and before
    // anything else about the worker is told.
    // request.ip is undefined once the client has gone; such a sender matches nothing.
    const ip = (request.ip as string | undefined) ?? '';
    if (!allowlistIncludes(worker!.webhookAllowedIps, ip)) {
      const sender = ip ? senderAddress(ip) : 'unknown';
      request.log.warn({ workerId: worker!.id, sender }, 'webhook alert refused: sender not in the allowlist');
      throw new ApiError(403, 'forbidden', `sender ${sender} is not in this webhook's allowlist`);
    }
    if (!worker!.enabled) throw conflict(`worker ${worker!.name} is disabled; enable it to accept webhook alerts`);
    if (worker!.status === 'error') throw conflict(`worker ${worker!.name} failed its setup; fix its code or enable it again to accept webhook alerts`);
    alerts.set(request, { workerId: worker!.id, receivedAt });
  };

  return async (app) => {
    // Any content type: a JSON alert is parsed, anything else is the text as sent.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: WEBHOOK_MAX_BYTES }, (_request, body, done) => done(null, body));

    app.post('/:workerId/:secret', {
      bodyLimit: WEBHOOK_MAX_BYTES,
      onRequest: authenticate,
      preParsing: async (request) => {
        if (Number(request.headers['content-length']) > WEBHOOK_MAX_BYTES) {
          throw new ApiError(413, 'payload_too_large', `a webhook body may be at most ${WEBHOOK_MAX_BYTES} bytes`);
        }
      },
      schema: {
        description: 'A TradingView-style alert: queues one run of the worker\'s tick with ctx.trigger = {type: "webhook", payload, receivedAt}. '
          + 'No bearer token: the secret in the path (from POST /api/workers/:id/webhook) is the credential. JSON bodies (application/json) '
          + `are parsed; any other body is passed as text. At most ${WEBHOOK_MAX_BYTES} bytes. A sender outside the webhook's allowlist `
          + '(PUT /api/workers/:id/webhook/allowlist) is answered 403.',
        security: [],
        params: Type.Object({ workerId: Type.String(), secret: Type.String() }),
        response: { 202: WebhookAcceptedView, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 429: ErrorBody },
      },
    }, async (request, reply) => {
      const alert = alerts.get(request)!;
      const payload = parsePayload(request.headers['content-type'], request.body as string | undefined);
      const result = await queues.queueWebhook(alert.workerId, { payload, receivedAt: alert.receivedAt });
      if (!result.queued) {
        const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
        return reply.code(429).header('retry-after', String(seconds)).send({
          error: 'rate_limited', message: `too many alerts for this worker; try again in ${seconds} s`, details: { retryAfterMs: result.retryAfterMs },
        });
      }
      return reply.code(202).send({ queued: true, runId: result.runId });
    });
  };
}

/** application/json (and +json) bodies are parsed, 400 when they are not JSON; any other body is its text. */
function parsePayload(contentType: string | undefined, body: string | undefined): unknown {
  const text = body ?? '';
  const media = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (media !== 'application/json' && !media.endsWith('+json')) return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'the body is sent as application/json but is not valid JSON; send text/plain to pass it as text');
  }
  const problem = jsonProblem(value, 'body');
  if (problem) throw new ApiError(400, 'invalid_request', problem);
  return value;
}
