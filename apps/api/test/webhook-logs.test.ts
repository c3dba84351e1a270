// The webhook URL's path is its credential: the api's own request log (pino, as server.ts
// configures it) must never carry the secret, however the URL is written.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_REDACT, redactUrl } from '../src/log-redact.ts';
import { createHarness, createUser } from './harness.ts';
import type { Harness } from './harness.ts';

const lines: string[] = [];
const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
let h: Harness;
let base: string;
beforeAll(async () => {
  h = await createHarness({ logger: pino({ level: 'trace', redact: LOG_REDACT, name: 'api' }, sink) });
  base = await h.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => h.close());

describe('webhook secrets in the api log', () => {
  it('never appear in request log lines, for accepted, refused, oversized, mistyped or encoded requests', async () => {
    const { auth } = await createUser(h.db);
    const w = await (await fetch(`${base}/api/workers`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'logged', code: 'export function tick() {}', schedule: { every: '1m' } }),
    })).json() as { id: string };
    const created = await (await fetch(`${base}/api/workers/${w.id}/webhook`, { method: 'POST', headers: auth })).json() as { url: string; absoluteUrl: string };
    const secret = created.url.split('/').pop()!;
    lines.length = 0;

    const send = async (path: string, init: RequestInit = {}) => (await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'buy', ...init })).status;
    const encoded = secret.replace('whk_', '%77hk_');
    expect(await send(created.url)).toBe(202);
    expect(await send(`${created.url}?from=tv`)).toBe(202);
    expect(await send(`/hooks/${w.id}/${encoded}`)).toBe(202);
    expect(await send(`/%68ooks/${w.id}/${secret}`)).toBe(202);
    expect(await send(`/hooks/${w.id}/${secret}x`)).toBe(404);
    expect(await send(`/hooks/${secret}`)).toBe(404);
    expect(await send(`/hooks/${w.id}/${secret}/extra`)).toBe(404);
    expect(await send(created.url, { method: 'GET', body: undefined })).toBe(404);
    expect(await send(created.url, { body: 'x'.repeat(20_000) })).toBe(413);
    expect(await send(created.url, { headers: { 'content-type': 'application/json' }, body: '{nope' })).toBe(400);

    const log = lines.join('');
    const requests = lines.map((l) => JSON.parse(l) as { msg: string; req?: { url: string } }).filter((l) => l.msg === 'incoming request');
    expect(requests).toHaveLength(10);
    expect(requests[0]!.req!.url).toBe(`/hooks/${w.id}/[redacted]`);
    expect(requests.find((l) => l.req!.url === '/hooks/[redacted]')).toBeDefined();
    for (const needle of [secret, secret.slice(4), encoded, encodeURIComponent(secret)]) expect(log).not.toContain(needle);
  });

  it('redactUrl cuts everything after the worker id of /hooks/ URLs and leaves others alone', () => {
    const id = '3b1f7a52-8c3e-4d8e-9a53-5b8e6e0e7c11';
    expect(redactUrl(`/hooks/${id}/whk_abc?x=1`)).toBe(`/hooks/${id}/[redacted]`);
    expect(redactUrl(`/HOOKS/${id}/whk_abc`)).toBe(`/HOOKS/${id}/[redacted]`);
    expect(redactUrl('/hooks/whk_abc')).toBe('/hooks/[redacted]');
    expect(redactUrl('/hooks%2fwhk_abc')).toBe('/hooks/[redacted]');
    expect(redactUrl('/%zz/hooks/whk_abc')).toBe('/%zz/hooks/[redacted]');
    expect(redactUrl(`/api/workers/${id}/webhook`)).toBe(`/api/workers/${id}/webhook`);
    expect(redactUrl('/api/trades?symbol=BTCUSDT')).toBe('/api/trades?symbol=BTCUSDT');
  });
});
