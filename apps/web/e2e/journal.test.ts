import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '@tickbox/api';
import type { App } from '@tickbox/api';
import { createDb, Prisma } from '@tickbox/db';
import { createLogBus, createQueues, createRedis } from '@tickbox/queue';
import { createKeyring, generateToken, hashToken, parseMasterKeys } from '@tickbox/secrets';
import { WEB_ROOT } from '../src/index.ts';

const CHROMIUM = '/usr/bin/chromium';
const db = createDb(inject('databaseUrl'), { max: 2 });
const prefix = `web${randomUUID().slice(0, 6)}`;
const queues = createQueues(inject('redisUrl'), { prefix });
const logBus = createLogBus(inject('redisUrl'), prefix);
const redis = createRedis(inject('redisUrl'));
let app: App;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Debian's chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  app = await buildApp({
    db, queues, logBus, logger: false, webRoot: WEB_ROOT, pingRedis: async () => { await redis.ping(); },
    keyring: createKeyring(parseMasterKeys(`w:${randomBytes(32).toString('base64')}`), 'w'),
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await queues.close();
  await logBus.close();
  redis.disconnect();
  await db.$disconnect();
});

describe('dashboard', () => {
  it('lists the TradeLog rows of the signed-in user', async () => {
    const token = generateToken();
    const user = await db.user.create({ data: { name: `web-${randomUUID()}`, tokens: { create: { name: 't', tokenHash: hashToken(token) } } } });
    const clientOid = `tbx${randomUUID().replace(/-/g, '')}`;
    await db.tradeLog.create({ data: {
      userId: user.id, mode: 'sim', market: 'futures', action: 'place', symbol: 'BTCUSDT', side: 'buy', orderType: 'market',
      size: new Prisma.Decimal('0.001'), clientOid, orderId: '1190384645049036801', status: 'accepted', request: {},
    } });
    const page = await browser.newPage();
    await page.goto(`${base}/#token=${token}`);
    const row = page.locator(`tr[data-client-oid="${clientOid}"]`);
    await row.waitFor({ timeout: 10_000 });
    const text = await row.innerText();
    expect(text).toContain('BTCUSDT');
    expect(text).toContain('0.001');
    expect(text).toContain('1190384645049036801');
    expect(text).toContain('accepted');
    // The token moved from the URL into localStorage, so it is not left in the address bar.
    expect(page.url()).toBe(`${base}/`);
    await page.close();
  });

  it('asks for a token when none is stored', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.locator('#login-form').waitFor({ timeout: 10_000 });
    expect(await page.locator('#main').isHidden()).toBe(true);
    await page.close();
  });
});
