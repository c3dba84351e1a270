import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry, RunRequest } from '../src/index.ts';
import { compile, Harness } from './helpers.ts';

const h = new Harness();
beforeAll(() => h.start());
afterAll(() => h.stop());

let seq = 0;
function request(source: string, limits?: RunRequest['limits']): RunRequest {
  const key = `live${++seq}`;
  const request: RunRequest = {
    isolateKey: `${key}:v1`,
    workerKey: key,
    compiled: compile(source),
    entry: 'tick',
    state: {},
    worker: { id: key, name: key, mode: 'sim' },
    trigger: { type: 'manual' },
  };
  if (limits) request.limits = limits;
  return request;
}

describe('SandboxSupervisor: live logs (run options.onLog)', () => {
  it('streams each entry while the tick runs, identical to result.logs', async () => {
    const seen: { entry: LogEntry; at: number }[] = [];
    const started = performance.now();
    const result = await h.supervisor.run(
      request(`export async function tick(ctx) {
  ctx.log.info('before', { n: 1 });
  await ctx.bitget.futures_tickers({ symbol: 'BTCUSDT' });
  await ctx.sleep(300);
  console.error(new Error('boom'));
  ctx.log.warn('after');
}`),
      h.host,
      { onLog: (entry) => seen.push({ entry, at: performance.now() - started }) },
    );
    const finished = performance.now() - started;
    expect(result.status).toBe('ok');
    expect(seen.map((s) => s.entry)).toEqual(result.logs);
    expect(result.logs.map((l) => [l.level, l.message])).toEqual([
      ['info', 'before { n: 1 }'],
      ['error', 'Error: boom\n    at tick (worker.js:5:17)'],
      ['warn', 'after'],
    ]);
    // The first line arrived while the tick was still sleeping, well before the run finished.
    expect(finished).toBeGreaterThanOrEqual(300);
    expect(seen[0]!.at).toBeLessThan(finished - 200);
    expect(seen[2]!.at).toBeGreaterThanOrEqual(300);
  });

  it('applies the same caps and truncation marker, and also delivers the sandbox notes', async () => {
    const seen: LogEntry[] = [];
    const result = await h.supervisor.run(
      request(`export async function tick(ctx) {
  for (let i = 0; i < 5; i++) ctx.log.info('line ' + i);
  ctx.log.info('x'.repeat(100));
  void ctx.bitget.slow();
}`, { maxLogLines: 3 }),
      { bitget: { slow: () => new Promise((resolve) => setTimeout(() => resolve(1), 50)) } },
      { onLog: (entry) => seen.push(entry) },
    );
    expect(result.status).toBe('ok');
    expect(seen).toEqual(result.logs);
    expect(seen.map((l) => l.message)).toEqual([
      'line 0',
      'line 1',
      'line 2',
      expect.stringMatching(/^\[log truncated: 3 more line\(s\) dropped/),
      expect.stringMatching(/^\[sandbox\] 1 ctx call\(s\) were still pending/),
    ]);
  });

  it('survives a throwing callback and refuses a callback that is not a function', async () => {
    let calls = 0;
    const result = await h.supervisor.run(request(`export function tick(ctx) { ctx.log.info('a'); ctx.log.info('b'); }`), h.host, {
      onLog: () => {
        calls++;
        throw new Error('consumer bug');
      },
    });
    expect(result.status).toBe('ok');
    expect(result.logs.map((l) => l.message)).toEqual(['a', 'b']);
    expect(calls).toBe(2);
    await expect(h.supervisor.run(request(`export function tick() {}`), h.host, { onLog: 'nope' as never })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await h.expectControlHealthy();
  });

  it('does not stream when no callback is given', async () => {
    const result = await h.supervisor.run(request(`export function tick(ctx) { ctx.log.info('quiet'); }`), h.host);
    expect(result.logs.map((l) => l.message)).toEqual(['quiet']);
  });
});
