import Fastify from 'fastify';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '@tickbox/db';
import type { Keyring } from '@tickbox/secrets';
import type { LogBus, Queues } from '@tickbox/queue';
import { installAuth } from './auth.ts';
import { installErrorHandler } from './error-handler.ts';
import { healthRoutes } from './routes/health.ts';
import { keyRoutes } from './routes/keys/index.ts';
import { workerRoutes } from './routes/workers/index.ts';
import { workerActivityRoutes } from './routes/workers/activity.ts';
import { logStreamRoutes } from './routes/workers/log-stream.ts';
import { tradeRoutes } from './routes/trades/index.ts';
import { userRoutes } from './routes/users.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { alertRoutes } from './routes/alerts.ts';
import { dashboardRoutes, installSecurityHeaders } from './routes/dashboard.ts';
import { openApi } from './openapi.ts';
import { installValidators } from './validators.ts';
import { requestForLog } from './log-redact.ts';
import { webhookRoutes } from './routes/workers/webhook.ts';
import { hookRoutes } from './routes/hooks.ts';

export interface AppDeps {
  db: Db;
  queues: Queues;
  logBus: LogBus;
  keyring: Keyring;
  pingRedis: () => Promise<void>;
  logger: FastifyBaseLogger | false;
  /** How long POST /api/workers/:id/run waits for the scheduler. */
  runTimeoutMs?: number;
  webRoot?: string;
  /** Where users reach this api from outside (e.g. https://tickbox.example.com); webhook URLs are built on it. */
  publicUrl?: string;
  /**
   * Fastify's trustProxy (TICKBOX_TRUST_PROXY): which peers are proxies whose X-Forwarded-For,
   * -Proto and -Host are believed. It decides request.ip, the sender the webhook allowlist checks.
   */
  trustProxy?: boolean | string[];
}

export type App = FastifyInstance;

/** Builds the HTTP app from its dependencies; never listens and never reads the environment. */
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    // Keep the default (FastifyBaseLogger) generic so route plugins type-check against App.
    // Request lines carry the URL; a webhook URL's secret is cut from it (log-redact.ts).
    loggerInstance: deps.logger ? deps.logger.child({}, { serializers: { req: requestForLog } }) : undefined,
    bodyLimit: 1024 * 1024,
    trustProxy: deps.trustProxy ?? false,
  }).withTypeProvider<TypeBoxTypeProvider>();
  installValidators(app);
  installErrorHandler(app);
  installSecurityHeaders(app);
  installAuth(app, deps.db);
  await openApi(app);
  await app.register(healthRoutes(deps));
  await app.register(keyRoutes(deps), { prefix: '/api/keys' });
  await app.register(workerRoutes(deps), { prefix: '/api/workers' });
  await app.register(workerActivityRoutes(deps), { prefix: '/api/workers' });
  await app.register(logStreamRoutes(deps), { prefix: '/api/workers' });
  await app.register(webhookRoutes(deps), { prefix: '/api/workers' });
  await app.register(hookRoutes(deps), { prefix: '/hooks' });
  await app.register(tradeRoutes(deps), { prefix: '/api' });
  await app.register(userRoutes(deps), { prefix: '/api' });
  await app.register(tokenRoutes(deps), { prefix: '/api' });
  await app.register(alertRoutes(deps), { prefix: '/api' });
  if (deps.webRoot) await app.register(dashboardRoutes(deps.webRoot));
  return app;
}
