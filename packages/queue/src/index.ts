export { QUEUE_NAMES, JOB_CATALOG, TickJobSchema } from './catalog.ts';
export type { TickJob, ManualRunResult } from './catalog.ts';
export { scheduleToRepeat, parseSchedule, ScheduleError } from './schedule.ts';
export type { WorkerSchedule } from './schedule.ts';
export { createQueues } from './queues.ts';
export type { Queues, WebhookQueued } from './queues.ts';
export { createRedis } from './redis.ts';
export { createLogBus, publishLog } from './log-bus.ts';
export type { LiveLog, LogBus } from './log-bus.ts';
