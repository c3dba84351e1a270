// Shared setup of the dashboard's browser tests: the real api (on the test PostgreSQL and Redis)
// serving apps/web/public, users with tokens, and Debian's chromium driven by playwright-core.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { buildApp } from '@tickbox/api';
import type { App } from '@tickbox/api';
import { createDb } from '@tickbox/db';
import type { Db } from '@tickbox/db';
import { createLogBus, createQueues, createRedis } from '@tickbox/queue';
import type { Queues } from '@tickbox/queue';
import { createKeyring, generateToken, hashToken, parseMasterKeys } from '@tickbox/secrets';
import type { Keyring } from '@tickbox/secrets';
import { WEB_ROOT } from '../src/index.ts';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`browser tests need Debian's chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface Web {
  base: string;
  db: Db;
  queues: Queues;
  browser: Browser;
  /** A fresh user; `http` calls the API as that user. */
  user(): Promise<User>;
  close(): Promise<void>;
}

export interface User {
  id: string;
  token: string;
  http(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }>;
}

export interface WebOptions {
  /** Run on these parts (e.g. the scheduler test stack's) instead of fresh ones. */
  db?: Db;
  queues?: Queues;
  keyring?: Keyring;
  /** How long POST /run waits for a scheduler. */
  runTimeoutMs?: number;
}

/** The api with the dashboard on a free port, plus a browser. Parts passed in are not closed. */
export async function startWeb(options: WebOptions = {}): Promise<Web> {
  const prefix = `web${randomUUID().slice(0, 6)}`;
  const db = options.db ?? createDb(inject('databaseUrl'), { max: 3 });
  const queues = options.queues ?? createQueues(inject('redisUrl'), { prefix });
  const logBus = createLogBus(inject('redisUrl'), prefix);
  const redis = createRedis(inject('redisUrl'));
  const keyring = options.keyring ?? createKeyring(parseMasterKeys(`w:${randomBytes(32).toString('base64')}`), 'w');
  let app: App | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await app?.close();
    await logBus.close();
    redis.disconnect();
    if (!options.queues) await queues.close();
    if (!options.db) await db.$disconnect();
  };
  try {
    app = await buildApp({
      db, queues, logBus, keyring, logger: false, webRoot: WEB_ROOT, runTimeoutMs: options.runTimeoutMs,
      pingRedis: async () => { await redis.ping(); },
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    return {
      base, db, queues, browser, close,
      async user() {
        const token = generateToken();
        const row = await db.user.create({ data: { name: `web-${randomUUID()}`, tokens: { create: { name: 't', tokenHash: hashToken(token) } } } });
        return { id: row.id, token, http: (method, path, body) => call(base, token, method, path, body) };
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

export async function call(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

export interface Session {
  page: Page;
  /** Uncaught exceptions and unhandled rejections in the page. */
  pageErrors: string[];
  /** Everything the page wrote to the console. */
  console: string[];
  /** Every URL the page requested. */
  requests: { method: string; url: string }[];
  /** Messages of the confirm() dialogs shown so far. */
  dialogs: string[];
  /** The answer to the next confirm() (then back to accepting). */
  answerNextDialog(accept: boolean): void;
  /** Asserts the page had no uncaught errors, then closes it. */
  close(): Promise<void>;
}

/** Opens the dashboard signed in with `token` and waits for the first load. */
export async function openDashboard(web: Web, token: string): Promise<Session> {
  const page = await web.browser.newPage();
  const pageErrors: string[] = [];
  const consoleLines: string[] = [];
  const requests: { method: string; url: string }[] = [];
  const dialogs: string[] = [];
  let next: boolean | undefined;
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => consoleLines.push(msg.text()));
  page.on('request', (req) => requests.push({ method: req.method(), url: req.url() }));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    const accept = next ?? true;
    next = undefined;
    void (accept ? dialog.accept() : dialog.dismiss());
  });
  await page.goto(`${web.base}/#token=${token}`);
  await page.locator('#who').filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
  return {
    page, pageErrors, console: consoleLines, requests, dialogs,
    answerNextDialog(accept) { next = accept; },
    async close() {
      expect(pageErrors).toEqual([]);
      await page.close();
    },
  };
}

/** A minimal valid worker body for POST /api/workers. */
export const workerBody = (name: string, extra: Record<string, unknown> = {}) => ({
  name, code: 'export async function tick(ctx) { ctx.log.info("hi"); }', schedule: { every: '1m' }, enabled: false, ...extra,
});
