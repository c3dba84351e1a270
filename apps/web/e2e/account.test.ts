// The Account panel needs a scheduler to read the exchange: this file starts the scheduler test
// stack (BullMQ scheduler, sandbox runner processes, simulator) and serves the dashboard from a
// second api on the stack's database and queues, as run-now.test.ts does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDashboard } from './harness.ts';
import type { Web } from './harness.ts';
import { startWebOnStack } from './web-on-stack.ts';

let web: Web;
let stop: (() => Promise<void>) | undefined;
beforeAll(async () => { ({ web, stop } = await startWebOnStack({ runTimeoutMs: 20_000 })); });
afterAll(async () => { await stop?.(); });

describe('dashboard account', () => {
  it("shows a key's balances and the position its worker opened, per product type", async () => {
    const user = await web.user();
    const key = (await user.http('POST', '/api/keys', { name: 'paper', mode: 'sim' })).json;
    const worker = (await user.http('POST', '/api/workers', {
      name: 'opener', schedule: { every: '1h' }, keyId: key.id, enabled: false,
      code: 'export async function tick(ctx) { await ctx.bitget.futures_place_order({ symbol: "BTCUSDT", side: "buy", size: "0.003" }); }',
    })).json;
    expect((await user.http('POST', `/api/workers/${worker.id}/run`)).json.status).toBe('ok');

    const s = await openDashboard(web, user.token);
    const { page } = s;
    await page.locator(`#keys tr[data-key-id="${key.id}"]`).getByRole('button', { name: 'Account' }).click();
    await page.locator('#account-status').filter({ hasText: /^USDT-FUTURES, read at / }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#account-key').innerText()).toBe('paper (sim)');
    const usdt = await page.locator('#account-balances tbody tr', { hasText: 'USDT' }).innerText();
    expect(usdt).toMatch(/^USDT\t\d/);
    const position = (await page.locator('#account-positions tbody tr').allInnerTexts()).map((t) => t.split('\t').slice(0, 3));
    expect(position).toEqual([['BTCUSDT', 'long', '0.003']]);
    expect(await page.locator('#account-no-positions').isHidden()).toBe(true);

    await page.locator('#account-product-type').selectOption('COIN-FUTURES');
    await page.locator('#account-status').filter({ hasText: /^COIN-FUTURES, read at / }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#account-positions tbody tr').count()).toBe(0);
    expect(await page.locator('#account-no-positions').isVisible()).toBe(true);
    await page.locator('#account-close').click();
    expect(await page.locator('#account-panel').isHidden()).toBe(true);
    expect(s.pageErrors).toEqual([]);
    await s.close();
  });

  it("shows the exchange's refusal in the error alert", async () => {
    const user = await web.user();
    const key = (await user.http('POST', '/api/keys', { name: 'unknown', mode: 'demo', apiKey: 'bg_not_on_exchange_1', secret: 's', passphrase: 'p' })).json;
    const s = await openDashboard(web, user.token);
    await s.page.locator(`#keys tr[data-key-id="${key.id}"]`).getByRole('button', { name: 'Account' }).click();
    await s.page.locator('#error').filter({ hasText: /^the exchange did not give the account: / }).waitFor({ timeout: 15_000 });
    expect(await s.page.locator('#account-status').innerText()).toBe('');
    await s.close();
  });
});
