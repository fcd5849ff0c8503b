import { z } from 'zod';
import { nextFireOrNever, parseSchedule, ScheduleError, scheduleText, type ScheduleSpec } from './cron';

const DAY_MS = 86_400_000;
/** A schedule must fire at least once a year, twice in a row: `0 0 31 2 *` never does, `0 0 29 2 *` every 4 years. */
export const MAX_FIRE_GAP_MS = 366 * DAY_MS;
/** `@every` below this would poll partners harder than their rate limits allow for one connection. */
export const MIN_EVERY_MS = 10_000;
export const MAX_EVERY_MS = 31 * DAY_MS;

/** The shape of a config's `schedule`; what it means is checked by scheduleProblems (the API) and parseSchedule. */
export const scheduleSpecSchema = z.union([
  z.string().min(1),
  z.object({ cron: z.string().min(1), timeZone: z.string().min(1).default('UTC') }).strict(),
]);

type Problem = { path: string; message: string };

/**
 * What is wrong with a connection's schedule as a customer gave it (string or `{ cron, timeZone }`), by field path,
 * at the API's edge: syntax, the time zone, and sane bounds (fires within a year, `@every` between 10 s and 31 days).
 * The workflow itself accepts any schedule that parses (tests and benchmarks poll every second); only what the API
 * accepts is bounded. Shape errors (a number, a missing `cron`) are the pair schema's to report.
 */
export function scheduleProblems(spec: unknown, path: string, now: Date): Problem[] {
  const isObject = typeof spec === 'object' && spec !== null;
  if (isObject && typeof (spec as { cron?: unknown }).cron !== 'string') return [];
  if (isObject && !['string', 'undefined'].includes(typeof (spec as { timeZone?: unknown }).timeZone)) return [];
  if (!isObject && typeof spec !== 'string') return [];
  const fieldPath = (field: 'cron' | 'timeZone') => (isObject ? `${path}.${field}` : path);
  try {
    const schedule = parseSchedule(scheduleText(spec as ScheduleSpec));
    if (schedule.kind === 'every') {
      if (schedule.ms < MIN_EVERY_MS || schedule.ms > MAX_EVERY_MS) {
        return [{ path: fieldPath('cron'), message: `@every must be between 10s and 31 days (744h); got ${schedule.ms >= 1_000 ? `${schedule.ms / 1_000}s` : 'less than 1s'}` }];
      }
      return [];
    }
    const first = nextFireOrNever(schedule, now);
    const second = first && nextFireOrNever(schedule, first);
    if (!first || !second || first.getTime() - now.getTime() > MAX_FIRE_GAP_MS || second.getTime() - first.getTime() > MAX_FIRE_GAP_MS) {
      return [{ path: fieldPath('cron'), message: `cron "${schedule.expression}" never fires or fires less than once a year (e.g. "0 0 31 2 *" or "0 0 29 2 *"): choose days that exist every year` }];
    }
    return [];
  } catch (err) {
    if (err instanceof ScheduleError) return [{ path: fieldPath(err.field), message: err.message }];
    throw err;
  }
}
