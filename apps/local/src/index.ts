export { startEmbeddedPostgres } from './embedded-postgres.ts';
export type { RunningService } from './embedded-postgres.ts';
export { startRedisServer, redisServerAvailable, REDIS_MISSING_HINT } from './redis-server.ts';
export { freePort } from './free-port.ts';
