import { IsolateHost, type ForwardCall, type ForwardLog } from './isolate-host.ts';

/** Idle isolates whose CPU time grows by more than this between runs are running rogue code. */
const IDLE_CPU_TOLERANCE_NS = 50_000_000n;

/**
 * The warm isolates of one runner: keyed by isolateKey, least recently used first, one code
 * version per worker, disposed when idle for too long.
 */
export class IsolatePool {
  readonly #hosts = new Map<string, IsolateHost>();
  readonly #maxIsolates: number;
  readonly #idleEvictMs: number;
  readonly #forward: ForwardCall;
  readonly #forwardLog: ForwardLog;

  constructor(options: { maxIsolates: number; idleEvictMs: number; forward: ForwardCall; forwardLog: ForwardLog }) {
    this.#maxIsolates = Math.max(1, options.maxIsolates);
    this.#idleEvictMs = options.idleEvictMs;
    this.#forward = options.forward;
    this.#forwardLog = options.forwardLog;
  }

  get size(): number {
    return this.#hosts.size;
  }

  /** Whether acquire() would reuse a warm isolate. */
  has(isolateKey: string, workerKey: string, memoryMb: number): boolean {
    const existing = this.#hosts.get(isolateKey);
    return existing !== undefined && !existing.disposed && existing.memoryMb === memoryMb && existing.workerKey === workerKey;
  }

  /** The warm isolate for this key, or a new one (which evicts the worker's other versions). */
  acquire(isolateKey: string, workerKey: string, compiled: string, memoryMb: number): IsolateHost {
    const existing = this.#hosts.get(isolateKey);
    if (existing && this.has(isolateKey, workerKey, memoryMb)) {
      this.#hosts.delete(isolateKey);
      this.#hosts.set(isolateKey, existing);
      return existing;
    }
    if (existing) this.#remove(existing);
    for (const host of [...this.#hosts.values()]) {
      if (host.workerKey === workerKey && !host.busy) this.#remove(host);
    }
    const host = new IsolateHost({ isolateKey, workerKey, compiled, memoryMb, forward: this.#forward, forwardLog: this.#forwardLog });
    this.#hosts.set(isolateKey, host);
    this.#trim();
    return host;
  }

  /** Called after each run: a disposed isolate (timeout, memory) is forgotten. */
  release(host: IsolateHost): void {
    if (host.disposed && this.#hosts.get(host.isolateKey) === host) this.#hosts.delete(host.isolateKey);
  }

  sweep(now = Date.now()): void {
    for (const host of [...this.#hosts.values()]) {
      if (host.busy) continue;
      const idleTooLong = now - host.lastUsed >= this.#idleEvictMs;
      const rogue = !host.disposed && host.cpuTimeNs - host.idleCpuNs > IDLE_CPU_TOLERANCE_NS;
      if (idleTooLong || rogue || host.disposed) this.#remove(host);
    }
  }

  disposeAll(): void {
    for (const host of [...this.#hosts.values()]) this.#remove(host);
  }

  get(isolateKey: string): IsolateHost | undefined {
    return this.#hosts.get(isolateKey);
  }

  #trim(): void {
    for (const host of this.#hosts.values()) {
      if (this.#hosts.size <= this.#maxIsolates) return;
      if (!host.busy) this.#remove(host);
    }
  }

  #remove(host: IsolateHost): void {
    host.dispose('evicted');
    if (this.#hosts.get(host.isolateKey) === host) this.#hosts.delete(host.isolateKey);
  }
}
