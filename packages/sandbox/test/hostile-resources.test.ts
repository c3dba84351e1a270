/**
 * Hostile workers that attack resources: CPU, memory, the stack, the event loop, the runner.
 * Each asserts the exact outcome, that the runner survived (or was restarted once, for the crash
 * case) and that an unrelated worker still ticks with its own state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../src/index.ts';
import { Harness } from './helpers.ts';

const h = new Harness({ limits: { cpuTimeoutMs: 200, wallTimeoutMs: 1_500 } });
beforeAll(() => h.start());
afterAll(() => h.stop());

const CPU_TIMEOUT = { name: 'TimeoutError', code: 'CPU_TIMEOUT', message: 'Run exceeded the CPU time limit of 200 ms and was stopped' };
const WALL_TIMEOUT = { name: 'TimeoutError', code: 'WALL_TIMEOUT', message: 'Run exceeded the wall-clock limit of 1500 ms and was stopped' };
const MEMORY_LIMIT = { name: 'RangeError', code: 'MEMORY_LIMIT', message: 'Worker exceeded the memory limit of 64 MB and was stopped' };

async function expectContained(result: RunResult, status: RunResult['status'], error: object, state = { kept: 1 }) {
  expect(result.status).toBe(status);
  expect(result.error).toEqual(error);
  // a killed run leaves the input state untouched
  expect(result.state).toEqual(state);
  expect(result.stateChanged).toBe(false);
  h.expectRunnerAlive();
  await h.expectControlHealthy();
}

describe('hostile workers: CPU and time', () => {
  it('stops a plain infinite loop at the CPU limit', async () => {
    const result = await h.run(`export function tick(ctx) { ctx.state.set('x', 1); while (true) {} }`, { state: { kept: 1 } });
    await expectContained(result, 'timeout', CPU_TIMEOUT);
    expect(result.cpuMs).toBeGreaterThanOrEqual(195);
    expect(result.wallMs).toBeLessThan(1_000);
  });

  it('stops a loop that starts after an await (not covered by a plain isolated-vm timeout)', async () => {
    const result = await h.run(
      `export async function tick(ctx) { await ctx.bitget.futures_tickers(); await ctx.sleep(10); for (;;) {} }`,
      { state: { kept: 1 } },
    );
    await expectContained(result, 'timeout', CPU_TIMEOUT);
    expect(result.hostCalls).toBe(1);
  });

  it('stops a run that spends its CPU in short bursts between awaits, near the limit (no entry after the budget is spent)', async () => {
    const result = await h.run(
      // Each burst stops 2 ms short of the next 10 ms grid point (the entry deadlines' grid at a
      // 200 ms limit), i.e. just before an entry timeout would fire.
      `export async function tick(ctx) { for (;;) { const end = Math.ceil((Date.now() + 3) / 10) * 10 - 2; while (Date.now() < end) {} await ctx.sleep(0); } }`,
      { state: { kept: 1 } },
    );
    await expectContained(result, 'timeout', CPU_TIMEOUT);
    // At most one grid step (10 ms at a 200 ms limit) and one burst past the budget.
    expect(result.cpuMs).toBeLessThan(240);
    expect(result.wallMs).toBeLessThan(1_000);
  });

  it('stops a loop inside setup', async () => {
    const result = await h.run(`export function setup() { for (;;) {} } export function tick() {}`, { entry: 'setup', state: { kept: 1 } });
    await expectContained(result, 'timeout', CPU_TIMEOUT);
  });

  it('stops a loop in top-level module code', async () => {
    const result = await h.run(`for (;;) {} export function tick() {}`, { state: { kept: 1 } });
    await expectContained(result, 'timeout', CPU_TIMEOUT);
  });

  it('stops a tick awaiting a promise that never settles at the wall-clock deadline', async () => {
    const result = await h.run(`export async function tick() { await new Promise(() => {}); }`, { state: { kept: 1 } });
    await expectContained(result, 'timeout', WALL_TIMEOUT);
    expect(result.wallMs).toBeGreaterThanOrEqual(1_490);
    expect(result.wallMs).toBeLessThan(2_500);
  });

  it('stops many short CPU bursts between sleeps once their sum passes the CPU limit', async () => {
    const result = await h.run(
      `export async function tick(ctx) { for (;;) { const t = Date.now(); while (Date.now() - t < 50) {} await ctx.sleep(1); } }`,
      { state: { kept: 1 } },
    );
    await expectContained(result, 'timeout', CPU_TIMEOUT);
  });

  it('stops catastrophic regular-expression backtracking', async () => {
    const result = await h.run(`export function tick() { return /(a+)+$/.test('a'.repeat(40) + 'b'); }`, { state: { kept: 1 } });
    await expectContained(result, 'timeout', CPU_TIMEOUT);
  });

  it('contains an endless microtask chain', async () => {
    const result = await h.run(`export function tick() { const f = () => Promise.resolve().then(f); f(); }`, { state: { kept: 1 } });
    // Each turn allocates a promise, so the chain ends at whichever limit it reaches first.
    expect(['timeout', 'error']).toContain(result.status);
    expect([CPU_TIMEOUT, MEMORY_LIMIT]).toContainEqual(result.error);
    h.expectRunnerAlive();
    await h.expectControlHealthy();
  });
});

describe('hostile workers: memory and stack', () => {
  it('kills an array memory bomb at the isolate memory limit', async () => {
    const result = await h.run(`export function tick() { const a = []; for (;;) a.push(new Array(1e5).fill(Math.random())); }`, {
      state: { kept: 1 },
      limits: { cpuTimeoutMs: 5_000 },
    });
    await expectContained(result, 'error', MEMORY_LIMIT);
  });

  it('kills a string memory bomb', async () => {
    const result = await h.run(`export function tick() { const a = []; for (let i = 0; ; i++) a.push('x'.repeat(1e6) + i); }`, {
      state: { kept: 1 },
      limits: { cpuTimeoutMs: 5_000 },
    });
    await expectContained(result, 'error', MEMORY_LIMIT);
  });

  it('refuses ArrayBuffer allocations beyond the limit as a catchable RangeError', async () => {
    const result = await h.run(`export function tick() {
  const kept = [];
  try { for (;;) kept.push(new ArrayBuffer(16 * 1024 * 1024)); } catch (e) { return [e.name, e.message, kept.length < 8]; }
}`);
    expect(result).toMatchObject({ status: 'ok', returnValue: ['RangeError', 'Array buffer allocation failed', true] });
    const huge = await h.run(`export function tick() { new ArrayBuffer(2 ** 32); }`);
    expect(huge.error).toMatchObject({ name: 'RangeError', message: 'Array buffer allocation failed' });
    h.expectRunnerAlive();
    await h.expectControlHealthy();
  });

  it('kills a JSON memory bomb', async () => {
    const result = await h.run(
      `export function tick() { const parts = []; for (let i = 0; ; i++) parts.push(JSON.parse(JSON.stringify({ i, pad: 'y'.repeat(1e5) }))); }`,
      { state: { kept: 1 }, limits: { cpuTimeoutMs: 5_000 } },
    );
    await expectContained(result, 'error', MEMORY_LIMIT);
  });

  it('turns exponential string doubling into a catchable RangeError', async () => {
    const result = await h.run(`export function tick() { let s = 'x'; for (;;) s += s; }`);
    expect(result.status).toBe('error');
    expect(result.error).toMatchObject({ name: 'RangeError', message: 'Invalid string length' });
    h.expectRunnerAlive();
  });

  it('reports deep recursion as a RangeError with user frames only', async () => {
    const result = await h.run(`export function tick() {
  const f = () => f();
  f();
}`);
    expect(result.status).toBe('error');
    expect(result.error!.name).toBe('RangeError');
    expect(result.error!.message).toBe('Maximum call stack size exceeded');
    expect(result.error!.stack!.split('\n').slice(1).every((line) => line === '    at f (worker.js:2:19)')).toBe(true);
    h.expectRunnerAlive();
    await h.expectControlHealthy();
  });
});

describe('hostile workers: the runner process', () => {
  it('records a run as crashed when its runner dies, restarts the runner and carries on', async () => {
    const pid = h.supervisor.runnerPids()[0]!;
    const pending = h.run(`export async function tick(ctx) { ctx.state.set('lost', true); await ctx.sleep(5_000); }`, {
      state: { kept: 1 },
      limits: { wallTimeoutMs: 10_000 },
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(pid, 'SIGKILL'); // what a V8 fatal error or the kernel OOM killer does
    const result = await pending;
    expect(result.status).toBe('crashed');
    expect(result.error).toEqual({
      name: 'SandboxError',
      code: 'RUNNER_CRASHED',
      message: 'The sandbox runner crashed (signal SIGKILL) during this run and was restarted',
    });
    expect(result.state).toEqual({ kept: 1 });
    await h.expectControlHealthy();
    h.expectRunnerAlive(1);
    expect(h.supervisor.runnerPids()[0]).not.toBe(pid);
  });
});
