import { CronExpressionParser } from 'cron-parser';

export type WorkerSchedule = { every: string } | { cron: string };

export class ScheduleError extends Error {
  override name = 'ScheduleError';
  readonly code = 'INVALID_SCHEDULE';
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export const MIN_INTERVAL_MS = 1000;
export const MAX_INTERVAL_MS = 7 * 86_400_000;

/** Validates a schedule; returns the BullMQ repeat options. Messages name what is wrong. */
export function parseSchedule(input: unknown): { schedule: WorkerSchedule; repeat: { every: number } | { pattern: string } } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ScheduleError('schedule must be an object: {"every": "5s"} or {"cron": "*/5 * * * * *"}');
  }
  const keys = Object.keys(input);
  if (keys.length !== 1 || (keys[0] !== 'every' && keys[0] !== 'cron')) {
    throw new ScheduleError('schedule must have exactly one of "every" or "cron"');
  }
  const value = (input as Record<string, unknown>)[keys[0]];
  if (typeof value !== 'string') throw new ScheduleError(`schedule.${keys[0]} must be a string`);
  if (keys[0] === 'every') {
    const m = /^(\d+)(ms|s|m|h|d)$/.exec(value.trim());
    if (!m) throw new ScheduleError(`schedule.every "${value}" must look like 500ms, 5s, 1m, 2h or 1d`);
    const ms = Number(m[1]) * UNITS[m[2]!]!;
    if (ms < MIN_INTERVAL_MS) throw new ScheduleError(`schedule.every must be at least 1s (got ${value})`);
    if (ms > MAX_INTERVAL_MS) throw new ScheduleError(`schedule.every must be at most 7d (got ${value})`);
    return { schedule: { every: value.trim() }, repeat: { every: ms } };
  }
  try {
    CronExpressionParser.parse(value);
  } catch (err) {
    throw new ScheduleError(`schedule.cron "${value}" is not a valid cron expression: ${(err as Error).message}`);
  }
  return { schedule: { cron: value }, repeat: { pattern: value } };
}

export function scheduleToRepeat(schedule: WorkerSchedule): { every: number } | { pattern: string } {
  return parseSchedule(schedule).repeat;
}
