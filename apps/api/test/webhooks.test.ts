import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedis, QUEUE_NAMES } from '@tickbox/queue';
import { hashToken } from '@tickbox/secrets';
import { createHarness, createUser } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
let manual: Queue;
let connection: ReturnType<typeof createRedis>;
beforeAll(async () => {
  h = await createHarness({ publicUrl: 'https://tickbox.example.com/' });
  connection = createRedis(inject('redisUrl'));
  manual = new Queue(QUEUE_NAMES.manual, { connection, prefix: h.prefix });
});
afterAll(async () => { await manual.close(); await connection.quit(); await h.close(); });

const CODE = 'export async function tick(ctx) { ctx.log.info(ctx.trigger.type); }';

async function worker(auth: { authorization: string }, enabled = true): Promise<{ id: string; name: string }> {
  const res = await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'hooked', code: CODE, schedule: { every: '1m' }, enabled } });
  expect(res.statusCode).toBe(201);
  return res.json();
}

async function webhook(auth: { authorization: string }, id: string): Promise<{ url: string; absoluteUrl: string; createdAt: string; rotated: boolean }> {
  const res = await h.app.inject({ method: 'POST', url: `/api/workers/${id}/webhook`, headers: auth });
  expect(res.statusCode).toBe(201);
  return res.json();
}

const post = (url: string, body?: string, contentType?: string) =>
  h.app.inject({ method: 'POST', url, payload: body, headers: contentType ? { 'content-type': contentType } : {} });

/** The job a 202 queued, as the scheduler will receive it. */
async function queuedJob(runId: string) {
  const jobs = await manual.getJobs(['waiting', 'delayed', 'prioritized']);
  return jobs.find((j) => j.data.runId === runId);
}

describe('POST/DELETE /api/workers/:id/webhook', () => {
  it('creates a secret URL shown once, rotates it (the old one stops working) and turns it off', async () => {
    const { auth } = await createUser(h.db);
    const w = await worker(auth);
    const before = (await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}`, headers: auth })).json();
    expect(before.webhook).toEqual({ enabled: false, createdAt: null, allowedIps: [] });

    const first = await webhook(auth, w.id);
    expect(first.url).toMatch(new RegExp(`^/hooks/${w.id}/whk_[A-Za-z0-9_-]{43}$`));
    expect(first.absoluteUrl).toBe(`https://tickbox.example.com${first.url}`);
    expect(first.rotated).toBe(false);
    const secret = first.url.split('/').pop()!;
    // Stored only as its hash; never shown again.
    const row = await h.db.worker.findUniqueOrThrow({ where: { id: w.id } });
    expect(row.webhookSecretHash).toBe(hashToken(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const detail = await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}`, headers: auth });
    const list = await h.app.inject({ method: 'GET', url: '/api/workers', headers: auth });
    expect(detail.json().webhook).toEqual({ enabled: true, createdAt: first.createdAt, allowedIps: [] });
    expect(list.json()[0].webhook.enabled).toBe(true);
    for (const body of [detail.body, list.body]) {
      expect(body).not.toContain(secret);
      expect(body).not.toContain(row.webhookSecretHash!);
    }
    expect((await post(first.url, 'hello', 'text/plain')).statusCode).toBe(202);

    const second = await webhook(auth, w.id);
    expect(second.rotated).toBe(true);
    expect(second.url).not.toBe(first.url);
    expect((await post(first.url, 'hello', 'text/plain')).statusCode).toBe(404);
    expect((await post(second.url, 'hello', 'text/plain')).statusCode).toBe(202);

    expect((await h.app.inject({ method: 'DELETE', url: `/api/workers/${w.id}/webhook`, headers: auth })).statusCode).toBe(204);
    expect((await post(second.url, 'hello', 'text/plain')).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'GET', url: `/api/workers/${w.id}`, headers: auth })).json().webhook).toEqual({ enabled: false, createdAt: null, allowedIps: [] });
    expect((await h.db.worker.findUniqueOrThrow({ where: { id: w.id } })).webhookSecretHash).toBeNull();
  });

  it("is the owner's only: another user's worker is 404, and so is a request without a token", async () => {
    const a = await createUser(h.db);
    const b = await createUser(h.db);
    const w = await worker(a.auth);
    expect((await h.app.inject({ method: 'POST', url: `/api/workers/${w.id}/webhook`, headers: b.auth })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/workers/${w.id}/webhook`, headers: b.auth })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'POST', url: `/api/workers/${w.id}/webhook` })).statusCode).toBe(401);
  });

  it('without TICKBOX_PUBLIC_URL the absolute URL is built on the host the request was sent to', async () => {
    const plain = await createHarness({ prefix: h.prefix });
    try {
      const { auth } = await createUser(h.db);
      const w = await worker(auth);
      const res = await plain.app.inject({ method: 'POST', url: `/api/workers/${w.id}/webhook`, headers: { ...auth, host: 'bots.example.org:8443' } });
      expect(res.json().absoluteUrl).toBe(`http://bots.example.org:8443${res.json().url}`);
    } finally {
      await plain.close();
    }
  });
});

describe('POST /hooks/:workerId/:secret', () => {
  it('queues one webhook run with the parsed JSON, or the text, as payload and answers 202 with its run id', async () => {
    const { auth } = await createUser(h.db);
    const w = await worker(auth);
    const { url } = await webhook(auth, w.id);
    const before = Date.now();

    const json = await post(url, '{"ticker":"BTCUSDT","action":"buy","price":67010.5}', 'application/json; charset=utf-8');
    expect(json.statusCode).toBe(202);
    expect(json.json()).toEqual({ queued: true, runId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const jsonJob = await queuedJob(json.json().runId);
    expect(jsonJob?.name).toBe('webhook');
    expect(jsonJob?.data).toMatchObject({ workerId: w.id, trigger: 'webhook', payload: { ticker: 'BTCUSDT', action: 'buy', price: 67010.5 } });
    expect(jsonJob!.data.receivedAt).toBeGreaterThanOrEqual(before);

    // TradingView sends text/plain unless the alert message is valid JSON.
    const text = await post(url, 'BTCUSDT crossing 67000', 'text/plain; charset=utf-8');
    expect(text.statusCode).toBe(202);
    expect((await queuedJob(text.json().runId))?.data.payload).toBe('BTCUSDT crossing 67000');
    // A JSON-looking text stays text: the content type decides.
    const jsonText = await post(url, '{"a":1}', 'text/plain');
    expect((await queuedJob(jsonText.json().runId))?.data.payload).toBe('{"a":1}');
    // No content type, or any other: the text as sent; no body: "".
    const other = await post(url, 'a=1&b=2', 'application/x-www-form-urlencoded');
    expect((await queuedJob(other.json().runId))?.data.payload).toBe('a=1&b=2');
    const empty = await post(url);
    expect(empty.statusCode).toBe(202);
    expect((await queuedJob(empty.json().runId))?.data.payload).toBe('');
  });

  it('answers 400 to a JSON content type whose body is not JSON', async () => {
    const { auth } = await createUser(h.db);
    const w = await worker(auth);
    const { url } = await webhook(auth, w.id);
    const res = await post(url, '{"action": buy}', 'application/json');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'invalid_json', message: expect.stringMatching(/not valid JSON/) });
  });

  it('answers the same 404 for an unknown worker, a wrong secret, no webhook, a malformed id and a deleted worker', async () => {
    const { auth } = await createUser(h.db);
    const w = await worker(auth);
    const { url } = await webhook(auth, w.id);
    const secret = url.split('/').pop()!;
    const noHook = await worker(auth);
    const gone = await worker(auth);
    const goneUrl = (await webhook(auth, gone.id)).url;
    expect((await h.app.inject({ method: 'DELETE', url: `/api/workers/${gone.id}`, headers: auth })).statusCode).toBe(204);

    const answers = await Promise.all([
      post(`/hooks/${w.id}/whk_${'A'.repeat(43)}`, 'x', 'text/plain'),
      post(`/hooks/${w.id}/${secret.slice(0, -1)}`, 'x', 'text/plain'),
      post(`/hooks/00000000-0000-4000-8000-000000000000/${secret}`, 'x', 'text/plain'),
      post(`/hooks/${noHook.id}/${secret}`, 'x', 'text/plain'),
      post(`/hooks/not-a-uuid/${secret}`, 'x', 'text/plain'),
      post(goneUrl, 'x', 'text/plain'),
      // The session token is no substitute for the secret.
      h.app.inject({ method: 'POST', url: `/hooks/${w.id}/x`, headers: { ...auth, 'content-type': 'text/plain' }, payload: 'x' }),
    ]);
    for (const res of answers) {
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'not_found', message: 'webhook not found' });
    }
    expect(await h.db.worker.findUniqueOrThrow({ where: { id: gone.id } })).toMatchObject({ webhookSecretHash: null, status: 'deleted' });
    // A method with no route (a browser opening the URL) does not echo the secret back either.
    const opened = await h.app.inject({ method: 'GET', url });
    expect(opened.statusCode).toBe(404);
    expect(opened.json()).toEqual({ error: 'not_found', message: `GET /hooks/${w.id}/[redacted] does not exist` });
  });

  it('answers 409 for a disabled worker and for one whose setup failed, and queues nothing', async () => {
    const { auth } = await createUser(h.db);
    const w = await worker(auth, false);
    const { url } = await webhook(auth, w.id);
    const disabled = await post(url, 'buy', 'text/plain');
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json()).toEqual({ error: 'conflict', message: 'worker hooked is disabled; enable it to accept webhook alerts' });

    await h.app.inject({ method: 'POST', url: `/api/workers/${w.id}/enable`, headers: auth });
    await h.db.worker.update({ where: { id: w.id }, data: { status: 'error', lastError: 'setup failed: boom' } });
    const failed = await post(url, 'buy', 'text/plain');
    expect(failed.statusCode).toBe(409);
    expect(failed.json().message).toMatch(/failed its setup/);
    const jobs = await manual.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.filter((j) => j.data.workerId === w.id)).toEqual([]);
  });

  it('caps the body at 16 KB (413), whether announced by Content-Length or not', async () => {
    const { auth } = await createUser(h.db);
    const w = await worker(auth);
    const { url } = await webhook(auth, w.id);
    expect((await post(url, 'x'.repeat(16 * 1024), 'text/plain')).statusCode).toBe(202);
    const big = await post(url, 'x'.repeat(16 * 1024 + 1), 'text/plain');
    expect(big.statusCode).toBe(413);
    expect(big.json()).toEqual({ error: 'payload_too_large', message: 'a webhook body may be at most 16384 bytes' });
    const bigJson = await post(url, JSON.stringify({ pad: 'y'.repeat(17 * 1024) }), 'application/json');
    expect(bigJson.statusCode).toBe(413);
    // Chunked (no Content-Length): the streamed body is cut off at the cap.
    const { Readable } = await import('node:stream');
    const chunked = await h.app.inject({ method: 'POST', url, headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' }, payload: Readable.from(['z'.repeat(10_000), 'z'.repeat(10_000)]) });
    expect(chunked.statusCode).toBe(413);
    expect(chunked.json().error).toBe('payload_too_large');
  });

  it('lets a burst of 5 alerts per worker through, then answers 429 with Retry-After; other workers are not affected', async () => {
    const { auth } = await createUser(h.db);
    const w = await worker(auth);
    const other = await worker(auth);
    const { url } = await webhook(auth, w.id);
    const otherUrl = (await webhook(auth, other.id)).url;
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await post(url, `alert ${i}`, 'text/plain'));
    expect(answers.map((r) => r.statusCode)).toEqual([202, 202, 202, 202, 202, 429, 429]);
    const limited = answers[5]!;
    expect(limited.json()).toMatchObject({ error: 'rate_limited', message: expect.stringMatching(/too many alerts for this worker/) });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await post(otherUrl, 'alert', 'text/plain')).statusCode).toBe(202);
    const queued = (await manual.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.data.workerId === w.id);
    expect(queued.map((j) => j.data.payload).sort()).toEqual(['alert 0', 'alert 1', 'alert 2', 'alert 3', 'alert 4']);
    // One more slot a second later.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post(url, 'later', 'text/plain')).statusCode).toBe(202);
    expect((await post(url, 'too soon', 'text/plain')).statusCode).toBe(429);
  });
});

describe('OpenAPI', () => {
  it('documents the webhook routes; the hook itself needs no bearer token', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/workers/{id}/webhook', '/hooks/{workerId}/{secret}']));
    expect(doc.paths['/hooks/{workerId}/{secret}'].post.security).toEqual([]);
    expect(Object.keys(doc.paths['/hooks/{workerId}/{secret}'].post.responses)).toEqual(expect.arrayContaining(['202', '403', '404', '409', '413', '429']));
    expect(doc.paths['/api/workers/{id}/webhook/allowlist'].put.requestBody.content['application/json'].schema.properties.ips.type).toBe('array');
  });
});
