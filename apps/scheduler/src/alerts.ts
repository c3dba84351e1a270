import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { UnrecoverableError } from 'bullmq';
import { Agent, request } from 'undici';
import type { Db } from '@tickbox/db';
import type { AlertJob } from '@tickbox/queue';
import type { Keyring } from '@tickbox/secrets';
import { isPrivateAddress, publicOnlyLookup } from './alert-address.ts';

export interface AlertDeps {
  db: Db;
  keyring: Keyring;
  logger: Logger;
  /** Let alert URLs point at private addresses (a self-hosted receiver on the same network; tests). */
  allowPrivate: boolean;
}

/** The longest one delivery may take, connection to answer. */
const DELIVERY_DEADLINE_MS = 10_000;

const TITLES: Record<AlertJob['kind'], string> = {
  setup_failed: 'stopped: its setup failed',
  tick_failed: 'tick failed',
  recovered: 'is ticking normally again',
  order_rejected: 'had an order rejected by the exchange',
  test: 'test alert',
};

/** One line a chat shows: Slack reads `text`, Discord `content`; the structured fields are for anything else. */
export function alertBody(job: AlertJob): Record<string, unknown> {
  const who = job.worker ? `worker "${job.worker.name}" ${TITLES[job.kind]}` : TITLES[job.kind];
  const text = `Tickbox: ${who}${job.error ? ` — ${job.error}` : ''}`.slice(0, 1900);
  return { text, content: text, kind: job.kind, worker: job.worker ?? null, error: job.error ?? null, at: job.at };
}

/**
 * Delivers one alert job: POSTs it as JSON to the user's alert URL (decrypted here, never logged).
 * A non-2xx answer or a network error throws, so the queue tries again (JOB_CATALOG.alert), except
 * for an address alerts never go to (that will not change by trying again); a user without an alert
 * URL any more is simply skipped. Each outcome is written on the user (alertLastSentAt, or
 * alertLastError without the URL), so the api can tell them that alerts do not arrive.
 */
export function createAlertSender(deps: AlertDeps) {
  const dispatcher = new Agent({ connect: { timeout: 5000, lookup: publicOnlyLookup(deps.allowPrivate) }, headersTimeout: 5000, bodyTimeout: 5000 });

  async function post(url: URL, job: AlertJob): Promise<void> {
    // A literal IP is connected to without a lookup: checked here.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && isPrivateAddress(host) && !deps.allowPrivate) {
      throw Object.assign(new Error(`the alert URL points at a private address (${host}); alerts only go to public hosts`), { code: 'EPRIVATE' });
    }
    const res = await request(url, {
      // undici's request never follows a redirect: a 3xx is a failed delivery. The whole
      // delivery has a deadline (the timeouts above are per phase, and a body's is between chunks),
      // so a receiver that trickles bytes cannot hold a delivery slot.
      method: 'POST', dispatcher, signal: AbortSignal.timeout(DELIVERY_DEADLINE_MS),
      headers: { 'content-type': 'application/json', 'user-agent': 'Tickbox-Alerts' },
      body: JSON.stringify(alertBody(job)),
    });
    // The answer's body is not needed: dropped, not read (its 'aborted' error is expected).
    res.body.on('error', () => {});
    res.body.destroy();
    if (res.statusCode < 200 || res.statusCode >= 300) throw new Error(`the alert URL answered HTTP ${res.statusCode}`);
  }

  return {
    async deliver(job: AlertJob): Promise<'sent' | 'no-url'> {
      const user = await deps.db.user.findUnique({ where: { id: job.userId }, select: { alertCiphertext: true, alertUpdatedAt: true } });
      if (!user?.alertCiphertext) return 'no-url';
      const url = new URL(deps.keyring.decrypt(user.alertCiphertext, `alerts:${job.userId}`));
      // Recorded only while the URL is the one this delivery used (a new URL starts with a clean slate).
      const record = (data: { alertLastSentAt: Date; alertLastError: null; alertLastErrorAt: null } | { alertLastError: string; alertLastErrorAt: Date }) =>
        deps.db.user.updateMany({ where: { id: job.userId, alertUpdatedAt: user.alertUpdatedAt }, data })
          .catch((err: unknown) => deps.logger.warn({ err: { message: (err as Error).message }, userId: job.userId }, 'could not record an alert delivery'));
      try {
        await post(url, job);
      } catch (err) {
        const reason = withoutUrl(err, url);
        await record({ alertLastError: reason, alertLastErrorAt: new Date() });
        if (isRefusedAddress(err)) throw new UnrecoverableError(reason);
        throw new Error(reason);
      }
      await record({ alertLastSentAt: new Date(), alertLastError: null, alertLastErrorAt: null });
      return 'sent';
    },
    close: () => dispatcher.close(),
  };
}

function isRefusedAddress(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === 'EPRIVATE' || e?.cause?.code === 'EPRIVATE';
}

/** Why a delivery failed, as the user may see it: never the URL's path or query (they carry its token). */
export function withoutUrl(err: unknown, url: URL): string {
  const e = err as { message?: unknown; cause?: { message?: unknown } } | null;
  let text = typeof e?.message === 'string' && e.message !== '' ? e.message : String(err);
  if (typeof e?.cause?.message === 'string' && e.cause.message !== '' && !text.includes(e.cause.message)) text += ` (${e.cause.message})`;
  for (const secret of [url.href, `${url.pathname}${url.search}`, url.pathname, url.search]) {
    if (secret.length > 1) text = text.split(secret).join('…');
  }
  return text.slice(0, 500);
}
