import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../api/test/harness.ts';
import { cli, liveApi, sandbox } from './cli-harness.ts';
import type { LiveApi, Sandbox } from './cli-harness.ts';

let api: LiveApi;
let box: Sandbox;
let env: Record<string, string>;
beforeAll(async () => {
  api = await liveApi();
  box = await sandbox();
  // Logged in the way a user would be: the saved login file.
  const login = await cli(['login', '--url', api.url, '--token', api.token], { env: box.env });
  expect(login.code, login.stderr).toBe(0);
  env = box.env;
});
afterAll(async () => { await api.close(); await box.cleanup(); });

const run = (...args: string[]) => cli(args, { env });
const file = async (name: string, code: string) => {
  const path = join(box.dir, name);
  await writeFile(path, code);
  return path;
};

const V1 = 'export async function tick(ctx) {\n  ctx.log.info("v1");\n}\n';
const V2 = 'export async function tick(ctx) {\n  ctx.log.info("v2");\n}\n';

describe('workers deploy', () => {
  it('a syntax error exits 1 pointing at file:line:column, and creates nothing', async () => {
    const path = await file('broken.js', 'export function tick(ctx) {\n  const x = ;\n}\n');
    const r = await run('workers', 'deploy', path, '--every', '5s');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const [first, where, , source, caret] = r.stderr.split('\n');
    expect(first).toMatch(/^error: .+ \(line 2, column (\d+)\) \(syntax_error\)$/);
    const column = Number(/column (\d+)/.exec(first!)![1]);
    expect(where).toBe(`  --> ${path}:2:${column}`);
    expect(source).toBe('2 |   const x = ;');
    expect(caret!.indexOf('^')).toBe('2 | '.length + column - 1);
    expect((await run('workers', 'list', '--json')).stdout).toBe('[]\n');
  });

  it('creates a worker from a file, and a second deploy with that name makes a new version of it', async () => {
    const path = await file('dca.js', V1);
    const created = await run('workers', 'deploy', path, '--name', 'dca', '--every', '30s', '--disabled');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created worker dca \(([0-9a-f-]{36})\), version ([0-9a-f-]{36}), every 30s, disabled\n$/);
    const first = JSON.parse((await run('workers', 'show', 'dca', '--json')).stdout);
    expect(first).toMatchObject({ name: 'dca', enabled: false, schedule: { every: '30s' }, language: 'js', code: V1 });

    await writeFile(path, V2);
    const updated = await run('workers', 'deploy', path, '--name', 'dca', '--cron', '*/10 * * * * *');
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toBe(`updated worker dca (${first.id}): new version ${JSON.parse((await run('workers', 'show', first.id, '--json')).stdout).versionId} (was ${first.versionId}), cron */10 * * * * *, disabled\n`);
    const second = JSON.parse((await run('workers', 'show', 'dca', '--json')).stdout);
    expect(second).toMatchObject({ id: first.id, code: V2, schedule: { cron: '*/10 * * * * *' } });
    expect(second.versionId).not.toBe(first.versionId);
    expect(await api.h.db.workerVersion.count({ where: { workerId: first.id } })).toBe(2);
    expect((await run('workers', 'show', 'dca', '--code')).stdout).toBe(V2);
  });

  it('deploys TypeScript by its extension; names default to the file name', async () => {
    const path = await file('typed.ts', 'export async function tick(ctx: { log: { info(...a: unknown[]): void } }): Promise<void> {\n  const n: number = 1;\n  ctx.log.info(n);\n}\n');
    const r = await run('workers', 'deploy', path, '--every', '1m', '--product-type', 'USDC-FUTURES', '--disabled', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'typed', productType: 'USDC-FUTURES', enabled: false, language: 'ts' });
  });

  it('resolves a relative file against the directory `npm run cli` was started from', async () => {
    await file('relative.js', V1);
    const r = await cli(['workers', 'deploy', 'relative.js', '--every', '1m', '--disabled'], { env: { ...env, npm_lifecycle_event: 'cli', INIT_CWD: box.dir } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^created worker relative /);
  });

  it('refuses what it cannot deploy before asking the api', async () => {
    const noSchedule = await run('workers', 'deploy', await file('fresh.js', V1));
    expect(noSchedule.code).toBe(2);
    expect(noSchedule.stderr).toMatch(/^error: workers deploy: a new worker needs --every/);
    const both = await run('workers', 'deploy', await file('fresh.js', V1), '--every', '5s', '--cron', '* * * * *');
    expect(both.code).toBe(2);
    const python = await run('workers', 'deploy', await file('bot.py', 'print(1)'), '--every', '5s');
    expect(python.code).toBe(2);
    expect(python.stderr).toMatch(/cannot tell the language of .*bot\.py; use a \.js or \.ts file/);
    const missing = await run('workers', 'deploy', join(box.dir, 'nope.js'), '--every', '5s');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`error: cannot read ${join(box.dir, 'nope.js')}: ENOENT\n`);
    const badSchedule = await run('workers', 'deploy', await file('fresh.js', V1), '--every', 'often');
    expect(badSchedule.code).toBe(1);
    expect(badSchedule.stderr).toMatch(/^error: schedule.every "often" must look like .* \(invalid_request\)\n$/);
  });

  it('a new worker without --key gets the only sim/demo key, and says so; with none, several or a live one it gets none, with a note', async () => {
    // Another user, so that the keys added here do not change what the other tests see.
    const other = await createUser(api.h.db);
    const as = (...args: string[]) => cli(args, { env: { ...env, TICKBOX_URL: api.url, TICKBOX_TOKEN: other.auth.authorization.slice('Bearer '.length) } });
    const path = await file('keyed.js', V1);
    const keyOf = async (name: string) => JSON.parse((await as('workers', 'show', name, '--json')).stdout).keyId as string | null;

    const none = await as('workers', 'deploy', path, '--name', 'k0', '--every', '1m', '--disabled');
    expect(none.code, none.stderr).toBe(0);
    expect(none.stderr).toBe('note: no exchange key bound: only public market data works (orders, balances and positions fail); add one with tickbox keys add, then deploy again with --key NAME\n');
    expect(await keyOf('k0')).toBeNull();

    expect((await as('keys', 'add', '--name', 'paper', '--mode', 'sim')).code).toBe(0);
    // The note is on stderr, so --json output stays the api's answer and the user still sees it.
    const only = await as('workers', 'deploy', path, '--name', 'k1', '--every', '1m', '--disabled', '--json');
    expect(only.code, only.stderr).toBe(0);
    expect(only.stderr).toBe('key: paper (sim), your only key; --key none deploys without one\n');
    const paper = JSON.parse((await as('keys', 'list', '--json')).stdout)[0].id as string;
    expect(JSON.parse(only.stdout).keyId).toBe(paper);
    expect(await keyOf('k1')).toBe(paper);
    // A redeploy without --key leaves the bound key alone, and says nothing about keys.
    const again = await as('workers', 'deploy', path, '--name', 'k0');
    expect(again.stdout + again.stderr).not.toMatch(/key/);
    expect(await keyOf('k0')).toBeNull();
    // --key none: no key, also to unbind one.
    const explicit = await as('workers', 'deploy', path, '--name', 'k3', '--every', '1m', '--disabled', '--key', 'none');
    expect(explicit.stderr).toBe('');
    expect(await keyOf('k3')).toBeNull();
    expect((await as('workers', 'deploy', path, '--name', 'k1', '--key', 'none')).code).toBe(0);
    expect(await keyOf('k1')).toBeNull();

    expect((await as('keys', 'add', '--name', 'paper2', '--mode', 'sim')).code).toBe(0);
    const several = await as('workers', 'deploy', path, '--name', 'k2', '--every', '1m', '--disabled');
    expect(several.code, several.stderr).toBe(0);
    expect(several.stderr).toBe('note: no exchange key bound: only public market data works (orders, balances and positions fail); choose one with --key (paper, paper2)\n');
    expect(await keyOf('k2')).toBeNull();

    // A live key is never bound unasked, even the only one.
    const third = await createUser(api.h.db);
    const asLive = (...args: string[]) => cli(args, { env: { ...env, TICKBOX_URL: api.url, TICKBOX_TOKEN: third.auth.authorization.slice('Bearer '.length), TICKBOX_KEY_SECRET: 's', TICKBOX_KEY_PASSPHRASE: 'p' } });
    expect((await asLive('keys', 'add', '--name', 'real', '--mode', 'live', '--api-key', 'bg_live_0000000001')).code).toBe(0);
    const live = await asLive('workers', 'deploy', path, '--name', 'k4', '--every', '1m', '--disabled', '--json');
    expect(live.code, live.stderr).toBe(0);
    expect(live.stderr).toBe('note: no exchange key bound: only public market data works (orders, balances and positions fail); your only key, real, is a live key: bind it explicitly with --key real\n');
    expect(JSON.parse(live.stdout).keyId).toBeNull();
  });
});

describe('workers list, show, enable, disable, runs, logs, state, rm', () => {
  it('lists workers in a table and shows one by name or id', async () => {
    const list = await run('workers', 'list');
    expect(list.code).toBe(0);
    const [header, ...rows] = list.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+NAME\s+STATUS\s+ENABLED\s+SCHEDULE\s+PRODUCT TYPE\s+LAST ERROR$/);
    expect(rows.find((l) => / dca /.test(l))).toMatch(/^[0-9a-f-]{36}\s+dca\s+disabled\s+no\s+cron \*\/10 \* \* \* \* \*\s+USDT-FUTURES\s+-$/);
    const show = await run('workers', 'show', 'dca');
    expect(show.stdout).toMatch(/^id:\s+[0-9a-f-]{36}$/m);
    expect(show.stdout).toMatch(/^last tick:\s+never$/m);
    expect(show.stdout).toMatch(/^next tick:\s+not scheduled \(disabled\)$/m);
    const missing = await run('workers', 'show', 'no-such-worker');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: no worker named "no-such-worker" (see tickbox workers list)\n');
    const otherId = await run('workers', 'show', '00000000-0000-4000-8000-000000000000');
    expect(otherId.stderr).toBe('error: worker not found (not_found)\n');
  });

  it('enable schedules it, disable stops it', async () => {
    const id = JSON.parse((await run('workers', 'show', 'dca', '--json')).stdout).id;
    const on = await run('workers', 'enable', 'dca');
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toBe(`enabled worker dca (${id}): scheduled cron */10 * * * * *\n`);
    expect(await api.h.queues.isDeployed(id)).toBe(true);
    expect((await run('workers', 'show', 'dca')).stdout).toMatch(/^next tick:\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/m);
    const off = await run('workers', 'disable', id);
    expect(off.stdout).toBe(`disabled worker dca (${id}): no longer scheduled\n`);
    expect(await api.h.queues.isDeployed(id)).toBe(false);
    // The panic button.
    expect((await run('workers', 'enable', 'dca')).code).toBe(0);
    const all = await run('workers', 'disable-all');
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toBe('disabled 1 worker(s): dca; open orders stay on the exchange\n');
    expect(await api.h.queues.isDeployed(id)).toBe(false);
    expect((await run('workers', 'disable-all')).stdout).toBe('no enabled workers\n');
  });

  it('runs, logs and state of a fresh worker are empty but well-formed', async () => {
    expect(await run('workers', 'runs', 'dca')).toMatchObject({ code: 0, stdout: 'no runs yet\n', stderr: '' });
    expect(await run('workers', 'logs', 'dca')).toMatchObject({ code: 0, stdout: 'no log lines yet\n', stderr: '' });
    expect(await run('workers', 'state', 'dca')).toMatchObject({ code: 0, stdout: 'no state saved yet\n', stderr: '' });
    expect(JSON.parse((await run('workers', 'runs', 'dca', '--json')).stdout)).toEqual([]);
    expect(JSON.parse((await run('workers', 'logs', 'dca', '--json', '--level', 'warn')).stdout)).toEqual([]);
    expect(JSON.parse((await run('workers', 'state', 'dca', '--json')).stdout)).toEqual({ state: {}, updatedAt: null });
  });

  it('state shows what the worker saved and --reset clears it', async () => {
    const id = JSON.parse((await run('workers', 'show', 'dca', '--json')).stdout).id;
    await api.h.db.workerState.create({ data: { workerId: id, data: { ticks: 3, lastPrice: '65000.10' } } });
    const shown = await run('workers', 'state', 'dca');
    expect(shown.stdout).toMatch(/^# updated \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\n\{\n {2}"ticks": 3,\n {2}"lastPrice": "65000.10"\n\}\n$/);
    const reset = await run('workers', 'state', 'dca', '--reset');
    expect(reset).toMatchObject({ code: 0, stdout: 'state of dca reset\n' });
    expect((await run('workers', 'state', 'dca')).stdout).toBe('no state saved yet\n');
  });

  it('versions lists the code history newest first; --show prints an older version to deploy again', async () => {
    const rows = JSON.parse((await run('workers', 'versions', 'dca', '--json')).stdout) as { id: string; current: boolean; language: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.map((v) => v.current)).toEqual([true, ...rows.slice(1).map(() => false)]);
    const listed = await run('workers', 'versions', 'dca');
    expect(listed.stdout.split('\n')[0]).toMatch(/^VERSION\s+CREATED\s+LANGUAGE\s+RUNS\s+TRADES/);
    expect(listed.stdout).toContain(`${rows[0]!.id}`);
    expect(listed.stdout.split('\n')[1]).toMatch(/current\s*$/);
    const oldest = await run('workers', 'versions', 'dca', '--show', rows.at(-1)!.id);
    expect(oldest).toMatchObject({ code: 0, stdout: V1, stderr: '' });
    const bad = await run('workers', 'versions', 'dca', '--show', 'nope');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/versionId/);
    expect((await run('workers', 'versions', 'dca', '--limit', '0')).code).not.toBe(0);
  });

  it('rm removes the worker from lists; its name is then free', async () => {
    const r = await run('workers', 'rm', 'dca');
    expect(r).toMatchObject({ code: 0, stdout: 'removed worker dca; its trades stay in the journal\n' });
    const names = JSON.parse((await run('workers', 'list', '--json')).stdout).map((w: { name: string }) => w.name);
    expect(names).not.toContain('dca');
    expect((await run('workers', 'show', 'dca')).code).toBe(1);
  });
});
