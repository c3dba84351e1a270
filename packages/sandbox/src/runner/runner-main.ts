/**
 * Entry of a runner child process (spawned by SandboxSupervisor with --no-node-snapshot). All
 * isolates live here, so a V8 crash or a fatal out-of-memory takes down only this process.
 * It talks to the supervisor over fd 3 only (frames of channel.ts).
 */
import { Socket } from 'node:net';
import { decodeToRunner, encodeFromRunner, readFrames } from '../channel.ts';
import type { FromRunner, RunMessage, RunnerConfig, RunnerOutcome, ToRunner } from '../protocol.ts';
import { IsolateHost } from './isolate-host.ts';
import { IsolatePool } from './isolate-pool.ts';
import { PreludeSource } from './prelude-source.ts';
import { RunnerHosts } from './runner-host.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as RunnerConfig;
const channel = new Socket({ fd: 3, readable: true, writable: true });
const send = (message: FromRunner) => {
  if (channel.writable) channel.write(encodeFromRunner(message));
};

const prelude = new PreludeSource();
const running = new Map<number, IsolateHost>();
const runnerHosts = new RunnerHosts(config.runnerHostModule);
const pool = new IsolatePool({
  maxIsolates: config.maxIsolates,
  idleEvictMs: config.idleEvictMs,
  forward: (runId, callId, ns, fn, args) => send({ t: 'call', runId, callId, ns, fn, args }),
  forwardLog: (runId, entry) => send({ t: 'log', runId, entry }),
});

async function run(message: RunMessage): Promise<void> {
  // Resolved before the isolate is looked up, so that nothing can evict it in between.
  const local = message.runnerHostConfig === undefined ? undefined : await runnerHosts.resolve(message.runnerHostConfig);
  if (local && !local.ok) {
    send({ t: 'result', runId: message.runId, outcome: hostFailed(local.reason), isolates: pool.size });
    return;
  }
  if (message.compiled === undefined && !pool.has(message.isolateKey, message.workerKey, message.limits.memoryMb)) {
    send({ t: 'needCode', runId: message.runId });
    return;
  }
  const host = pool.acquire(message.isolateKey, message.workerKey, message.compiled ?? '', message.limits.memoryMb);
  running.set(message.runId, host);
  try {
    const outcome = await host.execute(message, prelude, local?.host);
    pool.release(host);
    send({ t: 'result', runId: message.runId, outcome, isolates: pool.size });
  } finally {
    running.delete(message.runId);
  }
}

function hostFailed(reason: string): RunnerOutcome {
  return {
    status: 'error',
    error: { name: 'SandboxError', code: 'RUNNER_HOST_FAILED', message: 'The sandbox could not prepare this run: its runner-local host failed to load' },
    state: null,
    logs: [],
    cpuMs: 0,
    wallMs: 0,
    hostCalls: 0,
    lateCalls: 0,
    hostFailure: reason,
  };
}

function onMessage(message: ToRunner): void {
  switch (message.t) {
    case 'run':
      void run(message);
      break;
    case 'callResult':
      running.get(message.runId)?.deliver(message.runId, message.callId, message.ok, message.payload);
      break;
    case 'shutdown':
      exit();
  }
}

function exit(): void {
  pool.disposeAll();
  process.exit(0);
}

readFrames(channel, decodeToRunner, onMessage, exit);
// The supervisor owns this process: when it goes away, so do we.
// Signals meant for the whole process group (Ctrl-C in a terminal, systemd's default stop of the
// service's cgroup) must not kill ticks the scheduler is still draining: the runner stops when its
// supervisor says so, or when the channel closes because the supervisor is gone (SIGKILL still works).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
channel.on('end', exit);
channel.on('close', exit);
channel.on('error', exit);

const sweep = setInterval(() => {
  const before = pool.size;
  pool.sweep();
  if (pool.size !== before) send({ t: 'stats', isolates: pool.size });
}, Math.max(100, Math.min(config.idleEvictMs / 2, 5_000)));
sweep.unref();

send({ t: 'ready', pid: process.pid });
