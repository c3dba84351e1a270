import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BITGET_METHODS } from '@tickbox/bitget';
import { createSimulator } from '@tickbox/bitget-sim';
import { compileWorker, SandboxSupervisor } from '@tickbox/sandbox';
import { createRunnerHost, PUBLIC_BITGET_METHODS } from './runner-public-bitget.ts';

const sim = createSimulator({ port: 0, seed: 7 });
let simUrl = '';
const supervisor = new SandboxSupervisor({ runnerHost: { module: new URL('./runner-public-bitget.ts', import.meta.url).href } });
beforeAll(async () => {
  simUrl = await sim.start();
  await supervisor.start();
});
afterAll(async () => {
  await supervisor.stop();
  await sim.stop();
});

describe('runner-local public ctx.bitget host', () => {
  it('exposes exactly the methods that need no key', () => {
    const host = createRunnerHost({ baseUrl: 'http://127.0.0.1:1', mode: 'sim', productType: 'USDT-FUTURES' });
    expect(Object.keys(host)).toEqual(['bitget']);
    expect(Object.keys(host.bitget).sort()).toEqual(BITGET_METHODS.filter((m) => !m.auth).map((m) => m.name).sort());
    expect(PUBLIC_BITGET_METHODS).toContain('futures_tickers');
    expect(PUBLIC_BITGET_METHODS).not.toContain('futures_accounts');
    expect(PUBLIC_BITGET_METHODS).not.toContain('futures_place_order');
    expect(() => createRunnerHost({ baseUrl: 'http://x', mode: 'prod' })).toThrow(/mode/);
    expect(() => createRunnerHost({ baseUrl: 'ftp://x', mode: 'sim' })).toThrow(/baseUrl/);
  });

  it('serves public calls inside the runner and leaves keyed ones to the scheduler host', async () => {
    const compiled = compileWorker(`export async function tick(ctx) {
      const t = await ctx.bitget.futures_tickers({ symbol: 'BTCUSDT' });
      const a = await ctx.bitget.futures_accounts();
      let bad;
      try { await ctx.bitget.futures_tickers({ symbol: 42, productType: 'NOPE' }); } catch (e) { bad = { name: e.name, code: e.code, stack: e.stack }; }
      return { symbol: t.data[0].symbol, a, bad };
    }`, 'js');
    if (!compiled.ok) throw new Error(compiled.error.message);
    const forwarded: string[] = [];
    const host = {
      bitget: {
        futures_tickers: async () => { forwarded.push('futures_tickers'); return null; },
        futures_accounts: async () => { forwarded.push('futures_accounts'); return 'from the scheduler'; },
      },
    };
    const result = await supervisor.run({
      isolateKey: 'w:v1', workerKey: 'w', compiled: compiled.compiled, entry: 'tick', state: {},
      worker: { id: 'w', name: 'w', mode: 'sim' }, trigger: { type: 'manual' },
      runnerHostConfig: { baseUrl: simUrl, mode: 'sim', productType: 'USDT-FUTURES' },
    }, host);
    expect(result.status).toBe('ok');
    expect(result.hostCalls).toBe(3);
    const value = result.returnValue as { symbol: string; a: string; bad: { name: string; code: unknown; stack: string } };
    expect(value.symbol).toBe('BTCUSDT');
    expect(value.a).toBe('from the scheduler');
    expect(value.bad.name).toMatch(/Bitget/);
    expect(value.bad.stack).not.toMatch(/packages\/bitget|node_modules/);
    expect(forwarded).toEqual(['futures_accounts']);
  });

  it("keeps each runner to its share of the per-IP public limit (ipShare = 1 / runners)", async () => {
    const quarter = new SandboxSupervisor({ runnerHost: { module: new URL('./runner-public-bitget.ts', import.meta.url).href } });
    await quarter.start();
    try {
      expect(() => createRunnerHost({ baseUrl: simUrl, mode: 'sim', ipShare: 2 })).toThrow(/ipShare/);
      const compiled = compileWorker(`export async function tick(ctx) {
        const started = Date.now();
        for (let i = 0; i < 8; i++) await ctx.bitget.futures_tickers({ symbol: 'BTCUSDT' });
        return Date.now() - started;
      }`, 'js');
      if (!compiled.ok) throw new Error(compiled.error.message);
      const result = await quarter.run({
        isolateKey: 'share:v1', workerKey: 'share', compiled: compiled.compiled, entry: 'tick', state: {},
        worker: { id: 'share', name: 'share', mode: 'sim' }, trigger: { type: 'manual' },
        runnerHostConfig: { baseUrl: simUrl, mode: 'sim', productType: 'USDT-FUTURES', ipShare: 0.25 },
      }, { bitget: { futures_tickers: async () => { throw new Error('reached the scheduler host'); } } });
      expect(result.error).toBeUndefined();
      expect(result.status).toBe('ok');
      // 5/s with a burst of 5: the 6th, 7th and 8th calls wait for tokens 200, 400 and 600 ms out.
      expect(result.returnValue as number).toBeGreaterThanOrEqual(550);
    } finally {
      await quarter.stop();
    }
  });

  it('one tick firing many public calls at once cannot take the whole share from the other workers on its runner', async () => {
    const quarter = new SandboxSupervisor({ runners: 1, runnerHost: { module: new URL('./runner-public-bitget.ts', import.meta.url).href } });
    await quarter.start();
    try {
      const flood = compileWorker(`export async function tick(ctx) {
        const calls = Array.from({ length: 40 }, () => ctx.bitget.futures_tickers({ symbol: 'BTCUSDT' }).then(() => 'ok', (e) => e.code));
        const codes = await Promise.all(calls);
        return { ok: codes.filter((c) => c === 'ok').length, limited: codes.filter((c) => c === 'RATE_LIMITED').length };
      }`, 'js');
      const single = compileWorker(`export async function tick(ctx) {
        await ctx.sleep(100);
        const started = Date.now();
        try { await ctx.bitget.futures_tickers({ symbol: 'ETHUSDT' }); return { ok: true, ms: Date.now() - started }; }
        catch (e) { return { ok: false, code: e.code, ms: Date.now() - started }; }
      }`, 'js');
      if (!flood.ok || !single.ok) throw new Error('compile');
      const run = (key: string, compiled: string) => quarter.run({
        isolateKey: `${key}:v1`, workerKey: key, compiled, entry: 'tick', state: {},
        worker: { id: key, name: key, mode: 'sim' }, trigger: { type: 'manual' },
        runnerHostConfig: { baseUrl: simUrl, mode: 'sim', productType: 'USDT-FUTURES', ipShare: 0.25 },
      }, { bitget: { futures_tickers: async () => { throw new Error('reached the scheduler host'); } } });
      const [a, b] = await Promise.all([run('flood', flood.compiled), run('single', single.compiled)]);
      expect(a.error).toBeUndefined();
      expect(a.status).toBe('ok');
      expect(b.status).toBe('ok');
      // 5/s, burst 5, calls wait up to 2 s: the flood gets its slots four at a time, so the other
      // worker's call queues behind at most four of them instead of failing its wait bound.
      expect(b.returnValue).toMatchObject({ ok: true });
      expect((b.returnValue as { ms: number }).ms).toBeLessThan(2000);
      const flooded = a.returnValue as { ok: number; limited: number };
      expect(flooded.ok + flooded.limited).toBe(40);
      expect(flooded.ok).toBeGreaterThan(5);
    } finally {
      await quarter.stop();
    }
  });
});
