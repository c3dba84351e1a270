import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useLiveCli } from './cli-harness.ts';
import type { Result } from './cli-harness.ts';

const live = useLiveCli();

const API_KEY = 'bg_0123456789abcdefWXYZ';
const SECRET = 'very-secret-value-7f3a9c';
const PASSPHRASE = 'pass-phrase-e41b';
const outputs: Result[] = [];
const run = async (args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) => {
  const r = await cli(args, { env: { ...live.env, ...options.env }, stdin: options.stdin });
  outputs.push(r);
  return r;
};

describe('keys', () => {
  it('adds a key with secret and passphrase on stdin and lists it masked', async () => {
    const add = await run(['keys', 'add', '--name', 'bitget-demo', '--mode', 'demo', '--api-key', API_KEY], { stdin: `${SECRET}\n${PASSPHRASE}\n` });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^added demo key bitget-demo \([0-9a-f-]{36}\), API key \*\*\*\*WXYZ\n$/);

    const list = await run(['keys', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+MODE\s+API KEY\s+CREATED\s+ROTATED$/);
    expect(list.stdout).toMatch(/bitget-demo\s+demo\s+\*\*\*\*WXYZ\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);

    const listJson = await run(['keys', 'list', '--json']);
    const keys = JSON.parse(listJson.stdout);
    expect(keys).toEqual([expect.objectContaining({ name: 'bitget-demo', mode: 'demo', apiKeyHint: 'WXYZ' })]);
    // What reached the api is exactly the two stdin lines.
    const row = await live.api.h.db.apiKey.findUniqueOrThrow({ where: { id: keys[0].id } });
    expect(JSON.parse(live.api.h.keyring.decrypt(row.ciphertext, `apikey:${row.id}`))).toEqual({ apiKey: API_KEY, secret: SECRET, passphrase: PASSPHRASE });
  });

  it('takes the secret and passphrase from TICKBOX_KEY_SECRET / TICKBOX_KEY_PASSPHRASE', async () => {
    const r = await run(['keys', 'add', '--name', 'from-env', '--mode', 'live', '--api-key', API_KEY, '--json'], {
      env: { TICKBOX_KEY_SECRET: SECRET, TICKBOX_KEY_PASSPHRASE: PASSPHRASE },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'from-env', mode: 'live', apiKeyHint: 'WXYZ' });
  });

  it('a sim key needs no credentials; live/demo without --api-key or stdin lines is a usage error', async () => {
    const sim = await run(['keys', 'add', '--name', 'paper', '--mode', 'sim']);
    expect(sim.code, sim.stderr).toBe(0);
    expect(sim.stdout).toMatch(/^added sim key paper /);
    const noKey = await run(['keys', 'add', '--name', 'x', '--mode', 'live'], { stdin: `${SECRET}\n${PASSPHRASE}\n` });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/^error: keys add: --api-key is required for a live key/);
    const short = await run(['keys', 'add', '--name', 'x', '--mode', 'demo', '--api-key', API_KEY], { stdin: `${SECRET}\n` });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/^error: expected API secret and passphrase on stdin, one per line/);
  });

  it('rm refuses a key a worker uses (409, with the hint), removes it with --force', async () => {
    const file = join(live.box.dir, 'uses-key.js');
    await writeFile(file, 'export function tick(ctx) {}\n');
    const deployed = await run(['workers', 'deploy', file, '--every', '1m', '--key', 'paper', '--disabled']);
    expect(deployed.code, deployed.stderr).toBe(0);
    const refused = await run(['keys', 'rm', 'paper']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: key is used by 1 worker\(s\).* \(conflict\)\nused by: uses-key \([0-9a-f-]{36}\)\nhint: tickbox keys rm paper --force/);
    const forced = await run(['keys', 'rm', 'paper', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toBe('removed key paper\n');
    const gone = await run(['keys', 'rm', 'paper']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe('error: no key named "paper" (see tickbox keys list)\n');
    const unknownId = await run(['keys', 'rm', '00000000-0000-4000-8000-000000000000']);
    expect(unknownId.stderr).toBe('error: key not found (not_found)\n');
  });

  it('rotate replaces the credentials (secret and passphrase from stdin); rename renames; list shows when', async () => {
    const newKey = 'bg_rotated9876543210ABCD';
    const r = await run(['keys', 'rotate', 'from-env', '--api-key', newKey], { stdin: `${SECRET}-2\n${PASSPHRASE}-2\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^rotated live key from-env \([0-9a-f-]{36}\): API key now \*\*\*\*ABCD; its workers use it from their next tick\n$/);
    const [row] = await live.api.h.db.apiKey.findMany({ where: { name: 'from-env' } });
    expect(JSON.parse(live.api.h.keyring.decrypt(row!.ciphertext, `apikey:${row!.id}`))).toEqual({ apiKey: newKey, secret: `${SECRET}-2`, passphrase: `${PASSPHRASE}-2` });
    const noKey = await run(['keys', 'rotate', 'from-env'], { stdin: `${SECRET}\n${PASSPHRASE}\n` });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/^error: keys rotate: --api-key is required/);

    const renamed = await run(['keys', 'rename', 'from-env', 'main']);
    expect(renamed.code, renamed.stderr).toBe(0);
    expect(renamed.stdout).toBe('renamed key from-env to main\n');
    const list = await run(['keys', 'list']);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+MODE\s+API KEY\s+CREATED\s+ROTATED$/);
    expect(list.stdout).toMatch(/main\s+live\s+\*\*\*\*ABCD\s+\S+ \S+\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);
    expect(list.stdout).toMatch(/bitget-demo\s+demo\s+\*\*\*\*WXYZ\s+\S+ \S+\s+-/);
  });

  it('never shows the secret or passphrase in any output', () => {
    expect(outputs.length).toBeGreaterThan(5);
    for (const r of outputs) {
      for (const text of [r.stdout, r.stderr]) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(PASSPHRASE);
        expect(text).not.toContain(API_KEY);
        expect(text).not.toContain(live.api.token);
      }
    }
  });
});
