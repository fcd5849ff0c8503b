/**
 * Five-field cron (minute hour day-of-month month day-of-week, UTC), pure and deterministic so the workflow can
 * compute its next fire time itself. Supports `*`, lists, ranges and steps (`*\/5`, `1-10/2`), and the usual
 * day-of-month OR day-of-week rule when both are restricted.
 */
export interface CronSchedule {
  expression: string;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function parseField(text: string, index: number): Set<number> {
  const { name, min, max } = FIELDS[index]!;
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron ${name} "${part}" is not valid: use *, N, N-M, lists and /step`);
    const step = m[2] ? Number(m[2]) : 1;
    let lo: number = min;
    let hi: number = max;
    if (m[1] !== '*') {
      const [a, b] = m[1]!.split('-').map(Number) as [number, number | undefined];
      lo = a;
      hi = b ?? (m[2] ? max : a);
    }
    if (lo < min || hi > max || lo > hi || step < 1) throw new Error(`cron ${name} "${part}" is out of range ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) out.add(index === 4 && v === 7 ? 0 : v);
  }
  return out;
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${expression}" must have 5 fields (minute hour day month weekday), e.g. "*/5 * * * *"`);
  const [mi, h, d, mo, w] = parts.map((p, i) => parseField(p, i)) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  return { expression, minutes: mi, hours: h, days: d, months: mo, weekdays: w, daysRestricted: parts[2] !== '*', weekdaysRestricted: parts[4] !== '*' };
}

function dayMatches(s: CronSchedule, date: Date): boolean {
  const dom = s.days.has(date.getUTCDate());
  const dow = s.weekdays.has(date.getUTCDay());
  if (s.daysRestricted && s.weekdaysRestricted) return dom || dow;
  if (s.daysRestricted) return dom;
  if (s.weekdaysRestricted) return dow;
  return true;
}

/** The first fire time strictly after `after` (minute resolution). */
export function nextCronFire(s: CronSchedule, after: Date): Date {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  // Bounded search: 4 years of days covers every valid expression, including Feb 29.
  for (let guard = 0; guard < 366 * 4 * 24 * 60; ) {
    if (!s.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      guard += 28 * 24 * 60;
      continue;
    }
    if (!dayMatches(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      guard += 24 * 60;
      continue;
    }
    if (!s.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      guard += 60;
      continue;
    }
    if (!s.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      guard += 1;
      continue;
    }
    return t;
  }
  throw new Error(`cron "${s.expression}" never fires`);
}

/** A connection's schedule: a cron expression, or `@every <N>s|m|h` for short fixed intervals (tests, benchmarks). */
export type Schedule = { kind: 'cron'; cron: CronSchedule } | { kind: 'every'; ms: number };

export function parseSchedule(text: string): Schedule {
  const every = /^@every\s+(\d+)(s|m|h)$/.exec(text.trim());
  if (every) {
    const ms = Number(every[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[every[2] as 's' | 'm' | 'h'];
    if (ms < 1_000) throw new Error(`schedule "${text}" is shorter than 1 second`);
    return { kind: 'every', ms };
  }
  return { kind: 'cron', cron: parseCron(text) };
}

export function nextFire(schedule: Schedule, after: Date): Date {
  return schedule.kind === 'every' ? new Date(after.getTime() + schedule.ms) : nextCronFire(schedule.cron, after);
}
