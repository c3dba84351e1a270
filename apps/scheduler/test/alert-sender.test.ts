// The alert sender on its own, with private addresses NOT allowed (the default): it must refuse
// loopback in every spelling before a single byte reaches the receiver.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '@tickbox/db';
import type { Db } from '@tickbox/db';
import { createKeyring, parseMasterKeys } from '@tickbox/secrets';
import { createAlertSender } from '../src/alerts.ts';

let db: Db;
let server: Server;
let port: number;
let hits = 0;
const keyring = createKeyring(parseMasterKeys(`a:${randomBytes(32).toString('base64')}`), 'a');

beforeAll(async () => {
  db = createDb(inject('databaseUrl'), { max: 2 });
  server = createServer((req, res) => {
    hits++;
    // A revoked webhook answers 404, after a moment (so a test can change the URL meanwhile).
    if (req.url?.startsWith('/gone/')) setTimeout(() => res.writeHead(404).end(), 200);
    else res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await db?.$disconnect();
});

async function userWithAlertUrl(url: string): Promise<string> {
  const id = randomUUID();
  const sealed = keyring.encrypt(url, `alerts:${id}`);
  await db.user.create({ data: { id, name: `alerts-${id}`, alertCiphertext: sealed.ciphertext, alertKeyId: sealed.keyId, alertHost: new URL(url).host } });
  return id;
}

describe('alert sender', () => {
  it('refuses loopback written as an IP, a name, or IPv6 forms; sends when private addresses are allowed', async () => {
    const strict = createAlertSender({ db, keyring, logger: pino({ level: 'silent' }), allowPrivate: false });
    try {
      for (const [url, message] of [
        [`http://127.0.0.1:${port}/x`, /^the alert URL points at a private address \(127\.0\.0\.1\)/],
        [`http://[::ffff:127.0.0.1]:${port}/x`, /^the alert URL points at a private address/],
        [`http://[::1]:${port}/x`, /^the alert URL points at a private address \(::1\)/],
        [`http://localhost:${port}/x`, /resolves to a private address/],
      ] as const) {
        const userId = await userWithAlertUrl(url);
        const refused = await strict.deliver({ userId, kind: 'test', at: new Date().toISOString() }).then(() => undefined, (e: Error) => e);
        expect(refused?.message, url).toMatch(message);
        // Trying again would not help: the queue is told not to.
        expect(refused?.name, url).toBe('UnrecoverableError');
        // The user can see why (GET /api/me/alerts), without the URL.
        const seen = await db.user.findUniqueOrThrow({ where: { id: userId } });
        expect(seen.alertLastError).toMatch(message);
        expect(seen.alertLastErrorAt).toBeInstanceOf(Date);
        expect(seen.alertLastSentAt).toBeNull();
      }
      expect(hits).toBe(0);
      // A user without an alert URL: nothing to do.
      const none = randomUUID();
      await db.user.create({ data: { id: none, name: `alerts-${none}` } });
      expect(await strict.deliver({ userId: none, kind: 'test', at: new Date().toISOString() })).toBe('no-url');
    } finally {
      await strict.close();
    }
    const open = createAlertSender({ db, keyring, logger: pino({ level: 'silent' }), allowPrivate: true });
    try {
      const userId = await userWithAlertUrl(`http://localhost:${port}/x`);
      expect(await open.deliver({ userId, kind: 'test', at: new Date().toISOString() })).toBe('sent');
      expect(hits).toBe(1);
      expect(await db.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({ alertLastSentAt: expect.any(Date), alertLastError: null });

      // A revoked webhook (404): retried by the queue (a plain Error), recorded without its token.
      const gone = await userWithAlertUrl(`http://localhost:${port}/gone/T0KEN-123?sig=abc`);
      const failed = await open.deliver({ userId: gone, kind: 'test', at: new Date().toISOString() }).then(() => undefined, (e: Error) => e);
      expect(failed).toMatchObject({ name: 'Error', message: 'the alert URL answered HTTP 404' });
      const seen = await db.user.findUniqueOrThrow({ where: { id: gone } });
      expect(seen.alertLastError).toBe('the alert URL answered HTTP 404');
      // The URL changed while a delivery was on its way: its outcome is not written onto the new URL.
      const before = hits;
      const slow = open.deliver({ userId: gone, kind: 'test', at: new Date().toISOString() }).then(() => undefined, (e: Error) => e);
      while (hits === before) await new Promise((r) => setTimeout(r, 5));
      await db.user.update({ where: { id: gone }, data: { alertUpdatedAt: new Date(), alertLastError: null, alertLastErrorAt: null } });
      expect(await slow).toMatchObject({ message: 'the alert URL answered HTTP 404' });
      expect((await db.user.findUniqueOrThrow({ where: { id: gone } })).alertLastError).toBeNull();
    } finally {
      await open.close();
    }
  });
});
