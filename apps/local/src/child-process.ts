import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

export interface ManagedChild { name: string; stop(): Promise<void> }

/**
 * Runs a TypeScript entry as its own Node process and restarts it (with backoff) if it dies
 * unexpectedly; `stop()` sends SIGTERM and waits, then SIGKILLs after a grace period.
 */
export function runChild(name: string, entry: string, env: NodeJS.ProcessEnv, log: (msg: string) => void): ManagedChild {
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  const start = () => {
    const startedAt = Date.now();
    child = spawn(process.execPath, ['--import', 'tsx', '--no-node-snapshot', entry], { env, stdio: 'inherit' });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      if (Date.now() - startedAt > 60_000) restarts = 0;
      restarts += 1;
      const delay = Math.min(30_000, 500 * 2 ** restarts);
      log(`${name} exited (${signal ?? `code ${code}`}); restarting in ${delay} ms`);
      setTimeout(() => { if (!stopping) start(); }, delay).unref();
    });
  };
  start();
  return {
    name,
    async stop() {
      stopping = true;
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
