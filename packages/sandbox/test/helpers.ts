import { expect } from 'vitest';
import { compileWorker, SandboxSupervisor, type HostApi, type RunRequest, type RunResult, type SandboxLimits, type SupervisorOptions } from '../src/index.ts';

export function compile(source: string, language: 'js' | 'ts' = 'js'): string {
  const result = compileWorker(source, language);
  if (!result.ok) throw new Error(`test worker does not compile: ${result.error.message} at ${result.error.line}:${result.error.column}`);
  return result.compiled;
}

let seq = 0;

export interface RunOptions {
  entry?: 'setup' | 'tick';
  state?: Record<string, unknown>;
  limits?: Partial<SandboxLimits>;
  host?: HostApi;
  key?: string;
  trigger?: RunRequest['trigger'];
  runnerHostConfig?: unknown;
}

/** A supervisor shared by the tests of one file, plus a control worker that must stay unaffected. */
export class Harness {
  readonly supervisor: SandboxSupervisor;
  readonly calls: { fn: string; args: unknown[] }[] = [];
  readonly host: HostApi;
  #controlTicks = 0;

  constructor(options: SupervisorOptions = {}) {
    this.supervisor = new SandboxSupervisor(options);
    const record =
      (fn: string, result: (...args: unknown[]) => unknown) =>
      async (...args: unknown[]) => {
        this.calls.push({ fn, args });
        return result(...args);
      };
    this.host = {
      bitget: {
        futures_tickers: record('futures_tickers', (...args) => ({ code: '00000', msg: 'success', data: [{ symbol: 'BTCUSDT', lastPr: '50000' }], args })),
        futures_candles: record('futures_candles', (...args) => ({ code: '00000', data: [['1', '2']], args })),
        futures_place_order: record('futures_place_order', (...args) => ({ code: '00000', data: { orderId: '1' }, args })),
        fail: record('fail', () => {
          const error = Object.assign(new Error('Insufficient balance'), {
            name: 'BitgetAPIError',
            code: '40762',
            detail: 'The order amount exceeds the balance',
            context: { method: 'futures_place_order', path: '/api/v2/mix/order/place-order' },
            status: 400,
            secret: 'sk-live-123',
            headers: { 'ACCESS-KEY': 'ak-live-456' },
            cause: new Error('socket'),
          });
          throw error;
        }),
      },
    };
  }

  start(): Promise<void> {
    return this.supervisor.start();
  }

  stop(): Promise<void> {
    return this.supervisor.stop();
  }

  run(code: string | { compiled: string }, options: RunOptions = {}): Promise<RunResult> {
    const compiled = typeof code === 'string' ? compile(code) : code.compiled;
    const key = options.key ?? `w${++seq}`;
    const request: RunRequest = {
      isolateKey: `${key}:v1`,
      workerKey: key,
      compiled,
      entry: options.entry ?? 'tick',
      state: options.state ?? {},
      worker: { id: key, name: `worker ${key}`, mode: 'sim' },
      trigger: options.trigger ?? { type: 'manual' },
    };
    if (options.limits) request.limits = options.limits;
    if (options.runnerHostConfig !== undefined) request.runnerHostConfig = options.runnerHostConfig;
    return this.supervisor.run(request, options.host ?? this.host);
  }

  /** Runs the control worker and asserts it ticks normally, with its own state intact. */
  async expectControlHealthy(): Promise<void> {
    const result = await this.run(CONTROL_WORKER, { key: 'control', state: { ticks: this.#controlTicks } });
    expect(result.status).toBe('ok');
    expect(result.state).toEqual({ ticks: this.#controlTicks + 1 });
    this.#controlTicks++;
  }

  expectRunnerAlive(restarts = 0): void {
    const stats = this.supervisor.stats();
    expect(stats.runners).toBe(1);
    expect(stats.restarts).toBe(restarts);
  }
}

const CONTROL_WORKER = `
export async function tick(ctx) {
  const t = await ctx.bitget.futures_tickers({ symbol: 'BTCUSDT' });
  if (t.code !== '00000') throw new Error('bad ticker');
  ctx.state.set('ticks', ctx.state.get('ticks', 0) + 1);
}`;
