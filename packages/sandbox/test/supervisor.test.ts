import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileWorker, DEFAULT_LIMITS, SandboxError, SandboxSupervisor } from '../src/index.ts';
import { compile, Harness } from './helpers.ts';

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

describe('SandboxSupervisor: setup, tick and ctx', () => {
  it('runs setup then ticks in a warm isolate, forwarding ctx.bitget calls in both forms', async () => {
    const compiled = compile(
      `
      let loads = 0; loads++;
      export async function setup(ctx) { ctx.state.set('setupAt', ctx.trigger.type); }
      export async function tick(ctx) {
        const positional = await ctx.bitget.futures_candles('BTCUSDT', '1H', undefined, 5);
        const named = await ctx.bitget.futures_place_order({ symbol: 'BTCUSDT', side: 'buy', size: '0.01' });
        ctx.state.set('n', ctx.state.get('n', 0) + 1);
        ctx.log.info('tick', ctx.worker.id, ctx.worker.mode, loads);
        return { positional: positional.args, named: named.args, loads };
      }`,
      'ts',
    );
    const base = { isolateKey: 'main:v1', workerKey: 'main', compiled, worker: { id: 'main', name: 'Main', mode: 'demo' } };
    const setup = await h.supervisor.run({ ...base, entry: 'setup', state: {}, trigger: { type: 'manual' } }, h.host);
    expect(setup).toMatchObject({ status: 'ok', state: { setupAt: 'manual' }, stateChanged: true, hostCalls: 0 });

    const first = await h.supervisor.run({ ...base, entry: 'tick', state: setup.state, trigger: { type: 'schedule', scheduledAt: 1 } }, h.host);
    expect(first.status).toBe('ok');
    expect(first.returnValue).toEqual({
      // undefined positional arguments stay undefined (JSON null would defeat host defaults)
      positional: ['BTCUSDT', '1H', null, 5],
      named: [{ symbol: 'BTCUSDT', side: 'buy', size: '0.01' }],
      loads: 1,
    });
    const candleCall = h.calls.find((c) => c.fn === 'futures_candles')!;
    expect(candleCall.args).toEqual(['BTCUSDT', '1H', undefined, 5]);
    expect(first.state).toEqual({ setupAt: 'manual', n: 1 });
    expect(first.hostCalls).toBe(2);
    expect(first.logs).toEqual([{ level: 'info', message: 'tick main demo 1', at: expect.any(Number) }]);
    expect(first.cpuMs).toBeGreaterThan(0);
    expect(first.wallMs).toBeGreaterThanOrEqual(first.cpuMs * 0.5);

    const second = await h.supervisor.run({ ...base, entry: 'tick', state: first.state, trigger: { type: 'manual' } }, h.host);
    expect(second.state).toEqual({ setupAt: 'manual', n: 2 });
    expect((second.returnValue as { loads: number }).loads).toBe(1); // same isolate, module loaded once
  });

  it('runs a script declaring top-level functions, and a module without setup', async () => {
    const script = await h.run(`function tick(ctx) { ctx.state.set('ran', true); return 42; }`);
    expect(script).toMatchObject({ status: 'ok', returnValue: 42, state: { ran: true } });
    const noSetup = await h.run(`export function tick() {}`, { entry: 'setup' });
    expect(noSetup).toMatchObject({ status: 'ok', stateChanged: false });
  });

  it('persists state when the tick throws, and reports user frames at original lines', async () => {
    const compiled = compileWorker(
      `type Pos = { size: number };
export async function tick(ctx: any) {
  const pos: Pos = { size: 1 };
  ctx.state.set('pos', pos);
  await ctx.bitget.futures_tickers();
  throw new Error('after the order');
}`,
      'ts',
    );
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    const run = await h.run({ compiled: compiled.compiled }, { state: { old: 1 } });
    expect(run.status).toBe('error');
    expect(run.error).toEqual({
      name: 'Error',
      message: 'after the order',
      stack: 'Error: after the order\n    at tick (worker.ts:6:9)',
    });
    expect(run.state).toEqual({ old: 1, pos: { size: 1 } });
    expect(run.stateChanged).toBe(true);
  });

  it('gives ctx.state copy semantics and rejects values that are not JSON', async () => {
    const result = await h.run(`
      export function tick(ctx) {
        const o = ctx.state.get('o');
        o.mutated = true;                       // a copy: not saved unless set
        const errors = [];
        for (const bad of [() => 1, Symbol('s'), 10n]) {
          try { ctx.state.set('bad', { bad }); } catch (e) { errors.push(e.name + ': ' + e.message); }
        }
        const cyclic = {}; cyclic.self = cyclic;
        try { ctx.state.set('c', cyclic); } catch (e) { errors.push(e.name); }
        ctx.state.delete('gone');
        ctx.state.set('undef', undefined);
        return { errors, keys: ctx.state.keys(), missing: ctx.state.get('nope', 'dflt') };
      }`, { state: { o: { a: 1 }, gone: 1, undef: 2 } });
    expect(result.status).toBe('ok');
    expect(result.state).toEqual({ o: { a: 1 } });
    expect(result.returnValue).toEqual({
      errors: [
        'TypeError: ctx.state.set("bad") value is not JSON-serialisable: a function at key "bad"',
        'TypeError: ctx.state.set("bad") value is not JSON-serialisable: a symbol at key "bad"',
        'TypeError: ctx.state.set("bad") value is not JSON-serialisable: a bigint at key "bad"',
        'TypeError',
      ],
      keys: ['o'],
      missing: 'dflt',
    });
  });

  it('hands host errors to user code as sanitised errors with whitelisted fields only', async () => {
    const result = await h.run(`
      export async function tick(ctx) {
        try { await ctx.bitget.fail({ symbol: 'X' }); }
        catch (e) {
          return { name: e.name, message: e.message, code: e.code, detail: e.detail, context: e.context, status: e.status,
            keys: Object.getOwnPropertyNames(e).sort(), isError: e instanceof Error, stack: e.stack };
        }
      }`);
    expect(result.returnValue).toEqual({
      name: 'BitgetAPIError',
      message: 'Insufficient balance',
      code: '40762',
      detail: 'The order amount exceeds the balance',
      context: { method: 'futures_place_order', path: '/api/v2/mix/order/place-order' },
      status: 400,
      keys: ['code', 'context', 'detail', 'message', 'name', 'stack', 'status'],
      isError: true,
      // the stack points at the user's awaiting frame (V8 async stack trace), never at host code
      stack: expect.stringMatching(/^BitgetAPIError: Insufficient balance\n {4}at async tick \(tickbox:worker:\d+:\d+\)$/),
    });
  });

  it('exposes frozen ctx, worker and trigger; ctx.sleep waits', async () => {
    const result = await h.run(`
      export async function tick(ctx) {
        const t0 = Date.now();
        await ctx.sleep(30);
        return {
          slept: Date.now() - t0 >= 25,
          frozen: [ctx, ctx.bitget, ctx.state, ctx.log, ctx.worker, ctx.trigger, ctx.trigger.payload, ctx.sleep, ctx.bitget.futures_tickers].every(Object.isFrozen),
          keys: Object.keys(ctx).sort(),
          worker: ctx.worker, trigger: ctx.trigger,
        };
      }`, { key: 'wk', trigger: { type: 'webhook', payload: { alert: 'buy' } } });
    expect(result.returnValue).toEqual({
      slept: true,
      frozen: true,
      keys: ['bitget', 'log', 'sleep', 'state', 'trigger', 'worker'],
      worker: { id: 'wk', name: 'worker wk', mode: 'sim' },
      trigger: { type: 'webhook', payload: { alert: 'buy' } },
    });
  });

  it('maps console.* to logs with levels, formats values and maps stacks in logged errors', async () => {
    const result = await h.run(`export function tick(ctx) {
  console.log('a', 1, { b: [1, 2] }, null, undefined);
  console.debug('d'); console.warn('w'); console.error(new Error('boom'));
  ctx.log.error('e', () => 1);
}`);
    expect(result.logs.map((l) => [l.level, l.message])).toEqual([
      ['info', 'a 1 { b: [1, 2] } null undefined'],
      ['debug', 'd'],
      ['warn', 'w'],
      ['error', 'Error: boom\n    at tick (worker.js:3:56)'],
      ['error', 'e [Function (anonymous)]'],
    ]);
  });
});

describe('SandboxSupervisor: limits', () => {
  it('documents its defaults', () => {
    expect(DEFAULT_LIMITS).toEqual({
      memoryMb: 64,
      cpuTimeoutMs: 1000,
      wallTimeoutMs: 10000,
      maxHostCalls: 100,
      maxLogLines: 200,
      maxLogBytes: 32768,
      maxStateBytes: 262144,
      maxReturnBytes: 16384,
    });
  });

  it('caps ctx calls per tick', async () => {
    const result = await h.run(`
      export async function tick(ctx) {
        let refused;
        for (let i = 0; i < 5; i++) {
          try { await ctx.bitget.futures_tickers(); } catch (e) { refused = e.code + ' ' + e.message; }
        }
        return refused;
      }`, { limits: { maxHostCalls: 3 } });
    expect(result.status).toBe('ok');
    expect(result.hostCalls).toBe(3);
    expect(result.returnValue).toBe('HOST_CALL_LIMIT ctx.bitget.futures_tickers() refused: at most 3 ctx calls per tick');
  });

  it('caps log lines and bytes with a truncation marker', async () => {
    const lines = await h.run(`export function tick(ctx) { for (let i = 0; i < 50; i++) ctx.log.info('line ' + i); }`, {
      limits: { maxLogLines: 10 },
    });
    expect(lines.logs).toHaveLength(11);
    expect(lines.logs[9]!.message).toBe('line 9');
    expect(lines.logs[10]).toMatchObject({
      level: 'warn',
      message: '[log truncated: 40 more line(s) dropped; limits are 10 lines and 32768 bytes per run]',
    });
    const bytes = await h.run(`export function tick(ctx) { ctx.log.info('x'.repeat(5000)); ctx.log.info('more'); }`, {
      limits: { maxLogBytes: 1000 },
    });
    expect(bytes.logs[0]!.message).toBe(`${'x'.repeat(1000)}… [line truncated]`);
    expect(bytes.logs.at(-1)!.message).toMatch(/^\[log truncated: 1 more line\(s\) dropped/);
  });

  it('caps state size at set() and keeps the last good state', async () => {
    const result = await h.run(`
      export function tick(ctx) {
        ctx.state.set('small', 'ok');
        try { ctx.state.set('big', 'x'.repeat(2000)); } catch (e) { return e.name + ' ' + e.code; }
      }`, { limits: { maxStateBytes: 1000 } });
    expect(result).toMatchObject({ status: 'ok', returnValue: 'RangeError STATE_TOO_LARGE', state: { small: 'ok' } });
  });

  it('caps returned values', async () => {
    const result = await h.run(`export function tick() { return 'x'.repeat(100); }`, { limits: { maxReturnBytes: 50 } });
    expect(result.status).toBe('error');
    expect(result.error).toEqual({
      name: 'RangeError',
      code: 'RETURN_TOO_LARGE',
      message: 'tick() returned 102 bytes of JSON, above the limit of 50 bytes',
    });
    expect(result.returnValue).toBeUndefined();
  });

  it('refuses ctx.sleep beyond maxSleepMs', async () => {
    const result = await h.run(`export async function tick(ctx) { try { await ctx.sleep(5000); } catch (e) { return e.message; } }`, {
      limits: { maxSleepMs: 100 },
    });
    expect(result.returnValue).toBe('ctx.sleep(5000) is longer than the 100 ms limit');
  });

  it('rejects invalid limits and requests without running anything', async () => {
    await expect(h.run(`export function tick() {}`, { limits: { memoryMb: 2 } })).rejects.toMatchObject({ code: 'INVALID_LIMITS' });
    await expect(h.run(`export function tick() {}`, { host: { state: {} } })).rejects.toMatchObject({ code: 'INVALID_HOST' });
  });
});

describe('SandboxSupervisor: lifecycle', () => {
  it('rebuilds on a new isolateKey and evicts the old version of the worker', async () => {
    const v1 = compile(`let n = 0; export function tick() { return ['v1', ++n]; }`);
    const v2 = compile(`let n = 0; export function tick() { return ['v2', ++n]; }`);
    const req = (isolateKey: string, compiled: string) => ({
      isolateKey, workerKey: 'life', compiled, entry: 'tick' as const, state: {}, worker: { id: 'life', name: 'l', mode: 'sim' }, trigger: { type: 'manual' as const },
    });
    const before = h.supervisor.stats().isolates;
    expect((await h.supervisor.run(req('life:1', v1), h.host)).returnValue).toEqual(['v1', 1]);
    expect((await h.supervisor.run(req('life:1', v1), h.host)).returnValue).toEqual(['v1', 2]);
    expect(h.supervisor.stats().isolates).toBe(before + 1);
    expect((await h.supervisor.run(req('life:2', v2), h.host)).returnValue).toEqual(['v2', 1]);
    expect(h.supervisor.stats().isolates).toBe(before + 1);
  });

  it('caps warm isolates (LRU) and evicts idle ones', async () => {
    const small = new SandboxSupervisor({ maxIsolatesPerRunner: 2, idleEvictMs: 300 });
    await small.start();
    try {
      const compiled = compile(`let n = 0; export function tick() { return ++n; }`);
      const run = (key: string) =>
        small.run({ isolateKey: key, workerKey: key, compiled, entry: 'tick', state: {}, worker: { id: key, name: key, mode: 'sim' }, trigger: { type: 'manual' } }, {});
      await run('a');
      await run('b');
      expect((await run('a')).returnValue).toBe(2);
      await run('c'); // evicts b, the least recently used
      expect(small.stats().isolates).toBe(2);
      expect((await run('a')).returnValue).toBe(3);
      expect((await run('b')).returnValue).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(small.stats().isolates).toBe(0);
      expect((await run('a')).returnValue).toBe(1);
    } finally {
      await small.stop();
    }
  });

  it('serialises runs of one worker and runs different workers concurrently', async () => {
    const compiled = compile(`export async function tick(ctx) { await ctx.sleep(100); return Date.now(); }`);
    const run = (key: string) =>
      h.supervisor.run({ isolateKey: key, workerKey: key.split(':')[0]!, compiled, entry: 'tick', state: {}, worker: { id: key, name: key, mode: 'sim' }, trigger: { type: 'manual' } }, {});
    const t0 = Date.now();
    await Promise.all([run('p:1'), run('q:1'), run('r:1')]);
    expect(Date.now() - t0).toBeLessThan(280);
    const same = await Promise.all([run('s:1'), run('s:1')]);
    expect(Math.abs((same[1]!.returnValue as number) - (same[0]!.returnValue as number))).toBeGreaterThanOrEqual(95);
  });

  it('refuses to run before start and after stop', async () => {
    const fresh = new SandboxSupervisor();
    const request = { isolateKey: 'x', workerKey: 'x', compiled: compile('export function tick() {}'), entry: 'tick' as const, state: {}, worker: { id: 'x', name: 'x', mode: 'sim' }, trigger: { type: 'manual' as const } };
    await expect(fresh.run(request, {})).rejects.toBeInstanceOf(SandboxError);
    await fresh.start();
    expect((await fresh.run(request, {})).status).toBe('ok');
    const pending = fresh.run({ ...request, isolateKey: 'x:2', compiled: compile('export function tick(ctx) { return ctx.sleep(5000); }') }, {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await fresh.stop();
    await expect(pending).rejects.toMatchObject({ code: 'SUPERVISOR_STOPPED' });
    await expect(fresh.run(request, {})).rejects.toMatchObject({ code: 'SUPERVISOR_STOPPED' });
    expect(fresh.stats().runners).toBe(0);
  });

  it('keeps a tick running through SIGINT/SIGTERM/SIGHUP sent to the runner (Ctrl-C or systemd signal the whole group); stop() still ends it', async () => {
    const fresh = new SandboxSupervisor();
    await fresh.start();
    const [pid] = fresh.runnerPids();
    const request = {
      isolateKey: 'sig:1', workerKey: 'sig', entry: 'tick' as const, state: {}, worker: { id: 'sig', name: 'sig', mode: 'sim' }, trigger: { type: 'manual' as const },
      compiled: compile('export async function tick(ctx) { await ctx.sleep(300); return "drained"; }'),
    };
    const pending = fresh.run(request, {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.kill(pid!, signal);
    const result = await pending;
    expect(result).toMatchObject({ status: 'ok', returnValue: 'drained' });
    expect(fresh.runnerPids()).toEqual([pid]);
    await fresh.stop();
    expect(() => process.kill(pid!, 0)).toThrow();
  });
});
