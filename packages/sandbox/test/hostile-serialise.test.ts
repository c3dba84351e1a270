// Worker code that tampers with what the sandbox itself serialises or reads (Object.prototype.toJSON,
// getters on tick/setup): found by review; each used to freeze or crash a runner or the supervisor.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from './helpers.ts';

const h = new Harness({ limits: { cpuTimeoutMs: 200, wallTimeoutMs: 1_500 } });
beforeAll(() => h.start());
afterAll(() => h.stop());

const CPU_TIMEOUT = { name: 'TimeoutError', code: 'CPU_TIMEOUT', message: 'Run exceeded the CPU time limit of 200 ms and was stopped' };

describe('hostile workers: the sandbox reading and serialising for itself', () => {
  it('stops a spinning getter named setup on the global object (script worker) at the CPU limit', async () => {
    const result = await h.run(`function tick(ctx) {} Object.defineProperty(globalThis, 'setup', { get() { for (;;) {} } });`);
    expect(result.status).toBe('timeout');
    expect(result.error).toEqual(CPU_TIMEOUT);
    expect(result.wallMs).toBeLessThan(1_000);
    h.expectRunnerAlive();
    await h.expectControlHealthy();
  });

  it('stops a spinning Object.prototype.toJSON when the module has no tick function, and when it throws at top level', async () => {
    for (const code of [
      'Object.prototype.toJSON = function () { for (;;) {} }; export const tick = 1;',
      "Object.prototype.toJSON = function () { for (;;) {} }; throw new Error('x'); export function tick() {}",
    ]) {
      const result = await h.run(code);
      expect(result.status, code).toBe('timeout');
      expect(result.error, code).toEqual(CPU_TIMEOUT);
      expect(result.wallMs, code).toBeLessThan(1_000);
      h.expectRunnerAlive();
    }
    await h.expectControlHealthy();
  });

  it('does not believe a run result forged through Object.prototype.toJSON (state that is not JSON, a giant error)', async () => {
    const forgedState = await h.run(`export function tick(ctx) {
      Object.prototype.toJSON = function () { return Object.hasOwn(this, 'droppedLogs') ? { state: [['k', '{not json']], droppedLogs: 0 } : this; };
    }`, { state: { kept: 1 } });
    expect(forgedState.status).toBe('error');
    expect(forgedState.error).toMatchObject({ name: 'SandboxError', code: 'BAD_RESULT' });
    expect(forgedState.state).toEqual({ kept: 1 });
    expect(forgedState.stateChanged).toBe(false);

    const giant = await h.run(`export function tick(ctx) {
      Object.prototype.toJSON = function () { return Object.hasOwn(this, 'ok') ? { ok: false, error: { name: 'E'.repeat(1e5), message: 'x'.repeat(2e7) } } : this; };
    }`);
    expect(giant.status).toBe('error');
    expect(giant.error!.name.length).toBeLessThanOrEqual(220);
    expect(giant.error!.message.length).toBeLessThanOrEqual(4_200);
    h.expectRunnerAlive();
    await h.expectControlHealthy();
  });
});
