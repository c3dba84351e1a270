/**
 * Sandbox benchmark: prints figures, asserts nothing.
 *   node --import tsx --no-node-snapshot packages/sandbox/bench/sandbox.ts
 *
 * Compares the full path (supervisor -> runner process -> isolate -> fd-3 frames back for each ctx call)
 * and the runner's in-process share (IsolateHost) with bare isolated-vm doing the same work in the
 * same process, measured in the same run.
 */
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ivm from 'isolated-vm';
import { compileWorker, DEFAULT_LIMITS, SandboxSupervisor, type HostApi, type RunRequest } from '../src/index.ts';
import { encodeToRunner } from '../src/channel.ts';
import type { RunMessage } from '../src/protocol.ts';
import { IsolateHost } from '../src/runner/isolate-host.ts';
import { PreludeSource } from '../src/runner/prelude-source.ts';

const TICK = `export async function tick(ctx) {
  const t = await ctx.bitget.futures_tickers({ symbol: 'BTCUSDT' });
  const c = await ctx.bitget.futures_candles('BTCUSDT', '1H');
  const p = await ctx.bitget.futures_positions();
  ctx.state.set('last', t.data.length + c.data.length + p.data.length);
}`;
const BARE_TICK = `export async function tick() {
  const t = await call.apply(undefined, ['futures_tickers', '[{"symbol":"BTCUSDT"}]'], { result: { promise: true } });
  const c = await call.apply(undefined, ['futures_candles', '["BTCUSDT","1H"]'], { result: { promise: true } });
  const p = await call.apply(undefined, ['futures_positions', '[]'], { result: { promise: true } });
  return JSON.parse(t).data.length + JSON.parse(c).data.length + JSON.parse(p).data.length;
}`;
const RESPONSE = { code: '00000', msg: 'success', requestTime: 0, data: [{ symbol: 'BTCUSDT', lastPr: '50000' }] };
const host: HostApi = {
  bitget: {
    futures_tickers: async () => RESPONSE,
    futures_candles: async () => RESPONSE,
    futures_positions: async () => RESPONSE,
  },
};

/**
 * This file is also the runner-local host module of the `runnerHost` measurement: the runner
 * imports it and serves the same host functions in its own process (no hop per ctx call).
 */
export function createRunnerHost(config: { only?: string[] } = {}): HostApi {
  if (!config.only) return host;
  // The scheduler's split: only these (the public market-data calls) are served in the runner.
  return { bitget: Object.fromEntries(Object.entries(host.bitget!).filter(([name]) => config.only!.includes(name))) };
}

const compiled = (() => {
  const result = compileWorker(TICK, 'js');
  if (!result.ok) throw new Error(result.error.message);
  return result.compiled;
})();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeEach(count: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  return times;
}

function request(key: string): RunRequest {
  return {
    isolateKey: `${key}:v1`,
    workerKey: key,
    compiled,
    entry: 'tick',
    state: { last: 0 },
    worker: { id: key, name: key, mode: 'sim' },
    trigger: { type: 'schedule', scheduledAt: Date.now() },
  };
}

// ---- bare isolated-vm, in this process -------------------------------------------------------
async function bareIsolate() {
  const isolate = new ivm.Isolate({ memoryLimit: DEFAULT_LIMITS.memoryMb });
  const context = await isolate.createContext();
  const call = new ivm.Reference(async (_fn: string, _args: string) => JSON.stringify(RESPONSE));
  await context.global.set('call', call);
  const module = await isolate.compileModule(BARE_TICK);
  await module.instantiate(context, () => {
    throw new Error('no imports');
  });
  await module.evaluate();
  const tick = (await module.namespace.get('tick', { reference: true })) as ivm.Reference;
  return { isolate, tick };
}

// ---- the runner's share, in this process ------------------------------------------------------
function inProcessHost() {
  const prelude = new PreludeSource();
  const shape = { bitget: ['futures_tickers', 'futures_candles', 'futures_positions'] };
  let runId = 0;
  const created: IsolateHost[] = [];
  const make = (key: string) => {
    const holder: { host?: IsolateHost } = {};
    holder.host = new IsolateHost({
      isolateKey: key,
      workerKey: key,
      compiled,
      memoryMb: DEFAULT_LIMITS.memoryMb,
      forward: (id, callId) => setImmediate(() => holder.host!.deliver(id, callId, true, JSON.stringify(RESPONSE))),
      forwardLog: () => {},
    });
    created.push(holder.host);
    return holder.host;
  };
  const run = (isolateHost: IsolateHost) => {
    const message: RunMessage = {
      t: 'run',
      runId: ++runId,
      isolateKey: isolateHost.isolateKey,
      workerKey: isolateHost.workerKey,
      entry: 'tick',
      limits: DEFAULT_LIMITS,
      shape,
      payloadJson: JSON.stringify({ limits: DEFAULT_LIMITS, state: [['last', '0']], worker: { id: 'b', name: 'b', mode: 'sim' }, trigger: { type: 'manual' }, shape }),
    };
    return isolateHost.execute(message, prelude);
  };
  return { make, run, created };
}

/**
 * Round trip of one small message to a child process and back: the floor under every ctx call.
 * `ipc`: Node's process.send channel; `frames`: the framed socketpair (fd 3) the sandbox uses.
 */
async function ipcFloor(kind: 'ipc' | 'frames'): Promise<number> {
  const message = encodeToRunner({ t: 'callResult', runId: 1, callId: 1, ok: true, payload: JSON.stringify(RESPONSE) });
  let ping: () => Promise<unknown>;
  let child;
  if (kind === 'ipc') {
    child = spawn(process.execPath, ['-e', 'process.on("message", (m) => process.send(m))'], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'json',
    });
    const ipcChild = child;
    const payload = { t: 'callResult', runId: 1, callId: 1, ok: true, payload: JSON.stringify(RESPONSE) };
    ping = () => new Promise((resolve) => {
      ipcChild.once('message', resolve);
      ipcChild.send(payload);
    });
  } else {
    child = spawn(process.execPath, ['-e', 'const s = new (require("net").Socket)({ fd: 3, readable: true, writable: true }); s.on("data", (b) => s.write(b));'], {
      stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
    });
    const socket = child.stdio[3] as Socket;
    ping = () => new Promise((resolve) => {
      socket.once('data', resolve);
      socket.write(message);
    });
  }
  await timeEach(1_000, ping);
  const result = median(await timeEach(3_000, ping));
  child.kill();
  return result;
}

function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

async function main() {
  const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
  console.log(`sandbox benchmark (node ${process.version}, isolated-vm in-process baseline measured in the same run)\n`);

  // Warm tick with 3 ctx calls.
  const supervisor = new SandboxSupervisor();
  await supervisor.start();
  const warmReq = request('warm');
  await timeEach(1_000, () => supervisor.run(warmReq, host));
  const supervisorWarm = median(await timeEach(3_000, () => supervisor.run(warmReq, host)));
  // The same tick with the host functions served inside the runner (SupervisorOptions.runnerHost,
  // as the scheduler does for public ctx.bitget calls): one process round trip per tick.
  const inRunner = new SandboxSupervisor({ runnerHost: { module: import.meta.url } });
  await inRunner.start();
  const inRunnerReq = { ...request('in-runner'), runnerHostConfig: {} };
  await timeEach(1_000, () => inRunner.run(inRunnerReq, host));
  const inRunnerWarm = median(await timeEach(3_000, () => inRunner.run(inRunnerReq, host)));
  // What the scheduler does for this tick: tickers and candles (public) in the runner, positions
  // (keyed: the key never enters the runner) forwarded to the supervisor. Two round trips.
  const splitReq = { ...request('split'), runnerHostConfig: { only: ['futures_tickers', 'futures_candles'] } };
  await timeEach(1_000, () => inRunner.run(splitReq, host));
  const splitWarm = median(await timeEach(3_000, () => inRunner.run(splitReq, host)));
  await inRunner.stop();

  const bare = await bareIsolate();
  await timeEach(1_000, () => bare.tick.apply(undefined, [], { result: { promise: true } }));
  const bareWarm = median(await timeEach(3_000, () => bare.tick.apply(undefined, [], { result: { promise: true } })));

  const local = inProcessHost();
  const localHost = local.make('local');
  await timeEach(1_000, () => local.run(localHost));
  const localWarm = median(await timeEach(3_000, () => local.run(localHost)));

  console.log('warm tick, 3 ctx calls (host functions resolve immediately), median:');
  console.log(`  bare isolated-vm (in-process)         ${fmt(bareWarm)}`);
  console.log(`  sandbox runner share (in-process)     ${fmt(localWarm)}   ratio ${(localWarm / bareWarm).toFixed(2)}x`);
  console.log(`  sandbox end to end (supervisor+IPC)   ${fmt(supervisorWarm)}   ratio ${(supervisorWarm / bareWarm).toFixed(2)}x`);
  console.log(`  sandbox end to end, host in runner    ${fmt(inRunnerWarm)}   ratio ${(inRunnerWarm / bareWarm).toFixed(2)}x`);
  console.log(`  sandbox end to end, scheduler's split ${fmt(splitWarm)}   ratio ${(splitWarm / bareWarm).toFixed(2)}x   (2 public calls in the runner, the keyed one forwarded)`);
  const verdict = (ms: number) => (ms <= 0.3 ? 'met' : 'not met');
  console.log(`  overhead on top of the host work      goal <= 0.300 ms: scheduler's split ${fmt(splitWarm)} ${verdict(splitWarm)}; all in runner ${fmt(inRunnerWarm)} ${verdict(inRunnerWarm)}; all forwarded ${fmt(supervisorWarm)} ${verdict(supervisorWarm)}`);
  const ipc = await ipcFloor('ipc');
  const frames = await ipcFloor('frames');
  console.log(`  round trip to a child, process.send   ${fmt(ipc)}   (x4 = ${fmt(4 * ipc)})`);
  console.log(`  round trip to a child, fd-3 frames    ${fmt(frames)}   (x4 = ${fmt(4 * frames)}; a warm tick with 3 ctx calls needs 4 round trips)`);
  console.log(`  end to end / (4 x frames round trip)  ${(supervisorWarm / (4 * frames)).toFixed(2)}x\n`);

  // Cold start: a new worker (new isolate) per run.
  const supervisorCold = median(await timeEach(40, (i) => supervisor.run(request(`cold${i}`), host)));
  const bareCold = median(
    await timeEach(40, async () => {
      const b = await bareIsolate();
      await b.tick.apply(undefined, [], { result: { promise: true } });
      b.isolate.dispose();
    }),
  );
  console.log('cold start (new isolate + load + first tick with 3 ctx calls), median:');
  console.log(`  bare isolated-vm (in-process)         ${fmt(bareCold)}`);
  console.log(`  sandbox end to end (supervisor+IPC)   ${fmt(supervisorCold)}   ratio ${(supervisorCold / bareCold).toFixed(2)}x\n`);
  await supervisor.stop();

  // Memory per warm isolate.
  const count = 60;
  bare.isolate.dispose();
  global.gc?.();
  const rss0 = rssMb();
  const bares = [];
  for (let i = 0; i < count; i++) {
    const b = await bareIsolate();
    await b.tick.apply(undefined, [], { result: { promise: true } });
    bares.push(b);
  }
  const bareHeap = bares.reduce((sum, b) => sum + b.isolate.getHeapStatisticsSync().total_heap_size, 0) / count / 1024 / 1024;
  const bareRss = (rssMb() - rss0) / count;
  for (const b of bares) b.isolate.dispose();
  global.gc?.();
  const rss1 = rssMb();
  for (let i = 0; i < count; i++) await local.run(local.make(`mem${i}`));
  const ours = local.created.slice(-count);
  const oursHeap = ours.reduce((sum, h) => sum + h.heapBytes(), 0) / count / 1024 / 1024;
  const oursRss = (rssMb() - rss1) / count;
  console.log(`memory per warm isolate (${count} isolates, after one tick each):`);
  console.log(`  bare isolated-vm      heap ${bareHeap.toFixed(2)} MB   rss ~${bareRss.toFixed(2)} MB`);
  console.log(`  sandbox               heap ${oursHeap.toFixed(2)} MB   rss ~${oursRss.toFixed(2)} MB   ratio ${(oursHeap / bareHeap).toFixed(2)}x heap (goal <= 3 MB)`);
  for (const h of local.created) h.dispose();
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
