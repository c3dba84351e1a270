import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '@tickbox/db';
import { readFile } from 'node:fs/promises';
import { openDashboard, startWeb, workerBody } from './harness.ts';
import type { User, Web } from './harness.ts';

let web: Web;
beforeAll(async () => { web = await startWeb(); });
afterAll(async () => { await web?.close(); });

describe('dashboard', () => {
  it('lists the TradeLog rows of the signed-in user', async () => {
    const user = await web.user();
    const clientOid = `tbx${randomUUID().replace(/-/g, '')}`;
    await web.db.tradeLog.create({ data: {
      userId: user.id, mode: 'sim', market: 'futures', action: 'place', symbol: 'BTCUSDT', side: 'buy', orderType: 'market',
      size: new Prisma.Decimal('0.001'), price: new Prisma.Decimal('67012.123456789012345678'), fee: new Prisma.Decimal('-0.012345678901234567'),
      clientOid, orderId: '1190384645049036801', status: 'accepted', request: {},
    } });
    // A trigger order that fired: its row names the order it placed.
    const planOid = `tbx${randomUUID().replace(/-/g, '')}`;
    await web.db.tradeLog.create({ data: {
      userId: user.id, mode: 'sim', market: 'futures', action: 'plan', symbol: 'ETHUSDT', side: 'buy', orderType: 'limit',
      size: new Prisma.Decimal('0.1'), price: new Prisma.Decimal('3105'), clientOid: planOid, orderId: '1190384645049036802',
      triggeredOrderId: '1190384645049036803', status: 'filled', fillSize: new Prisma.Decimal('0.1'), request: {},
    } });
    const s = await openDashboard(web, user.token);
    const planRow = s.page.locator(`tr[data-client-oid="${planOid}"]`);
    await planRow.waitFor({ timeout: 10_000 });
    expect(await planRow.innerText()).toMatch(/limit · trigger[\s\S]*1190384645049036802 → 1190384645049036803/);
    const row = s.page.locator(`tr[data-client-oid="${clientOid}"]`);
    await row.waitFor({ timeout: 10_000 });
    const text = await row.innerText();
    expect(text).toContain('BTCUSDT');
    expect(text).toContain('0.001');
    // Decimals are shown as the API's strings: no float rounding, no exponent notation.
    expect(text).toContain('67012.123456789012345678');
    expect(text).toContain('-0.012345678901234567');
    expect(text).toContain('1190384645049036801');
    expect(text).toContain('accepted');
    // The token moved from the URL into localStorage, so it is not left in the address bar.
    expect(s.page.url()).toBe(`${web.base}/`);
    await s.close();
  });

  it('asks for a token when none is stored', async () => {
    const page = await web.browser.newPage();
    await page.goto(`${web.base}/`);
    await page.locator('#login-form').waitFor({ timeout: 10_000 });
    expect(await page.locator('#main').isHidden()).toBe(true);
    await page.close();
  });

  it('an invalid token is refused with the API message and the login form comes back', async () => {
    const page = await web.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${web.base}/#token=not-a-valid-token`);
    await page.locator('#error').filter({ hasText: 'invalid API token' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#login').isVisible()).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('tickbox.token'))).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** A journal row of `user` (defaults: a filled market buy). */
async function trade(user: User, fields: Record<string, unknown>) {
  const clientOid = `tbx${randomUUID().replace(/-/g, '')}`;
  const dec = (v: unknown) => (v === undefined || v === null ? null : new Prisma.Decimal(String(v)));
  const { size = '0.001', fillSize, fillPrice, fee, realizedPnl, ...rest } = fields;
  await web.db.tradeLog.create({ data: {
    userId: user.id, mode: 'sim', market: 'futures', action: 'place', symbol: 'BTCUSDT', side: 'buy', orderType: 'market',
    status: 'filled', request: {}, clientOid, size: dec(size), fillSize: dec(fillSize), fillPrice: dec(fillPrice), fee: dec(fee), realizedPnl: dec(realizedPnl),
    ...rest,
  } });
  return clientOid;
}

describe('dashboard journal: filters, totals, more rows, CSV', () => {
  it('filters by worker, symbol and status; the totals follow the worker and symbol', async () => {
    const user = await web.user();
    const a = (await user.http('POST', '/api/workers', workerBody('alpha'))).json;
    const b = (await user.http('POST', '/api/workers', workerBody('beta'))).json;
    const aBtc = await trade(user, { workerId: a.id, fillSize: '0.001', fillPrice: '60000.1', fee: '-0.036', realizedPnl: '1.25' });
    const aEth = await trade(user, { workerId: a.id, symbol: 'ETHUSDT', status: 'rejected', errorMessage: 'Insufficient balance' });
    const bBtc = await trade(user, { workerId: b.id, status: 'accepted', orderType: 'limit', price: '59000' });
    const s = await openDashboard(web, user.token);
    const { page } = s;
    const shownOids = async () => (await page.locator('#trades tbody tr').evaluateAll((rows: any[]) => rows.map((r) => r.dataset.clientOid))).sort();
    const summaryRows = async () => (await page.locator('#summary tbody tr').allInnerTexts()).map((t) => t.split('\t').map((c) => c.trim()));
    await page.locator('#trades tbody tr').nth(2).waitFor({ timeout: 10_000 });
    expect(await shownOids()).toEqual([aBtc, aEth, bBtc].sort());
    expect(await page.locator(`tr[data-client-oid="${aBtc}"]`).innerText()).toMatch(/\b0\.001\s+60000\.1\s+-0\.036\s+1\.25\s+filled/);
    expect(await summaryRows()).toEqual([
      ['alpha', 'BTCUSDT', '1', '1', '0', '60.0001', '-0.036', '1.25'],
      ['alpha', 'ETHUSDT', '1', '0', '1', '0', '0', '0'],
      ['beta', 'BTCUSDT', '1', '0', '0', '0', '0', '0'],
    ]);
    expect(await page.locator('#trades-count').innerText()).toBe('3 orders');
    expect(await page.locator('#trades-more').isHidden()).toBe(true);

    await page.locator('#filter-worker').selectOption(a.id);
    await expect.poll(() => page.locator('#trades tbody tr').count(), { timeout: 10_000 }).toBe(2);
    expect(await shownOids()).toEqual([aBtc, aEth].sort());
    expect((await summaryRows()).map((r) => r.slice(0, 2))).toEqual([['alpha', 'BTCUSDT'], ['alpha', 'ETHUSDT']]);

    await page.locator('#filter-symbol').fill('ethusdt');
    await expect.poll(() => page.locator('#trades tbody tr').count(), { timeout: 10_000 }).toBe(1);
    expect(await shownOids()).toEqual([aEth]);
    expect((await summaryRows()).map((r) => r.slice(0, 2))).toEqual([['alpha', 'ETHUSDT']]);

    await page.locator('#filter-status').selectOption('filled');
    await page.locator('#empty').filter({ hasText: 'No orders match these filters.' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#trades tbody tr').count()).toBe(0);

    // The CSV has every row of the filters (here: worker alpha, any symbol, filled).
    await page.locator('#filter-symbol').fill('');
    await expect.poll(() => page.locator('#trades tbody tr').count(), { timeout: 10_000 }).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#trades-csv').click()]);
    expect(download.suggestedFilename()).toBe('tickbox-trades.csv');
    const csv = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\n');
    expect(csv).toHaveLength(2);
    expect(csv[0]).toMatch(/^createdAt,id,workerId,/);
    expect(csv[1]).toContain(aBtc);
    expect(s.pageErrors).toEqual([]);
    await s.close();
  });

  it('shows the newest 100 orders and 100 more on request, up to what there is', async () => {
    const user = await web.user();
    const base = Date.now() - 1_000_000;
    await web.db.tradeLog.createMany({ data: Array.from({ length: 105 }, (_, i) => ({
      userId: user.id, mode: 'sim', market: 'futures', action: 'place', symbol: 'BTCUSDT', side: 'buy', orderType: 'market',
      status: 'filled', request: {}, clientOid: `tbx${randomUUID().replace(/-/g, '')}`, size: new Prisma.Decimal('0.001'), createdAt: new Date(base + i * 1000),
    })) });
    const s = await openDashboard(web, user.token);
    const { page } = s;
    await page.locator('#trades-count').filter({ hasText: 'the newest 100 orders' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#trades tbody tr').count()).toBe(100);
    await page.locator('#trades-more').click();
    await page.locator('#trades-count').filter({ hasText: /^105 orders$/ }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#trades tbody tr').count()).toBe(105);
    expect(await page.locator('#trades-more').isHidden()).toBe(true);
    await s.close();
  });

  it('serves the dashboard with a strict content security policy the page lives within', async () => {
    const res = await fetch(`${web.base}/`);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await fetch(`${web.base}/app.js`)).headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    const user = await web.user();
    const s = await openDashboard(web, user.token);
    await s.page.locator('#empty').filter({ hasText: 'No orders yet.' }).waitFor({ timeout: 10_000 });
    // Styles applied (the stylesheet loaded under the policy) and nothing refused.
    expect(await s.page.locator('#main').evaluate((e: any) => e.ownerDocument.defaultView.getComputedStyle(e.ownerDocument.body).margin)).toBe('0px');
    expect(s.console.filter((line) => /Content Security Policy/i.test(line))).toEqual([]);
    expect(s.pageErrors).toEqual([]);
    await s.close();
  });
});

describe('sign out', () => {
  it('forgets the token in this browser and shows the login form on a fresh page', async () => {
    const user = await web.user();
    const s = await openDashboard(web, user.token);
    const { page } = s;
    await page.locator('#sign-out').click();
    await page.locator('#login-form').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => localStorage.getItem('tickbox.token'))).toBeNull();
    expect(await page.locator('#main').isHidden()).toBe(true);
    expect(await page.locator('#sign-out').isHidden()).toBe(true);
    // The token itself is still valid (signing out is not revoking it).
    expect((await user.http('GET', '/api/me')).status).toBe(200);
    await s.close();
  });
});

describe('alerts', () => {
  it('sets the alert URL from a password input cleared once stored, shows only its host, tests and turns off', async () => {
    const user = await web.user();
    const s = await openDashboard(web, user.token);
    const { page } = s;
    await page.locator('#alerts-status').filter({ hasText: /^Off\./ }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#alerts-test').isHidden()).toBe(true);
    expect(await page.locator('#alerts-url').getAttribute('type')).toBe('password');
    const url = 'https://hooks.example.com/services/T1/B2/SECRET-in-url';
    await page.locator('#alerts-url').fill(url);
    await page.locator('#alerts-save').click();
    await page.locator('#alerts-status').filter({ hasText: /^On: alerts go to hooks\.example\.com / }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#alerts-url').inputValue()).toBe('');
    expect(await page.content()).not.toContain('SECRET-in-url');
    expect((await user.http('GET', '/api/me/alerts')).json).toMatchObject({ enabled: true, host: 'hooks.example.com' });
    expect(await page.locator('#alerts-status').innerText()).toContain('Nothing delivered yet');
    // The scheduler records a failed delivery: the section says so, in red.
    await web.db.user.update({ where: { id: user.id }, data: { alertLastError: 'the alert URL answered HTTP 404', alertLastErrorAt: new Date() } });
    await page.reload();
    await page.locator('#alerts-status.error-text').filter({ hasText: /The last delivery failed \(.+\): the alert URL answered HTTP 404\.$/ }).waitFor({ timeout: 10_000 });

    await page.locator('#alerts-test').click();
    await page.locator('#alerts-status').filter({ hasText: 'A test alert is on its way to hooks.example.com.' }).waitFor({ timeout: 10_000 });
    await page.locator('#alerts-off').click();
    await page.locator('#alerts-status').filter({ hasText: /^Off\./ }).waitFor({ timeout: 10_000 });
    expect((await user.http('GET', '/api/me/alerts')).json.enabled).toBe(false);

    await page.locator('#alerts-url').fill('ftp://nope');
    await page.locator('#alerts-save').click();
    await page.locator('#error').filter({ hasText: 'body.url must be an http(s) URL (got ftp)' }).waitFor({ timeout: 10_000 });
    expect(s.pageErrors).toEqual([]);
    await s.close();
  });
});
