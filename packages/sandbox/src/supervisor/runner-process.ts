import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decodeFromRunner, encodeToRunner, readFrames } from '../channel.ts';
import { SandboxError } from '../errors.ts';
import type { FromRunner, RunnerConfig, ToRunner } from '../protocol.ts';

const RUNNER_ENTRY = fileURLToPath(new URL('../runner/runner-main.ts', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STDERR_TAIL = 4_096;

function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

export interface RunnerProcessEvents {
  onMessage(runner: RunnerProcess, message: FromRunner): void;
  /** An exit the supervisor did not ask for (crash, OOM kill, SIGKILL by the watchdog). */
  onExit(runner: RunnerProcess, detail: { code: number | null; signal: NodeJS.Signals | null; stderr: string }): void;
}

/**
 * One runner child process: spawns it, relays messages over its fd 3 (a socketpair carrying the
 * frames of channel.ts; there is no Node IPC channel), reports its death.
 */
export class RunnerProcess {
  readonly index: number;
  isolates = 0;
  /** isolateKeys this runner has run (so probably warm); reset when the process is replaced. */
  readonly knownKeys = new Set<string>();
  readonly #config: RunnerConfig;
  readonly #events: RunnerProcessEvents;
  #child: ChildProcess | undefined;
  #channel: Socket | undefined;
  #stderr = '';
  #stopping = false;

  constructor(index: number, config: RunnerConfig, events: RunnerProcessEvents) {
    this.index = index;
    this.#config = config;
    this.#events = events;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get alive(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Forks the child and resolves once it has loaded isolated-vm and said `ready`. */
  start(): Promise<void> {
    this.#stderr = '';
    this.isolates = 0;
    this.knownKeys.clear();
    const child = spawn(process.execPath, ['--import', tsxLoader(), '--no-node-snapshot', RUNNER_ENTRY, JSON.stringify(this.#config)], {
      // Nothing of the parent's environment (database URLs, master keys) reaches the process
      // that runs untrusted code.
      env: {},
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    const channel = child.stdio[3] as Socket;
    this.#channel = channel;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-STDERR_TAIL);
    });
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new SandboxError('RUNNER_START_FAILED', `sandbox runner did not start within ${READY_TIMEOUT_MS} ms`));
      }, READY_TIMEOUT_MS);
      readFrames(
        channel,
        decodeFromRunner,
        (message) => {
          if (!ready && message.t === 'ready') {
            ready = true;
            clearTimeout(timer);
            resolve();
            return;
          }
          this.#events.onMessage(this, message);
        },
        (error) => {
          this.#stderr += `\n[supervisor] ${error.message}`;
          child.kill('SIGKILL');
        },
      );
      // The socket errors when the runner dies mid-write; the exit event reports that death.
      channel.on('error', () => {});
      child.on('error', (error) => {
        if (ready) return;
        clearTimeout(timer);
        reject(new SandboxError('RUNNER_START_FAILED', `could not start the sandbox runner: ${error.message}`, { cause: error }));
      });
      child.on('exit', (code, signal) => {
        if (!ready) {
          clearTimeout(timer);
          reject(new SandboxError('RUNNER_START_FAILED', `sandbox runner exited during start (code ${code}, signal ${signal}): ${this.#stderr.trim()}`));
          return;
        }
        if (!this.#stopping && this.#child === child) this.#events.onExit(this, { code, signal, stderr: this.#stderr });
      });
    });
  }

  send(message: ToRunner): boolean {
    const channel = this.#channel;
    if (!channel || !channel.writable || !this.alive) return false;
    channel.write(encodeToRunner(message));
    return true;
  }

  /** Hard kill, for a runner that stopped responding; reported through onExit like a crash. */
  kill(): void {
    this.#child?.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    const child = this.#child;
    if (!child || !this.alive) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.send({ t: 'shutdown' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
    await exited;
    clearTimeout(timer);
  }
}
