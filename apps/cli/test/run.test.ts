// `workers run` and `workers logs --follow` need a scheduler: this file runs the whole product
// (apps/scheduler/test/stack.ts: api, BullMQ scheduler, sandbox runner processes, simulator).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../scheduler/test/stack.ts';
import type { Stack } from '../../scheduler/test/stack.ts';
import { cli, sandbox, start } from './cli-harness.ts';
import type { Sandbox } from './cli-harness.ts';

let stack: Stack;
let box: Sandbox;
let env: Record<string, string>;
beforeAll(async () => {
  stack = await startStack();
  box = await sandbox();
  env = { ...box.env, TICKBOX_URL: stack.base, TICKBOX_TOKEN: stack.authHeader.slice('Bearer '.length) };
});
afterAll(async () => { await stack?.stop(); await box?.cleanup(); });

const run = (...args: string[]) => cli(args, { env });
const deploy = async (name: string, code: string) => {
  const path = join(box.dir, `${name}.js`);
  await writeFile(path, code);
  const r = await run('workers', 'deploy', path, '--every', '1m', '--disabled');
  expect(r.code, r.stderr).toBe(0);
};

const COUNTER = `
export async function tick(ctx) {
  const n = ctx.state.get("n", 0) + 1;
  ctx.state.set("n", n);
  ctx.log.info("start", n);
  await ctx.sleep(800);
  ctx.log.warn("end", n);
}`;

describe('workers run, and what it leaves behind', () => {
  it('runs one tick in the scheduler and prints its log lines and status', async () => {
    await deploy('counter', COUNTER);
    const r = await run('workers', 'run', 'counter');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.?\d*Z? INFO  start 1\n.* WARN  end 1\nok in \d+ ms\n$/);
    const runs = await run('workers', 'runs', 'counter');
    expect(runs.stdout.split('\n')[0]).toMatch(/^STARTED\s+PHASE\s+TRIGGER\s+STATUS\s+WALL MS\s+CPU MS\s+ERROR$/);
    expect(runs.stdout).toMatch(/\btick\s+manual\s+ok\s+\d/);
    expect(JSON.parse((await run('workers', 'state', 'counter', '--json')).stdout).state).toEqual({ n: 1 });
    const logs = await run('workers', 'logs', 'counter', '--level', 'warn');
    expect(logs.stdout).toMatch(/^\S+ \S+ WARN  end 1\n$/);
  });

  it('a failing tick exits 1 with the error', async () => {
    await deploy('broken-tick', 'export async function tick(ctx) { ctx.log.info("about to fail"); throw new Error("boom"); }');
    const r = await run('workers', 'run', 'broken-tick');
    expect(r.code).toBe(1);
    // Then where it was thrown: the user's own line and column.
    expect(r.stdout).toMatch(/INFO  about to fail\nerror in [\d.]+ ms: Error: boom\n    at tick \(worker\.js:1:\d+\)\n$/);
    const json = await run('workers', 'run', 'broken-tick', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', error: { message: expect.stringContaining('boom'), stack: expect.stringMatching(/^Error: boom\n    at tick \(worker\.js:1:\d+\)$/) } });
    // The run keeps the stack, and the worker's log ends with the failure.
    const [last] = JSON.parse((await run('workers', 'runs', 'broken-tick', '--json')).stdout);
    expect(last).toMatchObject({ status: 'error', error: 'Error: boom', errorStack: expect.stringMatching(/^Error: boom\n    at tick \(worker\.js:1:\d+\)$/) });
    const logs = await run('workers', 'logs', 'broken-tick', '--level', 'error');
    expect(logs.stdout).toMatch(/ ERROR \[tick failed\] Error: boom\n    at tick \(worker\.js:1:\d+\)\n$/);
  });

  it('logs --follow prints the recent lines, then new ones as the tick produces them', async () => {
    const child = start(['workers', 'logs', 'counter', '--follow'], { env });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    const exited = new Promise<number | null>((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    const waitFor = async (re: RegExp) => {
      const deadline = Date.now() + 15_000;
      while (!re.test(out)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; stdout: ${out}; stderr: ${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor(/WARN {2}end 1\n/);
      // The recent lines are sent just before the stream subscribes to live ones.
      await new Promise((r) => setTimeout(r, 300));
      const running = run('workers', 'run', 'counter');
      // "start 2" arrives while the tick still sleeps: it is live, not read back afterwards.
      await waitFor(/INFO {2}start 2\n/);
      expect(out).not.toMatch(/end 2/);
      expect((await running).code).toBe(0);
      await waitFor(/WARN {2}end 2\n/);
      expect(out.trimEnd().split('\n').map((l) => l.split(/\s+/).slice(2).join(' '))).toEqual(['INFO start 1', 'WARN end 1', 'INFO start 2', 'WARN end 2']);
      expect(err).toBe('');
    } finally {
      child.kill('SIGTERM');
    }
    await exited;
  });
});

describe('keys account', () => {
  it("prints the key's balances and the position its worker opened; --json is the api's answer", async () => {
    expect((await run('keys', 'add', '--name', 'paper', '--mode', 'sim')).code).toBe(0);
    const path = join(box.dir, 'opener.js');
    await writeFile(path, 'export async function tick(ctx) { await ctx.bitget.futures_place_order({ symbol: "ETHUSDT", side: "sell", size: "0.05" }); }\n');
    expect((await run('workers', 'deploy', path, '--every', '1h', '--disabled', '--key', 'paper')).code).toBe(0);
    expect((await run('workers', 'run', 'opener')).code).toBe(0);

    const r = await run('keys', 'account', 'paper');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^USDT-FUTURES balances at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(lines[1]).toMatch(/^COIN\s+EQUITY\s+AVAILABLE\s+LOCKED\s+UNREALIZED PNL$/);
    expect(r.stdout).toMatch(/\nUSDT\s+\d/);
    expect(r.stdout).toMatch(/\nSYMBOL\s+SIDE\s+SIZE\s+ENTRY\s+MARK\s+UNREALIZED PNL\s+LEVERAGE\s+MARGIN MODE\s+LIQUIDATION\n/);
    expect(r.stdout).toMatch(/\nETHUSDT\s+short\s+0\.05\s+\d/);

    const coin = await run('keys', 'account', 'paper', '--product-type', 'COIN-FUTURES');
    expect(coin.stdout).toMatch(/^COIN-FUTURES balances at /);
    expect(coin.stdout).toMatch(/\nno open positions\n$/);
    const json = JSON.parse((await run('keys', 'account', 'paper', '--json')).stdout);
    expect(json.positions).toEqual([expect.objectContaining({ symbol: 'ETHUSDT', holdSide: 'short', total: '0.05' })]);
    const bad = await run('keys', 'account', 'paper', '--product-type', 'SPOT');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: query.productType must be one of USDT-FUTURES, USDC-FUTURES, COIN-FUTURES (invalid_request)\n');
  });
});

describe('alerts', () => {
  it('set reads the URL from stdin and never prints it; test delivers one; off turns them off', async () => {
    const got: string[] = [];
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      let text = '';
      req.on('data', (d) => { text += d; });
      req.on('end', () => { got.push(`${req.url} ${text}`); res.writeHead(200).end(); });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook/TOKEN-abc`;
    try {
      expect((await run('alerts', 'show')).stdout).toMatch(/^alerts:\s+off\n/);
      const set = await cli(['alerts', 'set'], { env, stdin: `${url}\n` });
      expect(set.code, set.stderr).toBe(0);
      expect(set.stdout).toMatch(/^alerts on, to 127\.0\.0\.1:\d+; tickbox alerts test sends one now\n$/);
      const show = await run('alerts', 'show');
      expect(show.stdout).toMatch(/^alerts:\s+on, to 127\.0\.0\.1:\d+\n/);
      for (const r of [set, show]) expect(r.stdout + r.stderr).not.toContain('TOKEN-abc');
      const test = await run('alerts', 'test');
      expect(test.stdout).toMatch(/^test alert queued for 127\.0\.0\.1:\d+/);
      const deadline = Date.now() + 10_000;
      while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(got[0]).toMatch(/^\/hook\/TOKEN-abc \{"text":"Tickbox: test alert","content":"Tickbox: test alert","kind":"test"/);
      let shown = '';
      for (let i = 0; i < 100 && !/last delivered:\s+\d/.test(shown); i++) {
        shown = (await run('alerts', 'show')).stdout;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(shown).toMatch(/last delivered:\s+\d{4}-/);
      expect(shown).not.toContain('last failure');
      // One worker muted: shown by alerts show and workers show, unmuted again.
      await deploy('alerting', 'export async function tick() {}');
      expect((await run('alerts', 'mute', 'alerting')).stdout).toBe('worker alerting sends no alerts now\n');
      expect((await run('alerts', 'show')).stdout).toMatch(/muted workers:\s+alerting\n/);
      expect((await run('workers', 'show', 'alerting')).stdout).toMatch(/alerts:\s+muted \(tickbox alerts unmute\)\n/);
      expect((await run('alerts', 'unmute', 'alerting')).stdout).toBe('worker alerting sends alerts again\n');
      expect((await run('alerts', 'show')).stdout).toMatch(/muted workers:\s+none\n/);
      expect((await run('alerts', 'mute', 'no-such-worker')).code).toBe(1);
      expect((await run('alerts', 'off')).stdout).toBe('alerts off\n');
      expect((await run('alerts', 'show')).stdout).toMatch(/^alerts:\s+off\n/);
      const none = await run('alerts', 'test');
      expect(none.code).toBe(1);
      expect(none.stderr).toBe('error: no alert URL is set (PUT /api/me/alerts {url}) (invalid_request)\n');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
