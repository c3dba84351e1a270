import { Redis } from 'ioredis';

/**
 * A fresh ioredis client for BullMQ. BullMQ wants `maxRetriesPerRequest: null` so blocking
 * commands wait for Redis to come back instead of failing jobs during a blip.
 */
export function createRedis(url: string, options: { lazy?: boolean } = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: options.lazy ?? false });
}
