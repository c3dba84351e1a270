// Run now needs a scheduler: this file starts the scheduler test stack (apps/scheduler/test/stack.ts:
// BullMQ scheduler, sandbox runner processes, simulator, on the test PostgreSQL and Redis) and
// serves the dashboard from a second api on the stack's database and queues.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDashboard, workerBody } from './harness.ts';
import type { Web } from './harness.ts';
import { startWebOnStack } from './web-on-stack.ts';

let web: Web;
let stop: (() => Promise<void>) | undefined;
beforeAll(async () => { ({ web, stop } = await startWebOnStack({ runTimeoutMs: 20_000 })); });
afterAll(async () => { await stop?.(); });

const COUNTER = `export async function tick(ctx) {
  const n = ctx.state.get("n", 0) + 1;
  ctx.state.set("n", n);
  ctx.log.info("<b>hello</b>", n);
  ctx.log.warn("done", n);
}`;

describe('dashboard run now', () => {
  it('shows the status, duration and logs of the tick the scheduler ran, and its state', async () => {
    const user = await web.user();
    const created = (await user.http('POST', '/api/workers', workerBody('counter', { code: COUNTER }))).json;
    const s = await openDashboard(web, user.token);
    const { page } = s;
    const row = page.locator(`#workers tr[data-worker-id="${created.id}"]`);
    await row.getByRole('button', { name: 'Run now' }).click();
    await page.locator('#run-status').filter({ hasText: /^ok in [\d.]+ ms/ }).waitFor({ timeout: 25_000 });
    expect(await page.locator('#run-worker').innerText()).toBe('counter');
    expect(await page.locator('#run-logs').innerText()).toMatch(/INFO {2}<b>hello<\/b> 1\n.*WARN {2}done 1/);
    expect(await page.locator('#run-logs b').count()).toBe(0);
    expect(await page.locator('#run-error').isHidden()).toBe(true);

    await row.getByRole('button', { name: 'State' }).click();
    await page.locator('#state-json').filter({ hasText: '"n": 1' }).waitFor({ timeout: 10_000 });
    await s.close();
  });

  it('shows the error of a failing tick', async () => {
    const user = await web.user();
    const created = (await user.http('POST', '/api/workers', workerBody('broken', {
      code: 'export async function tick(ctx) { ctx.log.info("about to fail"); throw new Error("boom"); }',
    }))).json;
    const s = await openDashboard(web, user.token);
    const { page } = s;
    await page.locator(`#workers tr[data-worker-id="${created.id}"]`).getByRole('button', { name: 'Run now' }).click();
    await page.locator('#run-status').filter({ hasText: /^error in [\d.]+ ms/ }).waitFor({ timeout: 25_000 });
    expect(await page.locator('#run-logs').innerText()).toContain('about to fail');
    expect(await page.locator('#run-error').innerText()).toMatch(/^Error: boom\n {0,4}at tick \(worker\.js:1:\d+\)$/);
    // A failed tick is the worker's outcome, not an API error.
    expect(await page.locator('#error').isHidden()).toBe(true);
    await s.close();
  });
});
