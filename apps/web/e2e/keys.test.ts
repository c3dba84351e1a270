import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDashboard, startWeb, workerBody } from './harness.ts';
import type { Web } from './harness.ts';

let web: Web;
beforeAll(async () => { web = await startWeb(); });
afterAll(async () => { await web?.close(); });

describe('dashboard keys', () => {
  it('adds a key through the form: only the API hint is shown and the secrets are nowhere in the page', async () => {
    const user = await web.user();
    const s = await openDashboard(web, user.token);
    const { page } = s;
    const apiKey = `bg_${randomBytes(8).toString('hex')}WXYZ`;
    const secret = `sec${randomBytes(16).toString('hex')}`;
    const passphrase = `pass${randomBytes(8).toString('hex')}`;

    await page.locator('#key-add summary').click();
    // sim keys need no credentials: the API generates them, so the form hides the fields.
    expect(await page.locator('#key-credentials').isHidden()).toBe(true);
    await page.locator('#key-name').fill('my demo key');
    await page.locator('#key-mode').selectOption('demo');
    expect(await page.locator('#key-credentials').isVisible()).toBe(true);
    expect(await page.locator('#key-secret').getAttribute('type')).toBe('password');
    expect(await page.locator('#key-secret').getAttribute('autocomplete')).toBe('off');
    expect(await page.locator('#key-passphrase').getAttribute('type')).toBe('password');
    expect(await page.locator('#key-passphrase').getAttribute('autocomplete')).toBe('off');
    await page.locator('#key-api-key').fill(apiKey);
    await page.locator('#key-secret').fill(secret);
    await page.locator('#key-passphrase').fill(passphrase);
    await page.locator('#key-save').click();

    const row = page.locator('#keys tbody tr', { hasText: 'my demo key' });
    await row.waitFor({ timeout: 10_000 });
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(0, 3)).toEqual(['my demo key', 'demo', 'WXYZ']);
    expect(cells[3]).toMatch(/\d/);

    const listed = (await user.http('GET', '/api/keys')).json;
    expect(listed).toEqual([expect.objectContaining({ name: 'my demo key', mode: 'demo', apiKeyHint: 'WXYZ' })]);

    // Not in the markup, not in any input's value, not in storage, the URL, a request URL or the console.
    const html = await page.content();
    const values = (await page.locator('input, textarea, select').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))).join('\n');
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    for (const text of [secret, passphrase, apiKey]) {
      expect(html).not.toContain(text);
      expect(values).not.toContain(text);
      expect(storage).not.toContain(text);
      expect(page.url()).not.toContain(text);
      expect(s.requests.map((r) => r.url).join('\n')).not.toContain(text);
      expect(s.console.join('\n')).not.toContain(text);
    }
    expect(s.requests).toContainEqual({ method: 'POST', url: `${web.base}/api/keys` });
    await s.close();
  });

  it('rotates a demo key in place: the workers keep it, the secrets leave no trace', async () => {
    const user = await web.user();
    const key = (await user.http('POST', '/api/keys', { name: 'expiring', mode: 'demo', apiKey: 'bg_old_0000000001', secret: 'old-secret', passphrase: 'old-pass' })).json;
    const sim = (await user.http('POST', '/api/keys', { name: 'paper', mode: 'sim' })).json;
    const worker = (await user.http('POST', '/api/workers', { name: 'bound', code: 'export function tick(ctx) {}', schedule: { every: '1m' }, keyId: key.id, enabled: false })).json;
    const s = await openDashboard(web, user.token);
    const { page } = s;
    const row = page.locator(`#keys tr[data-key-id="${key.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await page.locator(`#keys tr[data-key-id="${sim.id}"]`).getByRole('button', { name: 'Rotate' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Rotate' }).click();
    expect(await page.locator('#key-rotate-title').innerText()).toBe('Replace the credentials of "expiring" (demo)');
    const [apiKey, secret, passphrase] = ['bg_rotated_00009876', 'rotated-secret-5c1e', 'rotated-pass-77a0'];
    await page.locator('#key-rotate-api-key').fill(apiKey);
    await page.locator('#key-rotate-secret').fill(secret);
    await page.locator('#key-rotate-passphrase').fill(passphrase);
    await page.locator('#key-rotate-save').click();
    await row.filter({ hasText: '9876' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#key-rotate').isHidden()).toBe(true);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(0, 3)).toEqual(['expiring', 'demo', '9876']);
    expect(cells[4]).toMatch(/\d/);
    expect(cells[5]).toBe('bound');
    const [listed] = (await user.http('GET', '/api/keys')).json;
    expect(listed).toMatchObject({ id: key.id, apiKeyHint: '9876', rotatedAt: expect.any(String) });
    expect((await user.http('GET', `/api/workers/${worker.id}`)).json.keyId).toBe(key.id);
    const html = await page.content();
    const values = (await page.locator('input').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))).join('\n');
    for (const text of [secret, passphrase, apiKey]) {
      expect(html).not.toContain(text);
      expect(values).not.toContain(text);
      expect(s.requests.map((r) => r.url).join('\n')).not.toContain(text);
    }
    expect(s.requests).toContainEqual({ method: 'PATCH', url: `${web.base}/api/keys/${key.id}` });
    await s.close();
  });

  it('adds a sim key without credentials', async () => {
    const user = await web.user();
    const s = await openDashboard(web, user.token);
    await s.page.locator('#key-add summary').click();
    await s.page.locator('#key-name').fill('paper');
    await s.page.locator('#key-save').click();
    await s.page.locator('#keys tbody tr', { hasText: 'paper' }).waitFor({ timeout: 10_000 });
    expect((await user.http('GET', '/api/keys')).json).toEqual([expect.objectContaining({ name: 'paper', mode: 'sim' })]);
    await s.close();
  });

  it('deleting a key in use shows the API 409 message, then "delete anyway" removes it', async () => {
    const user = await web.user();
    const key = (await user.http('POST', '/api/keys', { name: 'bound key', mode: 'sim' })).json;
    const worker = (await user.http('POST', '/api/workers', workerBody('uses-the-key', { keyId: key.id }))).json;
    const s = await openDashboard(web, user.token);
    const { page } = s;
    const row = page.locator(`#keys tr[data-key-id="${key.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.innerText()).toContain('uses-the-key');

    // Declining the confirmation sends nothing.
    s.answerNextDialog(false);
    await row.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => s.dialogs.length).toBe(1);
    expect(s.dialogs[0]).toContain('bound key');
    expect(s.requests.filter((r) => r.method === 'DELETE')).toEqual([]);

    await row.getByRole('button', { name: 'Delete' }).click();
    await page.locator('#error').filter({ hasText: 'key is used by 1 worker(s)' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#key-conflict').isVisible()).toBe(true);
    expect(await page.locator('#key-conflict-message').innerText()).toContain('uses-the-key');
    expect((await user.http('GET', '/api/keys')).json).toHaveLength(1);

    await page.locator('#key-force-delete').click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.locator('#key-conflict').isHidden()).toBe(true);
    expect(s.requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([
      `${web.base}/api/keys/${key.id}`, `${web.base}/api/keys/${key.id}?force=true`,
    ]);
    expect((await user.http('GET', '/api/keys')).json).toEqual([]);
    expect((await user.http('GET', `/api/workers/${worker.id}`)).json.keyId).toBeNull();
    await s.close();
  });
});
