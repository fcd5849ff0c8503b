import { nextFire, nextFireOrNever, parseSchedule, scheduleText } from './cron';
import { scheduleProblems } from './schedule-bounds';

/** Every fire time of `text` in [from, to). */
function firesBetween(text: string, from: string, to: string): Date[] {
  const s = parseSchedule(text);
  const out: Date[] = [];
  for (let t = nextFire(s, new Date(from)); t < new Date(to); t = nextFire(s, t)) out.push(t);
  return out;
}

/** A fire time as the wall clock of `zone` shows it, e.g. "2026-03-08 03:00". */
function wallClock(d: Date, zone: string): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const CHICAGO = 'America/Chicago';
const chicago = (cron: string) => scheduleText({ cron, timeZone: CHICAGO });

describe('schedules: cron in the customer’s time zone', () => {
  it('reads names and nicknames: weekdays at 06:00 in Chicago, @daily, @weekly, @hourly, @monthly, JAN', () => {
    // Friday 2026-03-06 to Wednesday 2026-03-11: Fri, Mon, Tue, Wed at 06:00 local (CST, then CDT after the 8th).
    expect(firesBetween(chicago('0 6 * * MON-FRI'), '2026-03-06T00:00:00Z', '2026-03-12T00:00:00Z').map((d) => d.toISOString())).toEqual([
      '2026-03-06T12:00:00.000Z',
      '2026-03-09T11:00:00.000Z',
      '2026-03-10T11:00:00.000Z',
      '2026-03-11T11:00:00.000Z',
    ]);
    const after = new Date('2026-11-30T15:20:00Z'); // a Monday
    expect(nextFire(parseSchedule('@daily'), after).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(nextFire(parseSchedule('@hourly'), after).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(nextFire(parseSchedule('@weekly'), after).toISOString()).toBe('2026-12-06T00:00:00.000Z');
    expect(nextFire(parseSchedule('@monthly'), after).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(nextFire(parseSchedule('0 0 1 JAN *'), after).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(nextFire(parseSchedule(chicago('@daily')), after).toISOString()).toBe('2026-12-01T06:00:00.000Z');
  });

  it('keeps today’s numeric forms and meanings: steps, ranges, lists, the day-of-month OR weekday rule, @every', () => {
    const after = new Date('2026-11-30T15:21:30Z');
    expect(nextFire(parseSchedule('*/5 * * * *'), after).toISOString()).toBe('2026-11-30T15:25:00.000Z');
    expect(nextFire(parseSchedule('0 9-17/4 * * 1-5'), after).toISOString()).toBe('2026-11-30T17:00:00.000Z');
    expect(nextFire(parseSchedule('15,45 * * * *'), after).toISOString()).toBe('2026-11-30T15:45:00.000Z');
    // Day 15 or a Sunday, whichever comes first (Sunday 2026-12-06).
    expect(nextFire(parseSchedule('0 0 15 * 0'), after).toISOString()).toBe('2026-12-06T00:00:00.000Z');
    expect(nextFire(parseSchedule('@every 90s'), after).getTime()).toBe(after.getTime() + 90_000);
    expect(nextFire(parseSchedule(scheduleText({ cron: '@every 2m', timeZone: CHICAGO })), after).getTime()).toBe(after.getTime() + 120_000);
  });

  it('polls a daily schedule once per local day across the spring-forward transition (America/Chicago, 2026-03-08)', () => {
    // 02:30 does not exist on 2026-03-08: that day's poll runs once, moved forward by the hour the clocks skip.
    const fires = firesBetween(chicago('30 2 * * *'), '2026-03-06T12:00:00Z', '2026-03-11T12:00:00Z').map((d) => wallClock(d, CHICAGO));
    expect(fires.map((w) => w.slice(0, 10))).toEqual(['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10', '2026-03-11']);
    expect(fires.filter((w) => !w.endsWith('02:30'))).toEqual(['2026-03-08 03:30']);
    // A poll at a normal hour keeps its local hour on both sides (12:00 UTC before, 11:00 UTC after).
    const six = firesBetween(chicago('0 6 * * *'), '2026-03-06T12:00:00Z', '2026-03-11T12:00:00Z');
    expect(six.map((d) => wallClock(d, CHICAGO))).toEqual(['2026-03-07 06:00', '2026-03-08 06:00', '2026-03-09 06:00', '2026-03-10 06:00', '2026-03-11 06:00']);
    expect(six.map((d) => d.getUTCHours())).toEqual([12, 11, 11, 11, 11]);
  });

  it('polls a daily schedule once per local day across the fall-back transition (America/Chicago, 2026-11-01)', () => {
    // 01:30 happens twice on 2026-11-01 (CDT, then CST): the poll runs once.
    const fires = firesBetween(chicago('30 1 * * *'), '2026-10-30T12:00:00Z', '2026-11-03T12:00:00Z');
    expect(fires.map((d) => wallClock(d, CHICAGO))).toEqual(['2026-10-31 01:30', '2026-11-01 01:30', '2026-11-02 01:30', '2026-11-03 01:30']);
    expect(fires.map((d) => d.toISOString())).toEqual(['2026-10-31T06:30:00.000Z', '2026-11-01T06:30:00.000Z', '2026-11-02T07:30:00.000Z', '2026-11-03T07:30:00.000Z']);
    const daily = firesBetween(chicago('@daily'), '2026-10-30T12:00:00Z', '2026-11-03T12:00:00Z');
    expect(daily.map((d) => wallClock(d, CHICAGO))).toEqual(['2026-10-31 00:00', '2026-11-01 00:00', '2026-11-02 00:00', '2026-11-03 00:00']);
  });

  it('does not depend on the machine’s time zone (a UTC schedule fires at the same instants under any TZ)', () => {
    const before = process.env.TZ;
    const at = new Date('2026-03-08T07:59:00Z');
    const expected = ['0 6 * * MON-FRI', '@daily', chicago('30 2 * * *')].map((t) => nextFire(parseSchedule(t), at).toISOString());
    try {
      for (const tz of ['Asia/Kolkata', 'America/Chicago', 'Pacific/Chatham']) {
        process.env.TZ = tz;
        expect(['0 6 * * MON-FRI', '@daily', chicago('30 2 * * *')].map((t) => nextFire(parseSchedule(t), at).toISOString())).toEqual(expected);
      }
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('finds no fire time for dates that do not exist', () => {
    expect(nextFireOrNever(parseSchedule('0 0 31 2 *'), new Date('2026-11-30T00:00:00Z'))).toBeUndefined();
    expect(() => nextFire(parseSchedule('0 0 30 2 *'), new Date('2026-11-30T00:00:00Z'))).toThrow('never fires');
  });
});

describe('schedule problems at the API edge', () => {
  const now = new Date('2026-11-30T15:00:00Z');
  const problems = (spec: unknown) => scheduleProblems(spec, 'config.schedule', now);

  it('accepts strings and objects that fire at least once a year, and @every from 10 s to 31 days', () => {
    for (const ok of ['0 6 * * MON-FRI', '@daily', '@every 10s', '@every 744h', '0 0 1 1 *', { cron: '0 6 * * MON-FRI', timeZone: CHICAGO }, { cron: '@weekly' }]) {
      expect(problems(ok)).toEqual([]);
    }
  });

  it('refuses schedules that never fire, fire less than once a year, or overflow, naming the field', () => {
    for (const bad of ['0 0 31 2 *', '0 0 30 2 *', '0 0 29 2 *', '@every 99999999999999999999h', '@every 5s', '@every 745h', '@every 0s', 'every now and then', '61 * * * *', '* * * * * *']) {
      const found = problems(bad);
      expect(found).toHaveLength(1);
      expect(found[0]!.path).toBe('config.schedule');
    }
    expect(problems({ cron: '0 0 31 2 *', timeZone: CHICAGO })[0]!.path).toBe('config.schedule.cron');
    expect(problems({ cron: '0 6 * * MON-FRI', timeZone: 'America/Chicgo' })).toEqual([{ path: 'config.schedule.timeZone', message: expect.stringContaining('America/Chicgo') }]);
    expect(problems('CRON_TZ=Mars/Olympus 0 6 * * *')[0]!.message).toContain('IANA');
  });
});
