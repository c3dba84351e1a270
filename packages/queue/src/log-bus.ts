import type { Redis } from 'ioredis';
import { createRedis } from './redis.ts';

/** One live log line as the scheduler publishes it while a tick runs. */
export interface LiveLog { workerId: string; tickRunId: string; level: string; message: string; at: string }

const channel = (prefix: string, workerId: string) => `${prefix}:logs:${workerId}`;

/** Scheduler side: publish a line for whoever is watching (fire-and-forget; the database copy is the record). */
export function publishLog(redis: Redis, prefix: string, log: LiveLog): void {
  redis.publish(channel(prefix, log.workerId), JSON.stringify(log)).catch(() => undefined);
}

export interface LogBus {
  subscribe(workerId: string, onLog: (log: LiveLog) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Api side: one subscriber connection per process, shared by every open log stream. */
export function createLogBus(redisUrl: string, prefix: string): LogBus {
  let sub: Redis | undefined;
  const listeners = new Map<string, Set<(log: LiveLog) => void>>();
  const connection = () => {
    if (!sub) {
      sub = createRedis(redisUrl);
      sub.on('message', (ch: string, raw: string) => {
        const workerId = ch.slice(ch.lastIndexOf(':') + 1);
        const set = listeners.get(workerId);
        if (!set) return;
        let log: LiveLog;
        try { log = JSON.parse(raw) as LiveLog; } catch { return; }
        for (const fn of set) fn(log);
      });
    }
    return sub;
  };
  return {
    async subscribe(workerId, onLog) {
      let set = listeners.get(workerId);
      if (!set) {
        set = new Set();
        listeners.set(workerId, set);
        await connection().subscribe(channel(prefix, workerId));
      }
      set.add(onLog);
      return async () => {
        set!.delete(onLog);
        if (set!.size === 0 && listeners.get(workerId) === set) {
          listeners.delete(workerId);
          await sub?.unsubscribe(channel(prefix, workerId)).catch(() => undefined);
        }
      };
    },
    async close() {
      listeners.clear();
      await sub?.quit().catch(() => sub?.disconnect());
    },
  };
}
