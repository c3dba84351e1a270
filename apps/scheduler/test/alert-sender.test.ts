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
  server = createServer((_req, res) => { hits++; res.writeHead(204).end(); });
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
        await expect(strict.deliver({ userId, kind: 'test', at: new Date().toISOString() }), url).rejects.toThrow(message);
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
    } finally {
      await open.close();
    }
  });
});
