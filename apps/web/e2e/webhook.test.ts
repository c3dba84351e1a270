// The webhook panel against the whole product: the dashboard creates, rotates and turns off a
// worker's secret URL, and alerts POSTed to it (from this test, as TradingView would) really run
// the worker in the scheduler test stack (apps/scheduler/test/stack.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../scheduler/test/stack.ts';
import { openDashboard, workerBody } from './harness.ts';
import type { Session, User, Web } from './harness.ts';
import { startWebOnStack } from './web-on-stack.ts';

let web: Web;
let stop: (() => Promise<void>) | undefined;
beforeAll(async () => { ({ web, stop } = await startWebOnStack()); });
afterAll(async () => { await stop?.(); });

// Far-away schedule: the only runs are the ones the alerts cause.
const YEARLY = { cron: '0 0 1 1 *' };
const ECHO = 'export async function tick(ctx) { ctx.log.info("alert " + ctx.trigger.type + " " + JSON.stringify(ctx.trigger.payload)); }';

const row = (s: Session, workerId: string) => s.page.locator(`#workers tr[data-worker-id="${workerId}"]`);

async function alert(url: string, payload: unknown) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  return { status: res.status, json: await res.json() as { queued?: boolean; runId?: string; error?: string } };
}

/** The run an alert became, once the scheduler finished it, as GET /api/workers/:id/runs shows it. */
const finishedRun = (user: User, workerId: string, runId: string) => until(`run ${runId} finished`, async () => {
  const runs = (await user.http('GET', `/api/workers/${workerId}/runs`)).json as { id: string; status: string }[];
  const run = runs.find((r) => r.id === runId);
  return run && run.status !== 'running' ? run : undefined;
});

/** Everything in the page and its storage where a URL could linger (a string: no DOM typings here). */
const pageText = (s: Session) => s.page.evaluate<string>(`[
  document.documentElement.outerHTML,
  document.body.innerText,
  ...Array.from(document.querySelectorAll('input, textarea'), (e) => e.value),
  JSON.stringify({ ...localStorage }),
  JSON.stringify({ ...sessionStorage }),
].join(' ')`);

describe('dashboard webhook', () => {
  it('creates the URL, shows it once, alerts sent to it run the worker; rotate and turn off', async () => {
    const user = await web.user();
    const created = (await user.http('POST', '/api/workers', workerBody('tv-alerts', { code: ECHO, schedule: YEARLY, enabled: true }))).json;
    const s = await openDashboard(web, user.token);
    const { page } = s;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.base });
    const r = row(s, created.id);
    expect(await r.locator('td.webhook').innerText()).toBe('no webhook');

    await r.getByRole('button', { name: 'Webhook' }).click();
    await page.locator('#webhook-panel').waitFor({ state: 'visible' });
    expect(await page.locator('#webhook-worker').innerText()).toBe('tv-alerts');
    expect(await page.locator('#webhook-status').innerText()).toMatch(/^No webhook/);
    expect(await page.locator('#webhook-rotate').isHidden()).toBe(true);
    expect(await page.locator('#webhook-off').isHidden()).toBe(true);
    expect(await page.locator('#webhook-secret').isHidden()).toBe(true);
    expect(await page.locator('#webhook-refused').isHidden()).toBe(true);
    expect(await page.locator('#webhook-example').innerText()).toContain("'<webhook URL>'");

    // Create: the URL is shown once, with the warning and a ready-to-run example.
    await page.locator('#webhook-create').click();
    await page.locator('#webhook-secret').waitFor({ state: 'visible', timeout: 10_000 });
    const url = await page.locator('#webhook-url').inputValue();
    expect(url).toMatch(new RegExp(`^${web.base}/hooks/${created.id}/whk_[\\w-]{20,}$`));
    expect(await page.locator('#webhook-url').getAttribute('readonly')).not.toBeNull();
    const note = await page.locator('#webhook-secret-note').innerText();
    expect(note).toContain('will not be shown again');
    expect(note).toContain('anyone who has it can trigger this worker');
    const example = await page.locator('#webhook-example').innerText();
    expect(example).toContain("-H 'content-type: application/json'");
    expect(example).toContain(`'${url}'`);
    expect(await page.locator('#webhook-howto').innerText()).toContain('Webhook URL');
    expect(await page.locator('#webhook-status').innerText()).toMatch(/^On since /);
    expect(await page.locator('#webhook-create').isHidden()).toBe(true);
    await r.locator('td.webhook', { hasText: /^webhook on since / }).waitFor({ timeout: 10_000 });
    expect((await user.http('GET', `/api/workers/${created.id}`)).json.webhook).toMatchObject({ enabled: true, createdAt: expect.any(String) });

    // Copy puts it on the clipboard; when the clipboard refuses, the text is selected instead.
    await page.locator('#webhook-copy').click();
    await page.locator('#webhook-copy-status', { hasText: 'Copied.' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(url);
    await page.evaluate(`navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'))`);
    await page.locator('#webhook-copy').click();
    await page.locator('#webhook-copy-status', { hasText: /^Selected/ }).waitFor();
    expect(await page.evaluate(`(() => {
      const f = document.activeElement;
      return { id: f.id, selected: f.value.slice(f.selectionStart, f.selectionEnd) };
    })()`)).toEqual({ id: 'webhook-url', selected: url });

    // An alert sent to the URL runs the tick with the payload as ctx.trigger.payload.
    const payload = { ticker: 'BTCUSDT', action: 'buy', size: '0.001' };
    const sent = await alert(url, payload);
    expect(sent).toEqual({ status: 202, json: { queued: true, runId: expect.any(String) } });
    const run = await finishedRun(user, created.id, sent.json.runId!);
    expect(run).toMatchObject({ phase: 'tick', trigger: 'webhook', status: 'ok', payload });
    await r.getByRole('button', { name: 'Logs' }).click();
    await page.locator('#logs').filter({ hasText: `alert webhook ${JSON.stringify(payload)}` }).waitFor({ timeout: 10_000 });
    await page.locator('#logs-close').click();

    // Rotate asks first; then the old URL is dead and the new one works.
    s.answerNextDialog(false);
    await page.locator('#webhook-rotate').click();
    await expect.poll(() => s.dialogs.length).toBe(1);
    expect(s.dialogs[0]).toContain('Rotate the webhook URL of "tv-alerts"? The current URL stops working');
    const stillWorks = await alert(url, { ping: 1 });
    expect(stillWorks.status).toBe(202);
    // Finished first, so that the next alert is not skipped as an overlapping run.
    await finishedRun(user, created.id, stillWorks.json.runId!);
    await page.locator('#webhook-rotate').click();
    await page.locator('#webhook-rotated', { hasText: 'previous URL has stopped working' }).waitFor({ timeout: 10_000 });
    const rotated = await page.locator('#webhook-url').inputValue();
    expect(rotated).toMatch(new RegExp(`^${web.base}/hooks/${created.id}/whk_`));
    expect(rotated).not.toBe(url);
    expect(await alert(url, { ping: 2 })).toEqual({ status: 404, json: { error: 'not_found', message: 'webhook not found' } });
    const second = await alert(rotated, { ping: 3 });
    expect(second.status).toBe(202);
    expect(await finishedRun(user, created.id, second.json.runId!)).toMatchObject({ trigger: 'webhook', status: 'ok', payload: { ping: 3 } });

    // Closing the panel forgets the URL: not in the page, its inputs or the browser's storage.
    const secrets = [url, rotated].map((u) => u.split('/').pop()!);
    expect(await pageText(s)).toContain(secrets[1]);
    await page.locator('#webhook-close').click();
    expect(await page.locator('#webhook-panel').isHidden()).toBe(true);
    const everywhere = await pageText(s);
    for (const secret of secrets) expect(everywhere).not.toContain(secret);
    expect(everywhere).not.toContain('/hooks/');

    // Reopened, it says the webhook is on but cannot show the URL again.
    await r.getByRole('button', { name: 'Webhook' }).click();
    await page.locator('#webhook-panel').waitFor({ state: 'visible' });
    expect(await page.locator('#webhook-status').innerText()).toMatch(/^On since /);
    expect(await page.locator('#webhook-secret').isHidden()).toBe(true);
    expect(await page.locator('#webhook-url').inputValue()).toBe('');

    // Turn off asks first; then the URL is dead and the row says so.
    s.answerNextDialog(false);
    await page.locator('#webhook-off').click();
    await expect.poll(() => s.dialogs.length).toBe(3);
    expect(s.dialogs[2]).toContain('Turn off the webhook of "tv-alerts"?');
    expect((await user.http('GET', `/api/workers/${created.id}`)).json.webhook.enabled).toBe(true);
    await page.locator('#webhook-off').click();
    await page.locator('#webhook-status', { hasText: /^No webhook/ }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#webhook-create').isVisible()).toBe(true);
    await r.locator('td.webhook', { hasText: /^no webhook$/ }).waitFor({ timeout: 10_000 });
    expect(await alert(rotated, { ping: 4 })).toEqual({ status: 404, json: { error: 'not_found', message: 'webhook not found' } });
    expect((await user.http('GET', `/api/workers/${created.id}`)).json.webhook).toEqual({ enabled: false, createdAt: null, allowedIps: [] });
    expect(await page.locator('#error').isHidden()).toBe(true);
    await page.locator('#webhook-close').click();
    expect(await pageText(s)).not.toContain('/hooks/');
    await s.close();
  });

  it('edits the accepted senders: TradingView IPs, other senders refused, API errors shown, kept on rotate and on turn off', async () => {
    const user = await web.user();
    const created = (await user.http('POST', '/api/workers', workerBody('tv-senders', { code: ECHO, schedule: YEARLY, enabled: true }))).json;
    const s = await openDashboard(web, user.token);
    const { page } = s;
    const senders = page.locator('#webhook-senders');
    const field = page.locator('#webhook-allowed-ips');
    const apiList = async () => (await user.http('GET', `/api/workers/${created.id}`)).json.webhook.allowedIps;
    await row(s, created.id).getByRole('button', { name: 'Webhook' }).click();
    await page.locator('#webhook-panel').waitFor({ state: 'visible' });
    expect(await senders.innerText()).toBe('Accepts alerts from any sender.');
    expect(await field.inputValue()).toBe('');

    // The button fills TradingView's four addresses; nothing is saved until Save.
    await page.locator('#webhook-allowlist-tradingview').click();
    expect(await field.inputValue()).toBe('52.89.214.238\n34.212.75.30\n54.218.53.128\n52.32.178.7');
    expect(await page.locator('#webhook-allowlist-status').innerText()).toMatch(/^Not saved yet/);
    expect(await apiList()).toEqual([]);
    await page.locator('#webhook-allowlist-save').click();
    await page.locator('#webhook-allowlist-status', { hasText: 'Saved.' }).waitFor({ timeout: 10_000 });
    expect(await senders.innerText()).toBe('Accepts alerts only from: 52.89.214.238, 34.212.75.30, 54.218.53.128, 52.32.178.7.');
    expect(await apiList()).toEqual(['52.89.214.238', '34.212.75.30', '54.218.53.128', '52.32.178.7']);

    // This test posts from 127.0.0.1, which is not TradingView: refused, and nothing runs.
    await page.locator('#webhook-create').click();
    await page.locator('#webhook-secret').waitFor({ state: 'visible', timeout: 10_000 });
    const url = await page.locator('#webhook-url').inputValue();
    expect(await senders.innerText()).toMatch(/^Accepts alerts only from: 52\.89\.214\.238/);
    expect(await alert(url, { action: 'buy' })).toEqual({ status: 403, json: { error: 'forbidden', message: "sender 127.0.0.1 is not in this webhook's allowlist" } });
    expect((await user.http('GET', `/api/workers/${created.id}/runs`)).json).toEqual([]);

    // Comma- or newline-separated; the API's normalised list comes back into the field.
    await field.fill('127.0.0.1, 10.1.2.3/8\n::1');
    await page.locator('#webhook-allowlist-save').click();
    await senders.filter({ hasText: 'Accepts alerts only from: 127.0.0.1, 10.0.0.0/8, ::1.' }).waitFor({ timeout: 10_000 });
    expect(await field.inputValue()).toBe('127.0.0.1\n10.0.0.0/8\n::1');
    const sent = await alert(url, { action: 'buy' });
    expect(sent.status).toBe(202);
    expect(await finishedRun(user, created.id, sent.json.runId!)).toMatchObject({ trigger: 'webhook', status: 'ok', payload: { action: 'buy' } });

    // A bad entry: the API's message (naming it) in the alert; the saved list is unchanged.
    await field.fill('1.2.3.4, nope');
    await page.locator('#webhook-allowlist-save').click();
    await page.locator('#error').filter({ hasText: 'body.ips[1] "nope" is not an IPv4 or IPv6 address or CIDR range' }).waitFor({ timeout: 10_000 });
    expect(await apiList()).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(await senders.innerText()).toBe('Accepts alerts only from: 127.0.0.1, 10.0.0.0/8, ::1.');
    expect(await page.locator('#webhook-panel').isVisible()).toBe(true);

    // Rotating keeps the list; so does turning off (a later URL is never open to every sender).
    await page.locator('#webhook-rotate').click();
    await page.locator('#webhook-rotated', { hasText: 'previous URL has stopped working' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#error').isHidden()).toBe(true);
    expect(await apiList()).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(await senders.innerText()).toBe('Accepts alerts only from: 127.0.0.1, 10.0.0.0/8, ::1.');
    await page.locator('#webhook-off').click();
    await page.locator('#webhook-status', { hasText: /^No webhook/ }).waitFor({ timeout: 10_000 });
    expect(s.dialogs.at(-1)).toContain('the accepted senders are kept');
    expect(await senders.innerText()).toBe('Accepts alerts only from: 127.0.0.1, 10.0.0.0/8, ::1.');
    expect(await apiList()).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    await s.close();
  });

  it('warns that a disabled worker refuses alerts, and shows the API error when the worker was deleted meanwhile', async () => {
    const user = await web.user();
    const created = (await user.http('POST', '/api/workers', workerBody('gone-soon', { schedule: YEARLY, enabled: false }))).json;
    const s = await openDashboard(web, user.token);
    const { page } = s;
    const r = row(s, created.id);
    await r.getByRole('button', { name: 'Webhook' }).click();
    await page.locator('#webhook-panel').waitFor({ state: 'visible' });
    expect(await page.locator('#webhook-refused').innerText()).toContain('This worker is disabled: its webhook answers 409');

    expect((await user.http('DELETE', `/api/workers/${created.id}`)).status).toBe(204);
    await page.locator('#webhook-create').click();
    await page.locator('#error').filter({ hasText: 'worker not found' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#webhook-panel').isHidden()).toBe(true);
    await r.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await pageText(s)).not.toContain('/hooks/');
    await s.close();
  });
});
