import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDashboard, startWeb, workerBody } from './harness.ts';
import type { Session, User, Web } from './harness.ts';

// No scheduler runs behind this api (run-now against a real one: run-now.test.ts), so a
// run-now here waits this long and then answers 503.
const RUN_TIMEOUT_MS = 1500;

let web: Web;
beforeAll(async () => { web = await startWeb({ runTimeoutMs: RUN_TIMEOUT_MS }); });
afterAll(async () => { await web?.close(); });

const BROKEN = 'export async function tick(ctx) {\n  let x = ;\n}\n';
const FIXED = 'export async function tick(ctx) {\n  let x = 1;\n  ctx.log.info("x", x);\n}\n';

const row = (s: Session, workerId: string) => s.page.locator(`#workers tr[data-worker-id="${workerId}"]`);
const rowByName = (s: Session, name: string) => s.page.locator('#workers tbody tr').filter({ has: s.page.locator('td.name', { hasText: name }) });

async function open(user: User) {
  const s = await openDashboard(web, user.token);
  return { s, page: s.page };
}

describe('dashboard workers', () => {
  it('a syntax error shows line:column next to the editor and moves the caret there; the fixed code saves', async () => {
    const user = await web.user();
    const { s, page } = await open(user);
    await page.locator('#new-worker').click();
    await page.locator('#editor-panel').waitFor({ state: 'visible' });
    expect(await page.locator('#worker-code').inputValue()).toContain('export async function tick(ctx)');
    const name = '<b>bold</b> & "quoted"';
    await page.locator('#worker-name').fill(name);
    await page.locator('#worker-schedule').fill('5s');
    await page.locator('#worker-code').fill(BROKEN);
    await page.locator('#worker-save').click();

    const editorError = page.locator('#editor-error');
    await editorError.filter({ hasText: '2:11' }).waitFor({ timeout: 10_000 });
    expect(await editorError.innerText()).toContain('Unexpected ";"');
    expect(await page.locator('#error').innerText()).toBe('Unexpected ";" (line 2, column 11)');
    // The caret sits on line 2, column 11 (the ";"), in the focused editor.
    const caret = await page.locator('#worker-code').evaluate((area: any) => ({
      focused: area.ownerDocument.activeElement === area, start: area.selectionStart, end: area.selectionEnd,
      at: area.value.slice(area.selectionStart, area.selectionStart + 1),
    }));
    expect(caret).toEqual({ focused: true, start: BROKEN.indexOf(';'), end: BROKEN.indexOf(';'), at: ';' });
    expect((await user.http('GET', '/api/workers')).json).toEqual([]);

    await page.locator('#worker-code').fill(FIXED);
    await page.locator('#worker-save').click();
    const saved = rowByName(s, name);
    await saved.waitFor({ timeout: 10_000 });
    expect(await page.locator('#editor-panel').isHidden()).toBe(true);
    expect(await page.locator('#error').isHidden()).toBe(true);
    // The name is text, not markup.
    expect(await page.locator('#workers tbody b').count()).toBe(0);
    const cells = await saved.locator('td').allInnerTexts();
    expect(cells.slice(0, 6)).toEqual([name, 'idle', 'every 5s', 'none', 'USDT-FUTURES', 'yes']);

    const [listed] = (await user.http('GET', '/api/workers')).json;
    const detail = (await user.http('GET', `/api/workers/${listed.id}`)).json;
    expect(detail).toMatchObject({ name, schedule: { every: '5s' }, enabled: true, keyId: null, productType: 'USDT-FUTURES', language: 'js', code: FIXED });
    await s.close();
  });

  it('Tab in the code editor inserts two spaces; Esc then Tab leaves it', async () => {
    const user = await web.user();
    const { s, page } = await open(user);
    await page.locator('#new-worker').click();
    const code = page.locator('#worker-code');
    await code.fill('');
    await code.press('a');
    await code.press('Tab');
    await code.press('b');
    expect(await code.inputValue()).toBe('a  b');
    expect(await code.evaluate((e: any) => e.ownerDocument.defaultView.getComputedStyle(e).fontFamily)).toMatch(/mono/i);
    await code.press('Escape');
    await code.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).not.toBe('worker-code');
    expect(await code.inputValue()).toBe('a  b');
    await page.locator('#editor-cancel').click();
    expect(await page.locator('#editor-panel').isHidden()).toBe(true);
    await s.close();
  });

  it('an invalid schedule is refused with the API message', async () => {
    const user = await web.user();
    const { s, page } = await open(user);
    await page.locator('#new-worker').click();
    await page.locator('#worker-name').fill('bad schedule');
    await page.locator('#worker-schedule').fill('5x');
    await page.locator('#worker-save').click();
    const message = 'schedule.every "5x" must look like 500ms, 5s, 1m, 2h or 1d';
    await page.locator('#error').filter({ hasText: message }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#editor-error').innerText()).toContain(message);
    expect(await page.locator('#editor-panel').isVisible()).toBe(true);
    await s.close();
  });

  it('a new worker starts with the only key chosen unless it is live; with several keys, with none', async () => {
    const live = await web.user();
    await live.http('POST', '/api/keys', { name: 'real money', mode: 'live', apiKey: 'bg_live_000000001', secret: 's', passphrase: 'p' });
    const l = await open(live);
    await l.page.locator('#new-worker').click();
    await l.page.locator('#editor-panel').waitFor({ state: 'visible' });
    expect(await l.page.locator('#worker-key').inputValue()).toBe('');
    await l.s.close();

    const user = await web.user();
    const first = (await user.http('POST', '/api/keys', { name: 'only key', mode: 'sim' })).json;
    const { s, page } = await open(user);
    await page.locator('#new-worker').click();
    await page.locator('#editor-panel').waitFor({ state: 'visible' });
    expect(await page.locator('#worker-key').inputValue()).toBe(first.id);
    await page.locator('#editor-cancel').click();
    await user.http('POST', '/api/keys', { name: 'second key', mode: 'sim' });
    await s.close();
    const again = await open(user);
    await again.page.locator('#new-worker').click();
    await again.page.locator('#editor-panel').waitFor({ state: 'visible' });
    expect(await again.page.locator('#worker-key').inputValue()).toBe('');
    await again.s.close();
  });

  it('Disable all stops every worker after a confirmation', async () => {
    const user = await web.user();
    const one = (await user.http('POST', '/api/workers', workerBody('one', { enabled: true }))).json;
    const two = (await user.http('POST', '/api/workers', workerBody('two', { enabled: true }))).json;
    const { s, page } = await open(user);
    await row(s, one.id).waitFor({ timeout: 10_000 });
    s.answerNextDialog(false);
    const before = s.dialogs.length;
    await page.locator('#disable-all').click();
    await expect.poll(() => s.dialogs.length).toBe(before + 1);
    expect(s.dialogs.at(-1)).toBe('Disable every worker now? Running ticks finish; open orders stay on the exchange.');
    expect((await user.http('GET', `/api/workers/${one.id}`)).json.enabled).toBe(true);
    await page.locator('#disable-all').click();
    await row(s, two.id).filter({ hasText: 'disabled' }).waitFor({ timeout: 10_000 });
    for (const w of [one, two]) expect((await user.http('GET', `/api/workers/${w.id}`)).json).toMatchObject({ enabled: false, status: 'disabled' });
    expect(await web.queues.isDeployed(one.id)).toBe(false);
    await s.close();
  });

  it('Edit sends only what changed: new code and schedule are a new version, a rename is not', async () => {
    const user = await web.user();
    const key = (await user.http('POST', '/api/keys', { name: 'sim key', mode: 'sim' })).json;
    const created = (await user.http('POST', '/api/workers', workerBody('editable', { schedule: { every: '1m' } }))).json;
    const { s, page } = await open(user);
    await row(s, created.id).getByRole('button', { name: 'Edit' }).click();
    await page.locator('#editor-panel').waitFor({ state: 'visible' });
    expect(await page.locator('#editor-title').innerText()).toBe('Edit worker — editable');
    expect(await page.locator('#worker-code').inputValue()).toBe(workerBody('x').code);
    expect(await page.locator('#worker-schedule-kind').inputValue()).toBe('every');
    expect(await page.locator('#worker-schedule').inputValue()).toBe('1m');
    expect(await page.locator('#worker-enabled').isChecked()).toBe(false);

    await page.locator('#worker-schedule-kind').selectOption('cron');
    await page.locator('#worker-schedule').fill('*/10 * * * * *');
    await page.locator('#worker-code').fill(FIXED);
    await page.locator('#worker-key').selectOption(key.id);
    await page.locator('#worker-product-type').selectOption('USDC-FUTURES');
    await page.locator('#worker-save').click();
    await row(s, created.id).filter({ hasText: 'cron */10 * * * * *' }).waitFor({ timeout: 10_000 });
    expect(await row(s, created.id).innerText()).toContain('sim key (sim)');

    const after = (await user.http('GET', `/api/workers/${created.id}`)).json;
    expect(after).toMatchObject({ schedule: { cron: '*/10 * * * * *' }, code: FIXED, keyId: key.id, productType: 'USDC-FUTURES', enabled: false });
    expect(after.versionId).not.toBe(created.versionId);
    expect(await web.db.workerVersion.count({ where: { workerId: created.id } })).toBe(2);
    expect(s.requests.filter((r) => r.method === 'PATCH').map((r) => r.url)).toEqual([`${web.base}/api/workers/${created.id}`]);

    // A rename does not re-send the code, so no new version (and no redeploy) is made.
    await row(s, created.id).getByRole('button', { name: 'Edit' }).click();
    await page.locator('#worker-name').fill('renamed');
    await page.locator('#worker-save').click();
    await row(s, created.id).locator('td.name', { hasText: 'renamed' }).waitFor({ timeout: 10_000 });
    const renamed = (await user.http('GET', `/api/workers/${created.id}`)).json;
    expect(renamed).toMatchObject({ name: 'renamed', versionId: after.versionId, code: FIXED });
    expect(await web.db.workerVersion.count({ where: { workerId: created.id } })).toBe(2);
    await s.close();
  });

  it('rolls back: choosing an earlier code version loads it, Save deploys it as a new version', async () => {
    const user = await web.user();
    const created = (await user.http('POST', '/api/workers', workerBody('versioned', { schedule: { every: '1m' } }))).json;
    const first = workerBody('x').code;
    expect((await user.http('PATCH', `/api/workers/${created.id}`, { code: FIXED })).status).toBe(200);
    const { s, page } = await open(user);
    await row(s, created.id).getByRole('button', { name: 'Edit' }).click();
    await page.locator('#version-row').waitFor({ state: 'visible' });
    expect(await page.locator('#worker-code').inputValue()).toBe(FIXED);
    const labels = await page.locator('#worker-version option').allInnerTexts();
    expect(labels).toHaveLength(2);
    expect(labels[0]).toMatch(/^current — \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ · js · 0 runs · 0 trades$/);
    await page.locator('#worker-version').selectOption({ index: 1 });
    await page.locator('#editor-status').filter({ hasText: 'Save to deploy it again' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#worker-code').inputValue()).toBe(first);
    // Back to the current one, then the old one again, then Save.
    await page.locator('#worker-version').selectOption({ index: 0 });
    await expect.poll(() => page.locator('#worker-code').inputValue()).toBe(FIXED);
    await page.locator('#worker-version').selectOption({ index: 1 });
    await expect.poll(() => page.locator('#worker-code').inputValue()).toBe(first);
    await page.locator('#worker-save').click();
    await page.locator('#workers-note').filter({ hasText: 'as a new version' }).waitFor({ timeout: 10_000 });
    const after = (await user.http('GET', `/api/workers/${created.id}`)).json;
    expect(after.code).toBe(first);
    expect(await web.db.workerVersion.count({ where: { workerId: created.id } })).toBe(3);

    // A worker with a single version shows no picker.
    const single = (await user.http('POST', '/api/workers', workerBody('single'))).json;
    await row(s, single.id).getByRole('button', { name: 'Edit' }).click();
    await page.locator('#editor-title').filter({ hasText: 'single' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#version-row').isHidden()).toBe(true);
    await s.close();
  });

  it('disables and enables a worker, and mutes its alerts', async () => {
    const user = await web.user();
    const created = (await user.http('POST', '/api/workers', workerBody('toggled', { enabled: false }))).json;
    const { s } = await open(user);
    const r = row(s, created.id);
    await r.locator('td.enabled', { hasText: 'no' }).waitFor({ timeout: 10_000 });
    expect(await web.queues.isDeployed(created.id)).toBe(false);

    await r.getByRole('button', { name: 'Enable' }).click();
    await r.locator('td.enabled', { hasText: 'yes' }).waitFor({ timeout: 10_000 });
    expect((await user.http('GET', `/api/workers/${created.id}`)).json).toMatchObject({ enabled: true, status: 'idle' });
    expect(await web.queues.isDeployed(created.id)).toBe(true);

    await r.getByRole('button', { name: 'Disable' }).click();
    await r.locator('td.enabled', { hasText: 'no' }).waitFor({ timeout: 10_000 });
    expect((await user.http('GET', `/api/workers/${created.id}`)).json).toMatchObject({ enabled: false, status: 'disabled' });
    expect(await web.queues.isDeployed(created.id)).toBe(false);

    // Alerts of this worker alone: muted, then on again.
    await r.getByRole('button', { name: 'Mute alerts' }).click();
    await r.getByRole('button', { name: 'Unmute alerts' }).waitFor({ timeout: 10_000 });
    expect((await user.http('GET', `/api/workers/${created.id}`)).json.alerts).toBe(false);
    await r.getByRole('button', { name: 'Unmute alerts' }).click();
    await r.getByRole('button', { name: 'Mute alerts' }).waitFor({ timeout: 10_000 });
    expect((await user.http('GET', `/api/workers/${created.id}`)).json.alerts).toBe(true);
    await s.close();
  });

  it('shows the state of a fresh worker, and resets state only after confirmation', async () => {
    const user = await web.user();
    const created = (await user.http('POST', '/api/workers', workerBody('stateful'))).json;
    const { s, page } = await open(user);
    await row(s, created.id).getByRole('button', { name: 'State' }).click();
    await page.locator('#state-panel').waitFor({ state: 'visible' });
    expect(await page.locator('#state-worker').innerText()).toBe('stateful');
    expect(await page.locator('#state-json').innerText()).toBe('{}');
    expect(await page.locator('#state-updated').innerText()).toContain('has not saved any state');

    await web.db.workerState.create({ data: { workerId: created.id, data: { n: 3, note: '<i>not markup</i>' } } });
    await row(s, created.id).getByRole('button', { name: 'State' }).click();
    await page.locator('#state-json').filter({ hasText: '"n": 3' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#state-json').innerText()).toBe('{\n  "n": 3,\n  "note": "<i>not markup</i>"\n}');

    s.answerNextDialog(false);
    await page.locator('#state-reset').click();
    await expect.poll(() => s.dialogs.length).toBe(1);
    expect(s.dialogs[0]).toContain('Reset the state of "stateful"');
    expect((await user.http('GET', `/api/workers/${created.id}/state`)).json.state).toEqual({ n: 3, note: '<i>not markup</i>' });

    await page.locator('#state-reset').click();
    await page.locator('#state-json').filter({ hasText: /^\{\}$/ }).waitFor({ timeout: 10_000 });
    expect((await user.http('GET', `/api/workers/${created.id}/state`)).json).toEqual({ state: {}, updatedAt: null });
    await s.close();
  });

  it('shows stored log lines as text in the logs panel', async () => {
    const user = await web.user();
    const created = (await user.http('POST', '/api/workers', workerBody('chatty'))).json;
    await web.db.tickRun.create({ data: {
      workerId: created.id, versionId: created.versionId, phase: 'tick', trigger: 'manual', startedAt: new Date(), status: 'ok',
      logs: { create: [{ workerId: created.id, level: 'warn', message: '<img src=x onerror="document.title=1"> careful', at: new Date() }] },
    } });
    const { s, page } = await open(user);
    await row(s, created.id).getByRole('button', { name: 'Logs' }).click();
    await page.locator('#logs').filter({ hasText: 'careful' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#logs').innerText()).toMatch(/WARN {2}<img src=x onerror="document.title=1"> careful/);
    expect(await page.locator('#logs img').count()).toBe(0);
    await page.locator('#logs-close').click();
    expect(await page.locator('#logs-panel').isHidden()).toBe(true);
    await s.close();
  });

  it('run now without a scheduler shows the API error', async () => {
    const user = await web.user();
    const created = (await user.http('POST', '/api/workers', workerBody('lonely'))).json;
    const { s, page } = await open(user);
    await row(s, created.id).getByRole('button', { name: 'Run now' }).click();
    await page.locator('#run-panel').waitFor({ state: 'visible' });
    const message = `no scheduler finished the run within ${RUN_TIMEOUT_MS / 1000}s; is the scheduler running?`;
    await page.locator('#error').filter({ hasText: message }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#run-status').innerText()).toBe(`Run failed: ${message}`);
    await row(s, created.id).getByRole('button', { name: 'Run now' }).waitFor();
    await s.close();
  });

  it('deletes a worker after confirmation', async () => {
    const user = await web.user();
    const created = (await user.http('POST', '/api/workers', workerBody('doomed'))).json;
    const { s, page } = await open(user);
    const r = row(s, created.id);
    await r.waitFor({ timeout: 10_000 });

    s.answerNextDialog(false);
    await r.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => s.dialogs.length).toBe(1);
    expect(s.dialogs[0]).toContain('Delete the worker "doomed"?');
    expect((await user.http('GET', `/api/workers/${created.id}`)).status).toBe(200);

    await r.getByRole('button', { name: 'Delete' }).click();
    await r.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await user.http('GET', `/api/workers/${created.id}`)).status).toBe(404);
    expect(await page.locator('#workers-empty').isVisible()).toBe(true);
    await s.close();
  });
});
