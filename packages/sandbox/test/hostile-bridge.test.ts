/**
 * Hostile workers that abuse the ctx bridge: polluted built-ins, exotic parameters, secrets,
 * other workers' state, floods, late calls and unserialisable results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, Harness } from './helpers.ts';

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

describe('hostile workers: the ctx bridge', () => {
  it('keeps ctx working after prototype pollution, and pollution never reaches the host', async () => {
    h.calls.length = 0;
    const result = await h.run(`
      export async function tick(ctx) {
        Object.prototype.symbol = 'DOGEUSDT';
        Array.prototype.push = () => { throw new Error('push'); };
        Array.prototype[Symbol.iterator] = function* () { yield 'evil'; };
        JSON.stringify = () => '{"hijacked":1}';
        JSON.parse = () => ({ hijacked: 2 });
        Map.prototype.get = () => 'evil'; Map.prototype.set = () => { throw new Error('set'); };
        Promise.prototype.then = function () { throw new Error('then'); };
        String.prototype.slice = () => 'evil';
        Function.prototype.apply = () => 'evil';
        Reflect.apply = () => 'evil';
        const t = await ctx.bitget.futures_tickers({ size: '1' });
        ctx.state.set('k', { v: 1 });
        ctx.log.info('still logging');
        return { code: t.code, state: ctx.state.get('k') };
      }`);
    expect(result.status).toBe('ok');
    expect(h.calls).toEqual([{ fn: 'futures_tickers', args: [{ size: '1' }] }]);
    expect(Object.getPrototypeOf(h.calls[0]!.args[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).symbol).toBeUndefined();
    expect(result.state).toEqual({ k: { v: 1 } });
    expect(result.logs.map((l) => l.message)).toEqual(['still logging']);
    await h.expectControlHealthy();
  });

  it('index setters on Array.prototype and Object.prototype never see or forge a bridge message', async () => {
    h.calls.length = 0;
    const result = await h.run(`
      export async function tick(ctx) {
        const seen = [];
        for (const proto of [Array.prototype, Object.prototype]) {
          for (const index of ['0', '1', '2', '3', '5', '6']) {
            Object.defineProperty(proto, index, {
              configurable: true,
              get() { return undefined; },
              // a forged message: a long sleep instead of the call
              set(v) { seen.push(String(this[0]), String(this[1])); try { this[0] = 'sleep'; this[3] = 1500; } catch {} },
            });
          }
        }
        const t = await ctx.bitget.futures_tickers({ symbol: 'BTCUSDT' }, 'x');
        await ctx.bitget.futures_tickers('a', 'b', 'c', 'd', 'e', 'f'); // past the direct arities
        return { code: t.code, seen };
      }`, { limits: { maxSleepMs: 100 } });
    expect(result.status).toBe('ok');
    expect(result.returnValue).toEqual({ code: '00000', seen: [] });
    expect(h.calls).toEqual([
      { fn: 'futures_tickers', args: [{ symbol: 'BTCUSDT' }, 'x'] },
      { fn: 'futures_tickers', args: ['a', 'b', 'c', 'd', 'e', 'f'] },
    ]);
    await h.expectControlHealthy();
  });

  it('copies Proxy, getter, toJSON and Symbol.toPrimitive parameters once, inside the isolate', async () => {
    h.calls.length = 0;
    const result = await h.run(`
      export async function tick(ctx) {
        let reads = 0;
        const proxy = new Proxy({ symbol: 'BTCUSDT' }, { get(t, k) { reads++; return k === 'toJSON' ? undefined : t[k] + reads; } });
        const getter = { get size() { return String(++reads); } };
        const toJson = { toJSON() { return { side: 'buy' }; } };
        const prim = { [Symbol.toPrimitive]() { throw new Error('never coerced'); }, v: 1 };
        await ctx.bitget.futures_place_order(proxy, getter, toJson, prim);
        const errors = [];
        const revoked = Proxy.revocable({}, {}); revoked.revoke();
        for (const bad of [revoked.proxy, { f() {} }, { s: Symbol('x') }, { b: 1n }, (() => { const c = {}; c.c = c; return c; })()]) {
          try { await ctx.bitget.futures_place_order(bad); } catch (e) { errors.push(e.name); }
        }
        return errors;
      }`);
    expect(result.status).toBe('ok');
    expect(h.calls).toEqual([{ fn: 'futures_place_order', args: [{ symbol: 'BTCUSDT2' }, { size: '3' }, { side: 'buy' }, { v: 1 }] }]);
    expect(result.returnValue).toEqual(['TypeError', 'TypeError', 'TypeError', 'TypeError', 'TypeError']);
    expect(result.hostCalls).toBe(1);
  });

  it('reads no keys or secrets through ctx or host errors', async () => {
    const result = await h.run(`
      export async function tick(ctx) {
        const dump = [];
        const seen = new Set();
        const walk = (v, depth) => {
          if (v === null || typeof v !== 'object' && typeof v !== 'function' || seen.has(v) || depth > 5) return;
          seen.add(v);
          for (const k of Reflect.ownKeys(v)) { dump.push(String(k)); try { const d = Object.getOwnPropertyDescriptor(v, k); walk(d.value, depth + 1); dump.push(typeof d.value === 'string' ? d.value : ''); } catch {} }
        };
        walk(ctx, 0);
        try { await ctx.bitget.fail(); } catch (e) { walk(e, 0); dump.push(String(e.stack), JSON.stringify(e), String(e.cause)); }
        return dump.join(' ');
      }`);
    expect(result.status).toBe('ok');
    const text = result.returnValue as string;
    expect(text).not.toMatch(/sk-live|ak-live|ACCESS-KEY|socket|headers|secret/);
  });

  it('cannot reach another worker\'s state or module globals', async () => {
    await h.run(`export function tick(ctx) { globalThis.secret = 'A'; ctx.state.set('mine', 'A-state'); }`, { key: 'owner-a', state: {} });
    const b = await h.run(
      `export function tick(ctx) { return { global: typeof globalThis.secret, keys: ctx.state.keys(), other: ctx.state.get('mine') }; }`,
      { key: 'owner-b', state: { theirs: 'B' } },
    );
    expect(b.returnValue).toEqual({ global: 'undefined', keys: ['theirs'], other: undefined });
  });

  it('caps a giant log flood and a giant state', async () => {
    const flood = await h.run(`export function tick(ctx) { for (let i = 0; i < 1e6; i++) console.log('spam', i, 'y'.repeat(100)); }`);
    expect(flood.status).toBe('ok');
    expect(flood.logs.length).toBeLessThanOrEqual(201);
    expect(flood.logs.reduce((n, l) => n + Buffer.byteLength(l.message), 0)).toBeLessThan(32 * 1024 + 300);
    expect(flood.logs.at(-1)!.message).toMatch(/^\[log truncated: \d+ more line\(s\) dropped; limits are 200 lines and 32768 bytes per run\]$/);

    const big = await h.run(`
      export function tick(ctx) {
        for (let i = 0; ; i++) {
          try { ctx.state.set('k' + i, 'z'.repeat(10_000)); } catch (e) { ctx.log.warn(e.message); throw e; }
        }
      }`, { state: { before: 1 } });
    expect(big.status).toBe('error');
    expect(big.error).toMatchObject({ name: 'RangeError', code: 'STATE_TOO_LARGE', message: expect.stringMatching(/^ctx\.state would hold about \d+ bytes, above the limit of 262144 bytes$/) });
    // the state persisted after the throw is the last one within the cap
    expect(Buffer.byteLength(JSON.stringify(big.state))).toBeLessThanOrEqual(262_144);
    expect(Object.keys(big.state)).toHaveLength(27);
    await h.expectControlHealthy();
  });

  it('refuses and records ctx calls made after the tick finished', async () => {
    const calls: unknown[] = [];
    const host = {
      bitget: {
        futures_tickers: async () => {
          await new Promise((resolve) => setTimeout(resolve, 50));
          calls.push('tickers');
          return { code: '00000' };
        },
        futures_place_order: async (order: unknown) => {
          calls.push(order);
          return { code: '00000' };
        },
      },
    };
    const compiled = compile(`
      let saved;
      export async function tick(ctx) {
        if (saved) {
          // a ctx kept from an earlier tick: every member refuses
          const refused = [];
          for (const call of [() => saved.bitget.futures_place_order({ symbol: 'X' }), () => saved.state.set('a', 1), () => saved.log.info('x'), () => saved.sleep(1)]) {
            try { await call(); refused.push('allowed'); } catch (e) { refused.push(e.code); }
          }
          return refused;
        }
        saved = ctx;
        // fire-and-forget: these continuations would run after the tick; they never run
        ctx.sleep(20).then(() => ctx.bitget.futures_place_order({ symbol: 'LATE' }));
        ctx.bitget.futures_tickers().then(() => ctx.bitget.futures_place_order({ symbol: 'LATE2' }));
      }`);
    const first = await h.run({ compiled }, { key: 'late', host });
    expect(first.status).toBe('ok');
    expect(first.hostCalls).toBe(1);
    // the host finished the call the tick started before the run was reported
    expect(calls).toEqual(['tickers']);
    expect(first.wallMs).toBeGreaterThanOrEqual(45);
    expect(first.logs.map((l) => l.message)).toEqual([
      '[sandbox] 1 ctx call(s) were still pending when the run finished (missing await?); their results were discarded',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await h.run({ compiled }, { key: 'late', host });
    expect(second.returnValue).toEqual(['TICK_FINISHED', 'TICK_FINISHED', 'allowed', 'TICK_FINISHED']);
    expect(second.lateCalls).toBe(4);
    expect(second.hostCalls).toBe(0);
    expect(second.logs.at(-1)!.message).toBe(
      '[sandbox] refused 4 ctx call(s) made after their tick had finished: ctx.bitget.futures_place_order(), ctx.state.set(), ctx.log.info(), ctx.sleep()',
    );
    expect(calls).toEqual(['tickers']);
  });

  it('reports cyclic and huge return values as errors', async () => {
    const cyclic = await h.run(`export function tick(ctx) { ctx.state.set('saved', 1); const a = {}; a.self = a; return a; }`);
    expect(cyclic.status).toBe('error');
    expect(cyclic.error!.name).toBe('TypeError');
    expect(cyclic.error!.message).toMatch(/^tick\(\) returned a value that is not JSON-serialisable: Converting circular structure to JSON/);
    expect(cyclic.state).toEqual({ saved: 1 });
    const fn = await h.run(`export function tick() { return { f() {} }; }`);
    expect(fn.error!.message).toBe('tick() returned a value that is not JSON-serialisable: a function at key "f"');
    const huge = await h.run(`export function tick() { return new Array(1e6).fill('x'); }`);
    expect(huge.error).toEqual({ name: 'RangeError', code: 'RETURN_TOO_LARGE', message: 'tick() returned 4000001 bytes of JSON, above the limit of 16384 bytes' });
    await h.expectControlHealthy();
  });

  it('survives objects with hostile getters thrown as errors and logged', async () => {
    const result = await h.run(`
      export function tick(ctx) {
        const evil = { get message() { throw new Error('no'); }, get name() { return 123; }, get stack() { return '    at /etc/passwd:1:1'; } };
        ctx.log.info(new Proxy({}, { ownKeys() { throw new Error('trap'); } }));
        ctx.log.info({ [Symbol.toPrimitive]() { throw 1; }, toString() { throw 2; } });
        throw evil;
      }`);
    expect(result.status).toBe('error');
    expect(result.error).toEqual({ name: 'Error', message: 'a value that could not be read was thrown' });
    expect(result.logs.map((l) => l.message)).toEqual(['[uninspectable]', '{ toString: [Function toString] }']);
  });
});
