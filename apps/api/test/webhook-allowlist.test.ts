// The webhook's sender allowlist: PUT /api/workers/:id/webhook/allowlist, and POST /hooks/… refusing
// senders outside it (after the secret matched), with TICKBOX_TRUST_PROXY deciding who the sender is.
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedis, QUEUE_NAMES } from '@tickbox/queue';
import { createHarness, createUser } from './harness.ts';
import type { Harness } from './harness.ts';

const TRADINGVIEW = ['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7'];

let h: Harness;
let manual: Queue;
let connection: ReturnType<typeof createRedis>;
beforeAll(async () => {
  h = await createHarness();
  connection = createRedis(inject('redisUrl'));
  manual = new Queue(QUEUE_NAMES.manual, { connection, prefix: h.prefix });
});
afterAll(async () => { await manual.close(); await connection.quit(); await h.close(); });

type Auth = { authorization: string };

async function worker(auth: Auth, enabled = true): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/workers', headers: auth, payload: { name: 'tv', code: 'export function tick() {}', schedule: { every: '1m' }, enabled } });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

async function hookUrl(auth: Auth, id: string, app = h.app): Promise<string> {
  const res = await app.inject({ method: 'POST', url: `/api/workers/${id}/webhook`, headers: auth });
  expect(res.statusCode).toBe(201);
  return res.json().url;
}

const allow = (auth: Auth, id: string, ips: unknown) =>
  h.app.inject({ method: 'PUT', url: `/api/workers/${id}/webhook/allowlist`, headers: auth, payload: { ips } });

const webhookOf = async (auth: Auth, id: string) => (await h.app.inject({ method: 'GET', url: `/api/workers/${id}`, headers: auth })).json().webhook;

/** An alert from `remoteAddress` (the TCP peer), with extra headers such as X-Forwarded-For. */
const alertFrom = (remoteAddress: string, url: string, headers: Record<string, string> = {}, app = h.app) =>
  app.inject({ method: 'POST', url, remoteAddress, headers: { 'content-type': 'text/plain', ...headers }, payload: 'buy' });

const queuedFor = async (workerId: string) => (await manual.getJobs(['waiting', 'delayed', 'prioritized'])).filter((j) => j.data.workerId === workerId);

describe('PUT /api/workers/:id/webhook/allowlist', () => {
  it('stores the entries normalised and without duplicates; worker views show them; [] accepts any sender again', async () => {
    const { auth } = await createUser(h.db);
    const id = await worker(auth);
    const res = await allow(auth, id, [' 52.89.214.238 ', '10.1.2.3/8', '::ffff:34.212.75.30', '2001:DB8::/32', '52.89.214.238/32']);
    expect(res.statusCode).toBe(200);
    const expected = ['52.89.214.238', '10.0.0.0/8', '34.212.75.30', '2001:db8::/32'];
    expect(res.json()).toEqual({ enabled: false, createdAt: null, allowedIps: expected });
    expect((await webhookOf(auth, id)).allowedIps).toEqual(expected);
    const list = (await h.app.inject({ method: 'GET', url: '/api/workers', headers: auth })).json();
    expect(list[0].webhook.allowedIps).toEqual(expected);
    expect((await h.db.worker.findUniqueOrThrow({ where: { id } })).webhookAllowedIps).toEqual(expected);

    const cleared = await allow(auth, id, []);
    expect(cleared.json().allowedIps).toEqual([]);
  });

  it('answers 400 naming the bad entry and its index, and keeps the stored list', async () => {
    const { auth } = await createUser(h.db);
    const id = await worker(auth);
    expect((await allow(auth, id, TRADINGVIEW)).statusCode).toBe(200);
    const cases: [unknown, RegExp][] = [
      [['1.2.3.4', '1.2.3.999'], /^body\.ips\[1\] "1\.2\.3\.999" is not an IPv4 or IPv6 address or CIDR range/],
      [['tradingview.com'], /^body\.ips\[0\] "tradingview\.com" is not an IPv4 or IPv6 address/],
      [['1.2.3.4', '', '5.6.7.8'], /^body\.ips\[1\] "" is empty$/],
      [['10.0.0.0/8', '10.0.0.0/33'], /^body\.ips\[1\] "10\.0\.0\.0\/33" is not a valid CIDR range: the prefix length of an IPv4 range is \/0 to \/32$/],
      [['2001:db8::/129'], /^body\.ips\[0\] "2001:db8::\/129" is not a valid CIDR range: .* IPv6 range is \/0 to \/128$/],
      [['10.0.0.0/x'], /^body\.ips\[0\] "10\.0\.0\.0\/x" is not a valid CIDR range/],
      [Array.from({ length: 33 }, (_, i) => `10.0.0.${i}`), /^body\.ips has 33 entries; a webhook allowlist holds at most 32$/],
      ['52.89.214.238', /^body\.ips must be array$/],
      [{ 0: '1.2.3.4' }, /^body\.ips must be array$/],
      [['1.2.3.4', 5], /^body\.ips\.1 must be string$/],
      [undefined, /^body\.ips\b/],
    ];
    for (const [ips, message] of cases) {
      const res = await allow(auth, id, ips);
      expect(res.statusCode, JSON.stringify(ips)).toBe(400);
      expect(res.json().error).toBe('invalid_request');
      expect(res.json().message).toMatch(message);
    }
    const bad = (await allow(auth, id, ['1.2.3.4', 'nope'])).json();
    expect(bad.details).toEqual({ index: 1, entry: 'nope' });
    const extra = await h.app.inject({ method: 'PUT', url: `/api/workers/${id}/webhook/allowlist`, headers: auth, payload: { ips: [], mode: 'x' } });
    expect(extra.json().message).toBe('body.mode is not a known field');
    const long = (await allow(auth, id, ['x'.repeat(500)])).json();
    expect(long.message.length).toBeLessThan(200);
    expect((await webhookOf(auth, id)).allowedIps).toEqual(TRADINGVIEW);
  });

  it("is the owner's only", async () => {
    const a = await createUser(h.db);
    const b = await createUser(h.db);
    const id = await worker(a.auth);
    expect((await allow(b.auth, id, TRADINGVIEW)).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'PUT', url: `/api/workers/${id}/webhook/allowlist`, payload: { ips: [] } })).statusCode).toBe(401);
    expect((await webhookOf(a.auth, id)).allowedIps).toEqual([]);
  });

  it('is kept when the URL is created, rotated or turned off (a later URL is never open to all), and forgotten when the worker is deleted', async () => {
    const { auth } = await createUser(h.db);
    const id = await worker(auth);
    // Set before the URL exists, so the URL is never open to any sender.
    expect((await allow(auth, id, TRADINGVIEW)).statusCode).toBe(200);
    const created = await h.app.inject({ method: 'POST', url: `/api/workers/${id}/webhook`, headers: auth });
    expect(created.json()).toMatchObject({ rotated: false, allowedIps: TRADINGVIEW });
    const first = created.json().url as string;
    expect(await webhookOf(auth, id)).toMatchObject({ enabled: true, allowedIps: TRADINGVIEW });
    expect((await alertFrom('203.0.113.9', first)).statusCode).toBe(403);
    const second = await hookUrl(auth, id);
    expect((await webhookOf(auth, id)).allowedIps).toEqual(TRADINGVIEW);
    expect((await alertFrom('203.0.113.9', second)).statusCode).toBe(403);
    expect((await alertFrom('34.212.75.30', second)).statusCode).toBe(202);

    expect((await h.app.inject({ method: 'DELETE', url: `/api/workers/${id}/webhook`, headers: auth })).statusCode).toBe(204);
    expect(await webhookOf(auth, id)).toEqual({ enabled: false, createdAt: null, allowedIps: TRADINGVIEW });
    // A new URL after turning off still accepts only the listed senders.
    const third = await hookUrl(auth, id);
    expect((await alertFrom('203.0.113.9', third)).statusCode).toBe(403);
    expect((await alertFrom('52.32.178.7', third)).statusCode).toBe(202);

    expect((await h.app.inject({ method: 'DELETE', url: `/api/workers/${id}`, headers: auth })).statusCode).toBe(204);
    expect(await h.db.worker.findUniqueOrThrow({ where: { id } })).toMatchObject({ webhookAllowedIps: [], webhookSecretHash: null });
    expect((await allow(auth, id, TRADINGVIEW)).statusCode).toBe(404);
  });
});

describe('POST /hooks/:workerId/:secret with an allowlist', () => {
  it('queues alerts from listed senders (IPv4-mapped ones too) and refuses others with 403, queueing nothing', async () => {
    const { auth } = await createUser(h.db);
    const id = await worker(auth);
    const url = await hookUrl(auth, id);
    await allow(auth, id, [...TRADINGVIEW, '2001:db8::/32']);

    const refused = await alertFrom('203.0.113.9', url);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ error: 'forbidden', message: "sender 203.0.113.9 is not in this webhook's allowlist" });
    const mappedRefused = await alertFrom('::ffff:203.0.113.9', url);
    expect(mappedRefused.json().message).toBe("sender 203.0.113.9 is not in this webhook's allowlist");
    expect((await alertFrom('2001:db9::1', url)).statusCode).toBe(403);
    expect(await queuedFor(id)).toEqual([]);
    expect(await h.db.tickRun.count({ where: { workerId: id } })).toBe(0);

    // Refused senders used up none of the worker's burst of 5.
    const accepted = [];
    for (const ip of ['52.89.214.238', '::ffff:54.218.53.128', '::ffff:3420:b207', '2001:db8:5::1']) {
      const res = await alertFrom(ip, url);
      expect(res.statusCode, ip).toBe(202);
      accepted.push(res.json().runId);
    }
    expect((await queuedFor(id)).map((j) => j.data.runId).sort()).toEqual(accepted.sort());
  });

  it('treats a NULL column (the array column is nullable, as prisma migrate makes it) as "any sender"', async () => {
    const { auth } = await createUser(h.db);
    const id = await worker(auth);
    const url = await hookUrl(auth, id);
    await h.db.$executeRaw`UPDATE "Worker" SET "webhookAllowedIps" = NULL WHERE id = ${id}::uuid`;
    expect((await webhookOf(auth, id)).allowedIps).toEqual([]);
    const res = await alertFrom('203.0.113.9', url);
    expect(res.statusCode).toBe(202);
  });

  it('answers 404 to a wrong secret even from a refused sender, and 403 before telling a refused sender the worker is disabled', async () => {
    const { auth } = await createUser(h.db);
    const id = await worker(auth, false);
    const url = await hookUrl(auth, id);
    await allow(auth, id, TRADINGVIEW);
    const wrong = await alertFrom('203.0.113.9', `/hooks/${id}/whk_${'A'.repeat(43)}`);
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json()).toEqual({ error: 'not_found', message: 'webhook not found' });
    expect((await alertFrom('203.0.113.9', url)).statusCode).toBe(403);
    expect((await alertFrom('52.89.214.238', url)).statusCode).toBe(409);
    expect(await queuedFor(id)).toEqual([]);
  });
});

describe('TICKBOX_TRUST_PROXY', () => {
  it('without it, X-Forwarded-For is ignored: the TCP peer is the sender', async () => {
    const { auth } = await createUser(h.db);
    const id = await worker(auth);
    const url = await hookUrl(auth, id);
    await allow(auth, id, TRADINGVIEW);
    const res = await alertFrom('127.0.0.1', url, { 'x-forwarded-for': '52.89.214.238' });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toBe("sender 127.0.0.1 is not in this webhook's allowlist");
    expect(await queuedFor(id)).toEqual([]);
  });

  it("with the proxy's address, X-Forwarded-For from that proxy names the sender, and only from it", async () => {
    const proxied = await createHarness({ prefix: h.prefix, trustProxy: ['127.0.0.1', '10.0.0.0/8'] });
    try {
      const { auth } = await createUser(h.db);
      const id = await worker(auth);
      const url = await hookUrl(auth, id, proxied.app);
      await allow(auth, id, TRADINGVIEW);
      const viaProxy = await alertFrom('10.1.2.3', url, { 'x-forwarded-for': '52.89.214.238' }, proxied.app);
      expect(viaProxy.statusCode).toBe(202);
      // A client that forges the header still ends up as the address the proxy appended.
      const forged = await alertFrom('127.0.0.1', url, { 'x-forwarded-for': '52.89.214.238, 203.0.113.9' }, proxied.app);
      expect(forged.json().message).toBe("sender 203.0.113.9 is not in this webhook's allowlist");
      // Straight to the api, not through the proxy: the header is not believed.
      const direct = await alertFrom('198.51.100.7', url, { 'x-forwarded-for': '52.89.214.238' }, proxied.app);
      expect(direct.json().message).toBe("sender 198.51.100.7 is not in this webhook's allowlist");

      // The same over a real socket.
      const base = await proxied.app.listen({ host: '127.0.0.1', port: 0 });
      const post = (forwardedFor: string) => fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-forwarded-for': forwardedFor }, body: 'buy' });
      expect((await post('34.212.75.30')).status).toBe(202);
      const refused = await post('203.0.113.9');
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ error: 'forbidden', message: "sender 203.0.113.9 is not in this webhook's allowlist" });
      expect((await queuedFor(id)).length).toBe(2);
    } finally {
      await proxied.close();
    }
  });
});
