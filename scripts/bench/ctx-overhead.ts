/**
 * ctx.bitget overhead: a `ctx.bitget.futures_tickers` call made from worker code inside the
 * sandbox vs a raw undici GET of the same simulator endpoint, measured in the same run, on both
 * paths: forwarded to the scheduler's host (runner -> supervisor hop) and served by the
 * runner-local public host (apps/scheduler/src/runner-public-bitget.ts, no hop).
 * Prints figures; asserts nothing.
 *   node --import tsx --no-node-snapshot scripts/bench/ctx-overhead.ts [callsPerBatch=100] [rounds=27]
 *
 * What is compared: the per-call cycle of a loop making one call after another. For the raw GET
 * and the host client that is the time from one request's start to the next one's. Worker code
 * has no high-resolution clock (on purpose), so for the sandbox the cycle is read at the host
 * function: from one call's arrival to the next one's, which spans everything a call costs
 * (the request, handing the result into the isolate, the worker's loop, encoding the next call,
 * crossing back out, decoding it). Medians are taken over every call of every round, so a
 * garbage collection or a scheduler hiccup on this shared machine moves a few samples, not the
 * figure.
 *
 * This file is also the bench's runner-local host module (imported by the sandbox runner, where
 * only `createRunnerHost` is used): the same public host as the scheduler's, on a limiter clock
 * that always has tokens, like the host client below, plus `bench.samples()`.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { createBitgetClient, createBitgetDispatcher, createRateLimiterRegistry } from '@tickbox/bitget';
import { compileWorker, SandboxSupervisor } from '@tickbox/sandbox';
import { bitgetHostApi } from '../../apps/scheduler/src/bitget-host-api.ts';
import { createPublicBitgetHost } from '../../apps/scheduler/src/runner-public-bitget.ts';

type HostFunction = (...args: unknown[]) => Promise<unknown>;

/** Wraps a host function so that the gap between the starts of consecutive calls is recorded. */
function cycleRecorder(fn: HostFunction): { fn: HostFunction; take: () => number[] } {
  let last = -1;
  let cycles: number[] = [];
  return {
    fn: (...args) => {
      const now = performance.now();
      if (last >= 0) cycles.push(now - last);
      last = now;
      return fn(...args);
    },
    take: () => {
      const out = cycles;
      cycles = [];
      last = -1;
      return out;
    },
  };
}

/** Runner-local host of the bench (called inside the sandbox runner). */
export function createRunnerHost(config: unknown) {
  let runnerNow = 0;
  const host = createPublicBitgetHost(config, { dispatcher: createBitgetDispatcher(), limiter: createRateLimiterRegistry({ now: () => (runnerNow += 1000) }) });
  const recorder = cycleRecorder(host.bitget['futures_tickers']!);
  return { bitget: { ...host.bitget, futures_tickers: recorder.fn }, bench: { samples: async () => recorder.take() } };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();

async function main(): Promise<void> {
  // Many short rounds, the four paths interleaved: drift on a shared machine (it moves the raw GET
  // by 2x within minutes) then hits all four alike instead of whichever ran during a slow spell.
  const N = Number(process.argv[2] ?? 100);
  const ROUNDS = Number(process.argv[3] ?? 27);

  // The simulator runs in its own process, as Bitget is never inside the scheduler: all paths
  // pay the same network hop and the figures compare only what Tickbox adds.
  const simProcess = spawn(process.execPath, ['--import', 'tsx', 'packages/bitget-sim/src/cli.ts', '--port', '0', '--seed', '1', '--no-rate-limits'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    simProcess.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) resolve(m[0]);
    });
    simProcess.once('exit', () => reject(new Error(`simulator exited: ${out}`)));
  });
  const dispatcher = createBitgetDispatcher();
  // The limiter runs on every call (it is part of the measured path), on a clock that always
  // has tokens, so the figure is its cost and not Bitget's 20/s budget.
  let fakeNow = 0;
  const limiter = createRateLimiterRegistry({ now: () => (fakeNow += 1000) });
  const client = createBitgetClient({ baseUrl: url, mode: 'sim', limiter, dispatcher });
  const supervisor = new SandboxSupervisor({ limits: { maxHostCalls: N + 10, wallTimeoutMs: 60_000 }, runnerHost: { module: import.meta.url } });
  await supervisor.start();
  const compiled = compileWorker(`export async function tick(ctx) {
    for (let i = 0; i < ${N}; i++) await ctx.bitget.futures_tickers({ symbol: "BTCUSDT" });
    return ctx.bench.samples();
  }`, 'js');
  if (!compiled.ok) throw new Error(compiled.error.message);
  let calledOnHost = 0;
  // The scheduler's own host functions (bitgetHostApi: the answer handed on as JSON text).
  const schedulerTickers = bitgetHostApi(client, ['futures_tickers'])['futures_tickers']!;
  const forwarded = cycleRecorder((...args: unknown[]) => (calledOnHost++, schedulerTickers(...args)));
  const host = { bitget: { futures_tickers: forwarded.fn }, bench: { samples: async () => forwarded.take() } };
  const rawUrl = `${url}/api/v2/mix/market/ticker?productType=USDT-FUTURES&symbol=BTCUSDT`;

  async function loop(call: () => Promise<unknown>): Promise<number[]> {
    const cycles: number[] = [];
    let last = performance.now();
    for (let i = 0; i < N; i++) {
      await call();
      const now = performance.now();
      cycles.push(now - last);
      last = now;
    }
    return cycles;
  }
  const rawBatch = () => loop(async () => (await request(rawUrl, { dispatcher })).body.json());
  // What a sandbox host asks of the client: the answer as JSON text (callJson).
  const clientBatch = () => loop(() => client.callJson('futures_tickers', [{ symbol: 'BTCUSDT' }]));
  /** local: the runner-local host serves the call; otherwise it is forwarded to `host` in this process. */
  async function sandboxBatch(local: boolean): Promise<number[]> {
    const key = local ? 'bench-local' : 'bench';
    const r = await supervisor.run({
      isolateKey: `${key}:1`, workerKey: key, compiled: compiled.ok ? compiled.compiled : '', entry: 'tick', state: {},
      worker: { id: key, name: key, mode: 'sim' }, trigger: { type: 'manual' },
      ...(local ? { runnerHostConfig: { baseUrl: url, mode: 'sim', productType: 'USDT-FUTURES' } } : {}),
    }, host);
    if (r.status !== 'ok') throw new Error(`bench tick failed: ${r.error?.message}`);
    if (local && calledOnHost > 0) throw new Error('the runner-local run reached the scheduler host');
    calledOnHost = 0;
    const cycles = r.returnValue as number[];
    if (!Array.isArray(cycles) || cycles.length !== N - 1) throw new Error(`expected ${N - 1} cycles, got ${JSON.stringify(cycles).slice(0, 80)}`);
    return cycles;
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  await rawBatch(); await clientBatch(); await sandboxBatch(false); await sandboxBatch(true); // warm-up: pools, JIT, warm isolates
  const raw: number[] = []; const cli: number[] = []; const box: number[] = []; const loc: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Interleaved so drift on a shared machine hits all four alike.
    raw.push(...await rawBatch()); cli.push(...await clientBatch()); box.push(...await sandboxBatch(false)); loc.push(...await sandboxBatch(true));
  }
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  const mr = median(raw); const mc = median(cli); const mb = median(box); const ml = median(loc);
  console.log(`ctx.bitget.futures_tickers overhead (${ROUNDS} rounds × ${N} sequential calls, median per-call cycle)`);
  console.log(`  raw undici GET (baseline)          ${us(mr)}   1.00×`);
  console.log(`  host client.callJson (validate, limit, sign, classify)  ${us(mc)}   ${(mc / mr).toFixed(2)}×   +${us(mc - mr)}`);
  console.log(`  sandbox, forwarded to the scheduler host (+ isolate boundary, runner IPC)  ${us(mb)}   ${(mb / mr).toFixed(2)}×   +${us(mb - mr)}`);
  console.log(`  sandbox, runner-local public host (+ isolate boundary, no hop)           ${us(ml)}   ${(ml / mr).toFixed(2)}×   +${us(ml - mr)}`);
  // The issue states the goal as 50 µs on a loopback GET of about 0.1 ms, i.e. 1.5x the GET; this
  // machine's GET varies from ~0.14 to ~0.4 ms with the load of its neighbours, and the overhead
  // (CPU work after each network wait) moves with it, so both readings are printed.
  const verdict = (m: number) => `+${us(m - mr)} ${m - mr <= 0.05 ? 'met' : 'not met'}, ${(m / mr).toFixed(2)}× ${m / mr <= 1.5 ? 'met' : 'not met'}`;
  console.log(`  goal ≤ 50 µs at the median (≤ 1.5× as a ratio to the same run's GET):`);
  console.log(`    runner-local (the path futures_tickers takes)  ${verdict(ml)}`);
  console.log(`    forwarded (the path of keyed calls)            ${verdict(mb)}`);
  await supervisor.stop();
  await client.close();
  simProcess.kill('SIGTERM');
  process.exit(0);
}
