import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '@tickbox/db';
import { openDashboard, startWeb } from './harness.ts';
import type { Web } from './harness.ts';

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
    const s = await openDashboard(web, user.token);
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
