import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { SandboxError, SandboxSupervisor, type SandboxLogger } from '../src/index.ts';
import { compile, Harness } from './helpers.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);
const config = { baseUrl: 'http://127.0.0.1:1', mode: 'sim', productType: 'USDT-FUTURES' };

function capturingLogger(): SandboxLogger & { errors: { details: Record<string, unknown>; message: string }[] } {
  const errors: { details: Record<string, unknown>; message: string }[] = [];
  return { errors, info() {}, warn() {}, error: (details, message) => errors.push({ details, message }) };
}

const h = new Harness({ runnerHost: { module: fixture('local-host.ts').href } });
const host = { bitget: { ...h.host.bitget, slow: async () => 'slow from the supervisor', bigint: async () => 'bigint from the supervisor' } };
beforeAll(() => h.start());
afterAll(() => h.stop());

describe('runner-local host', () => {
  it('runs a local function inside the runner without reaching the supervisor host, with an empty environment', async () => {
    const result = await h.run(`
      export async function tick(ctx) {
        return await ctx.bitget.futures_tickers({ symbol: 'BTCUSDT' }, undefined, 2);
      }`, { host, runnerHostConfig: config });
    expect(result.status).toBe('ok');
    expect(result.hostCalls).toBe(1);
    expect(result.returnValue).toMatchObject({ local: true, config, args: [{ symbol: 'BTCUSDT' }, null, 2], envKeys: 0 });
    expect((result.returnValue as { pid: number }).pid).toBe(h.supervisor.runnerPids()[0]);
    expect(h.calls.filter((c) => c.fn === 'futures_tickers')).toEqual([]);
  });

  it('falls back to the supervisor for functions the local host lacks, and without a config', async () => {
    const result = await h.run(`
      export async function tick(ctx) {
        const local = await ctx.bitget.futures_tickers();
        const remote = await ctx.bitget.futures_candles('BTCUSDT', '1H');
        return { local: local.local, remote: remote.args };
      }`, { host, runnerHostConfig: config });
    expect(result).toMatchObject({ status: 'ok', hostCalls: 2, returnValue: { local: true, remote: ['BTCUSDT', '1H'] } });
    expect(h.calls.map((c) => c.fn)).toEqual(['futures_candles']);

    const plain = await h.run(`export async function tick(ctx) { return (await ctx.bitget.futures_tickers()).local ?? 'forwarded'; }`, { host });
    expect(plain).toMatchObject({ status: 'ok', hostCalls: 1, returnValue: 'forwarded' });
    expect(h.calls.map((c) => c.fn)).toEqual(['futures_candles', 'futures_tickers']);
  });

  it('only serves functions of the run host shape: a local-only name is not in ctx', async () => {
    const result = await h.run(`export async function tick(ctx) { return typeof ctx.bitget.slow; }`, { runnerHostConfig: config });
    expect(result).toMatchObject({ status: 'ok', returnValue: 'undefined' });
  });

  it('creates one host per distinct config and reuses it', async () => {
    const code = `export async function tick(ctx) { return (await ctx.bitget.futures_tickers()).instance; }`;
    const a1 = await h.run(code, { host, runnerHostConfig: { ...config, productType: 'A' } });
    const a2 = await h.run(code, { host, runnerHostConfig: { ...config, productType: 'A' } });
    const b = await h.run(code, { host, runnerHostConfig: { ...config, productType: 'B' } });
    expect(a1.returnValue).toBe(a2.returnValue);
    expect(b.returnValue).not.toBe(a1.returnValue);
  });

  it('hands local errors to user code sanitised, with the user call site as stack', async () => {
    const result = await h.run(`
      export async function tick(ctx) {
        try { await ctx.bitget.fail(); } catch (e) {
          const own = Object.keys(e).sort();
          return { name: e.name, message: e.message, code: e.code, status: e.status, detail: e.detail, context: e.context, own, stack: e.stack,
            leaked: 'secret' in e || 'headers' in e || 'cause' in e };
        }
      }`, { host, runnerHostConfig: config });
    expect(result.status).toBe('ok');
    const r = result.returnValue as Record<string, unknown>;
    expect(r).toMatchObject({
      name: 'BitgetAPIError', message: 'Local failure', code: '40001', status: 400, detail: { why: 'test' }, context: { method: 'fail' },
      own: ['code', 'context', 'detail', 'status'], leaked: false,
    });
    expect(r.stack).toMatch(/^BitgetAPIError: Local failure\n\s+at async tick \(tickbox:worker:\d+:\d+\)$/);
    expect(r.stack).not.toMatch(/fixtures|local-host|sandbox\/src|node:/);
    expect(h.calls.filter((c) => c.fn === 'fail')).toEqual([]);

    const big = await h.run(`export async function tick(ctx) { try { await ctx.bitget.bigint(); } catch (e) { return e.name + ': ' + e.message; } }`, { host, runnerHostConfig: config });
    expect(big.returnValue).toBe('TypeError: ctx.bitget.bigint() returned a value that cannot be copied into the sandbox');
  });

  it('counts local calls against the per-tick budget, together with forwarded ones', async () => {
    const result = await h.run(`
      export async function tick(ctx) {
        const seen = [];
        for (let i = 0; i < 5; i++) {
          try { await (i % 2 ? ctx.bitget.futures_candles() : ctx.bitget.futures_tickers()); seen.push('ok'); } catch (e) { seen.push(e.code); }
        }
        return seen;
      }`, { host, runnerHostConfig: config, limits: { maxHostCalls: 3 } });
    expect(result).toMatchObject({ status: 'ok', hostCalls: 3, returnValue: ['ok', 'ok', 'ok', 'HOST_CALL_LIMIT', 'HOST_CALL_LIMIT'] });
  });

  it('refuses local calls made after their tick finished', async () => {
    const compiled = compile(`
      let kept;
      export async function tick(ctx) {
        if (!kept) { kept = ctx; return 'kept'; }
        try { await kept.bitget.futures_tickers(); return 'called'; } catch (e) { return e.code; }
      }`);
    const opts = { host, runnerHostConfig: config, key: 'late-local' };
    expect((await h.run({ compiled }, opts)).returnValue).toBe('kept');
    const second = await h.run({ compiled }, opts);
    expect(second).toMatchObject({ status: 'ok', returnValue: 'TICK_FINISHED', lateCalls: 1, hostCalls: 0 });
    expect(second.logs.at(-1)?.message).toMatch(/refused 1 ctx call\(s\) made after their tick had finished: ctx\.bitget\.futures_tickers\(\)/);
  });

  it('completes a local call still pending at the end of the tick and says so', async () => {
    const started = performance.now();
    const result = await h.run(`export async function tick(ctx) { ctx.bitget.slow(300); return 'done'; }`, { host, runnerHostConfig: config });
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    expect(result).toMatchObject({ status: 'ok', returnValue: 'done', hostCalls: 1 });
    expect(result.logs.at(-1)?.message).toBe('[sandbox] 1 ctx call(s) were still pending when the run finished (missing await?); their results were discarded');
  });

  it('runs at most four local calls of a run at once; the rest queue, and ones still queued when the tick ends are dropped', async () => {
    const all = await h.run(`export async function tick(ctx) {
      const t0 = Date.now();
      await Promise.all(Array.from({ length: 8 }, () => ctx.bitget.slow(150)));
      return Date.now() - t0;
    }`, { host, runnerHostConfig: config });
    expect(all).toMatchObject({ status: 'ok', hostCalls: 8 });
    // Two rounds of four, not one round of eight.
    expect(all.returnValue as number).toBeGreaterThanOrEqual(290);

    const early = performance.now();
    const dropped = await h.run(`export async function tick(ctx) { for (let i = 0; i < 10; i++) ctx.bitget.slow(200); return 'done'; }`, { host, runnerHostConfig: config });
    // Only the four running calls are waited for, not three rounds.
    expect(performance.now() - early).toBeLessThan(550);
    expect(dropped).toMatchObject({ status: 'ok', returnValue: 'done', hostCalls: 10 });
    expect(dropped.logs.at(-1)?.message).toBe('[sandbox] 10 ctx call(s) were still pending when the run finished (missing await?); their results were discarded');
  });

  it('stops a run waiting on a local call at the wall deadline', async () => {
    const started = performance.now();
    const result = await h.run(`export async function tick(ctx) { await ctx.bitget.slow(3000); return 'late'; }`, {
      host, runnerHostConfig: config, limits: { wallTimeoutMs: 300 },
    });
    expect(performance.now() - started).toBeLessThan(2500);
    expect(result).toMatchObject({ status: 'timeout', error: { code: 'WALL_TIMEOUT' } });
    await h.expectControlHealthy();
    h.expectRunnerAlive();
  });

  it('refuses a runnerHostConfig that is not JSON', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(h.run(`export function tick() {}`, { host, runnerHostConfig: cyclic })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});

describe('runner-local host that fails', () => {
  it('rejects a module option that is neither an absolute path nor a file URL', () => {
    expect(() => new SandboxSupervisor({ runnerHost: { module: './relative.ts' } })).toThrow(SandboxError);
    expect(() => new SandboxSupervisor({ runnerHost: { module: 'https://example.com/x.js' } })).toThrow(/absolute path or a file: URL/);
  });

  for (const [name, reason] of [
    ['throwing-import-host.ts', /runner host module exploded at import/],
    ['throwing-create-host.ts', /createRunnerHost\(\) failed: Error: cannot create a host for \{"baseUrl"/],
  ] as const) {
    it(`fails only the runs that need it (${name}), with a clear error, and keeps the runner`, async () => {
      const logger = capturingLogger();
      // An absolute path works as well as a file: URL.
      const broken = new Harness({ runnerHost: { module: fileURLToPath(fixture(name)) }, logger });
      await broken.start();
      try {
        const pid = broken.supervisor.runnerPids()[0];
        await broken.expectControlHealthy();
        const result = await broken.run(`export async function tick(ctx) { return 1; }`, { runnerHostConfig: config, state: { kept: true } });
        expect(result).toMatchObject({
          status: 'error',
          error: { name: 'SandboxError', code: 'RUNNER_HOST_FAILED', message: 'The sandbox could not prepare this run: its runner-local host failed to load' },
          state: { kept: true },
          stateChanged: false,
        });
        expect(logger.errors).toHaveLength(1);
        expect(logger.errors[0]!.message).toMatch(/runner-local host could not be created/);
        expect(String(logger.errors[0]!.details.reason)).toMatch(reason);
        // Again (no crash loop, same clear error), and other workers are unaffected.
        expect((await broken.run(`export function tick() {}`, { runnerHostConfig: config })).error?.code).toBe('RUNNER_HOST_FAILED');
        await broken.expectControlHealthy();
        broken.expectRunnerAlive();
        expect(broken.supervisor.runnerPids()[0]).toBe(pid);
      } finally {
        await broken.stop();
      }
    });
  }
});
