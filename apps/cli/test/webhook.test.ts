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
    expect(first.stdout).toContain('Accepted senders: any (restrict with tickbox workers webhook tv-bot --allow IP,…)');
    const firstUrl = url.exec(first.stdout)![1]!;
    expect(await alert(firstUrl)).toBe(202);
    expect((await run('workers', 'show', 'tv-bot')).stdout).toMatch(/^webhook:\s+on since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ.*\nwebhook senders:\s+any$/m);
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
    expect((await run('workers', 'show', 'tv-bot')).stdout).not.toContain('webhook senders');
  });

  it('--allow restricts the senders without changing the URL, --allow-any lifts it, and both show in workers show', async () => {
    const tradingView = '52.89.214.238,34.212.75.30,54.218.53.128,52.32.178.7';
    await createWorker('tv-allow');
    const ahead = await run('workers', 'webhook', 'tv-allow', '--allow', tradingView);
    expect(ahead).toMatchObject({
      code: 0, stderr: '',
      stdout: 'webhook of worker tv-allow accepts alerts only from: 52.89.214.238, 34.212.75.30, 54.218.53.128, 52.32.178.7\n'
        + 'it has no URL yet: tickbox workers webhook tv-allow creates one\n',
    });
    expect((await run('workers', 'show', 'tv-allow')).stdout).toMatch(/^webhook:\s+off\nwebhook senders:\s+only 52\.89\.214\.238, 34\.212\.75\.30, 54\.218\.53\.128, 52\.32\.178\.7$/m);

    const created = await run('workers', 'webhook', 'tv-allow');
    expect(created.stdout).toContain('Accepted senders: only 52.89.214.238, 34.212.75.30, 54.218.53.128, 52.32.178.7\n');
    const hookUrl = /^ {2}(http\S+)$/m.exec(created.stdout)![1]!;
    // This test posts from 127.0.0.1, which is not TradingView.
    const refused = await fetch(hookUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'buy' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'forbidden', message: "sender 127.0.0.1 is not in this webhook's allowlist" });

    const local = await run('workers', 'webhook', 'tv-allow', '--allow', '127.0.0.1, ::1');
    expect(local.stdout).toBe('webhook of worker tv-allow accepts alerts only from: 127.0.0.1, ::1\n');
    expect(await alert(hookUrl)).toBe(202);

    const any = await run('workers', 'webhook', 'tv-allow', '--allow-any', '--json');
    expect(any.code, any.stderr).toBe(0);
    expect(JSON.parse(any.stdout)).toEqual({ enabled: true, createdAt: expect.any(String), allowedIps: [] });
    expect((await run('workers', 'show', 'tv-allow')).stdout).toMatch(/^webhook senders:\s+any$/m);
    expect((await run('workers', 'webhook', 'tv-allow', '--allow-any')).stdout).toBe('webhook of worker tv-allow accepts alerts from any sender\n');
  });

  it('a bad --allow entry is the api\'s 400 naming it (exit 1); conflicting options are usage errors (exit 2)', async () => {
    await createWorker('tv-bad');
    const bad = await run('workers', 'webhook', 'tv-bad', '--allow', '1.2.3.4,1.2.3.999');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^error: body\.ips\[1\] "1\.2\.3\.999" is not an IPv4 or IPv6 address or CIDR range .*\(invalid_request\)\n$/);
    const cidr = await run('workers', 'webhook', 'tv-bad', '--allow', '10.0.0.0/33');
    expect(cidr.stderr).toMatch(/^error: body\.ips\[0\] "10\.0\.0\.0\/33" is not a valid CIDR range/);
    const cases: [string[], RegExp][] = [
      [['--allow', '1.2.3.4', '--allow-any'], /--allow and --allow-any cannot be combined/],
      [['--off', '--allow', '1.2.3.4'], /--off cannot be combined with --allow or --allow-any/],
      [['--off', '--allow-any'], /--off cannot be combined/],
      [['--allow', ' , '], /--allow needs at least one address or CIDR range/],
      [['--allow'], /option --allow needs a value/],
    ];
    for (const [args, message] of cases) {
      const r = await run('workers', 'webhook', 'tv-bad', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect((await run('workers', 'show', 'tv-bad', '--json')).stdout).toContain('"allowedIps": []');
  });

  it('--json prints the API answer; an unknown worker exits 1', async () => {
    const id = await createWorker('tv-json');
    const r = await run('workers', 'webhook', 'tv-json', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ url: expect.stringMatching(`^/hooks/${id}/whk_`), absoluteUrl: expect.stringMatching(`^${live.api.url}/hooks/`), rotated: false, allowedIps: [] });
    const missing = await run('workers', 'webhook', 'no-such-worker');
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'error: no worker named "no-such-worker" (see tickbox workers list)\n' });
    expect((await run('workers', 'webhook')).code).toBe(2);
  });
});
