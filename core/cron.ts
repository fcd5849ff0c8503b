/**
 * A connection's schedule: a cron expression (the `croner` library: five fields, names such as MON-FRI and JAN,
 * `@hourly`/`@daily`/`@weekly`/`@monthly`/`@yearly`) evaluated in an IANA time zone, or `@every <N>s|m|h` for fixed
 * intervals. Pure: the workflow computes its next poll time with it, so nothing here reads the clock or the process's
 * own time zone. croner falls back to the machine's local zone when no zone is given, which would make the fire time
 * depend on the worker's TZ: every expression is therefore evaluated with an explicit zone, UTC by default.
 *
 * A schedule travels through the workflow, the poll activity and the poll ledger as one string: a bare expression
 * (UTC), `@every ...`, or `CRON_TZ=<zone> <expression>` (the prefix Temporal's and robfig's cron use) for the object
 * form `{ cron, timeZone }` a connection's config may give.
 */
import { Cron } from 'croner';

/** What a connection's config holds: today's string form, or an expression with its time zone. */
export type ScheduleSpec = string | { cron: string; timeZone?: string };

export type Schedule = { kind: 'cron'; cron: Cron; expression: string; timeZone: string } | { kind: 'every'; ms: number };

/** A schedule that cannot be used; `field` is the part of the object form it is about (`cron` or `timeZone`). */
export class ScheduleError extends Error {
  constructor(
    readonly field: 'cron' | 'timeZone',
    message: string,
  ) {
    super(message);
    this.name = 'ScheduleError';
  }
}

const TZ_PREFIX = /^CRON_TZ=(\S+)\s+(.+)$/;
const EVERY = /^@every\s+(\d+)(s|m|h)$/;
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** The string the workflow and the ledger carry for a config's schedule. */
export function scheduleText(spec: ScheduleSpec): string {
  if (typeof spec === 'string') return spec.trim();
  // A fixed interval has no wall clock to follow: its zone is irrelevant.
  if (spec.cron.trim().startsWith('@every')) return spec.cron.trim();
  const zone = spec.timeZone?.trim();
  return zone && zone !== 'UTC' ? `CRON_TZ=${zone} ${spec.cron.trim()}` : spec.cron.trim();
}

function checkTimeZone(zone: string): void {
  try {
    // Throws RangeError for a name the runtime's time zone database does not know.
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new ScheduleError('timeZone', `time zone "${zone}" is not an IANA time zone name, e.g. "America/Chicago" or "UTC"`);
  }
}

function parseCronExpression(expression: string, timeZone: string): Schedule {
  checkTimeZone(timeZone);
  try {
    // paused and without a function: croner starts no timer; mode 5-part: minute hour day month weekday, no seconds.
    // domAndDow false: a day-of-month and a weekday both restricted means either (the classic cron rule).
    const cron = new Cron(expression, { timezone: timeZone, paused: true, mode: '5-part', domAndDow: false });
    return { kind: 'cron', cron, expression, timeZone };
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^CronPattern:\s*/, '') : String(err);
    throw new ScheduleError('cron', `cron "${expression}" is not valid (${reason}): use 5 fields (minute hour day month weekday, e.g. "0 6 * * MON-FRI") or @hourly, @daily, @weekly, @monthly`);
  }
}

/** Parses a schedule string (see scheduleText); throws ScheduleError naming what to fix. */
export function parseSchedule(text: string): Schedule {
  const trimmed = text.trim();
  if (trimmed.startsWith('@every')) {
    const every = EVERY.exec(trimmed);
    if (!every) throw new ScheduleError('cron', `schedule "${text}" is not valid: write "@every <N>s", "<N>m" or "<N>h", e.g. "@every 300s"`);
    const ms = Number(every[1]) * UNIT_MS[every[2] as keyof typeof UNIT_MS];
    if (!Number.isSafeInteger(ms)) throw new ScheduleError('cron', `schedule "${text}" is too long`);
    if (ms < 1_000) throw new ScheduleError('cron', `schedule "${text}" is shorter than 1 second`);
    return { kind: 'every', ms };
  }
  const zoned = TZ_PREFIX.exec(trimmed);
  return zoned ? parseCronExpression(zoned[2]!, zoned[1]!) : parseCronExpression(trimmed, 'UTC');
}

/** The first fire time strictly after `after`, or undefined when the expression never fires (`0 0 31 2 *`). */
export function nextFireOrNever(schedule: Schedule, after: Date): Date | undefined {
  if (schedule.kind === 'every') return new Date(after.getTime() + schedule.ms);
  return schedule.cron.nextRun(after) ?? undefined;
}

/** The first fire time strictly after `after`. Schedules are checked when accepted (checkScheduleBounds). */
export function nextFire(schedule: Schedule, after: Date): Date {
  const next = nextFireOrNever(schedule, after);
  if (!next) throw new ScheduleError('cron', 'the schedule never fires');
  return next;
}
