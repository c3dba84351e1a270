import { describe, expect, it } from 'vitest';
import { cli, useLiveCli } from './cli-harness.ts';

const live = useLiveCli();
const run = (...args: string[]) => cli(args, { env: live.env });

async function createWorker(name: string): Promise<string> {
  const res = await fetch(`${live.api.url}/api/workers`, {
    method: 'POST', headers: { authorization: `Bearer ${live.api.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, code: 'export function tick() {}', schedule: { every: '1m' } }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const alert = async (url: string) => (await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'buy' })).status;

describe('workers webhook', () => {
  it('prints the URL once, replaces it when asked again, and --off turns it off', async () => {
    const id = await createWorker('tv-bot');
    const first = await run('workers', 'webhook', 'tv-bot');
    expect(first.code, first.stderr).toBe(0);
    const url = new RegExp(`^  (${live.api.url}/hooks/${id}/whk_[A-Za-z0-9_-]{43})$`, 'm');
    expect(first.stdout).toMatch(/^webhook URL of worker tv-bot:\n\n/);
    expect(first.stdout).toMatch(/It is shown only now\./);
    const firstUrl = url.exec(first.stdout)![1]!;
    expect(await alert(firstUrl)).toBe(202);
    expect((await run('workers', 'show', 'tv-bot')).stdout).toMatch(/^webhook:\s+on since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/m);
    // The secret is not shown again.
    expect((await run('workers', 'show', 'tv-bot', '--json')).stdout).not.toContain(firstUrl.split('/').pop());

    const second = await run('workers', 'webhook', id);
    expect(second.stdout).toMatch(/^webhook URL of worker [0-9a-f-]{36} \(the previous URL no longer works\):/);
    const secondUrl = url.exec(second.stdout)![1]!;
    expect(secondUrl).not.toBe(firstUrl);
    expect(await alert(firstUrl)).toBe(404);
    expect(await alert(secondUrl)).toBe(202);

    const off = await run('workers', 'webhook', 'tv-bot', '--off');
    expect(off).toMatchObject({ code: 0, stdout: 'webhook of worker tv-bot turned off; its URL no longer works\n', stderr: '' });
    expect(await alert(secondUrl)).toBe(404);
    expect((await run('workers', 'show', 'tv-bot')).stdout).toMatch(/^webhook:\s+off$/m);
  });

  it('--json prints the API answer; an unknown worker exits 1', async () => {
    const id = await createWorker('tv-json');
    const r = await run('workers', 'webhook', 'tv-json', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ url: expect.stringMatching(`^/hooks/${id}/whk_`), absoluteUrl: expect.stringMatching(`^${live.api.url}/hooks/`), rotated: false });
    const missing = await run('workers', 'webhook', 'no-such-worker');
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'error: no worker named "no-such-worker" (see tickbox workers list)\n' });
    expect((await run('workers', 'webhook')).code).toBe(2);
  });
});
