import { type Client } from '@temporalio/client';
import { syncWorkflowId } from '../../core/sync-messages';
import { type TestDatabase } from '../support/database';
import { type ApiScenario, closeApiScenario, openApiScenario } from './api-harness';

/**
 * Schedules as customers write them: a cron in their own time zone (`{ cron, timeZone }`), today's string form, and
 * the ones that must be refused at the edge (never fire, fire less than once a year, overflow), at create and patch.
 */
describe('connection schedules through the API', () => {
  let db: TestDatabase;
  let client: Client;
  let s: ApiScenario;
  const id = 'acme-chicago';

  beforeAll(async () => {
    ({ db, client, s } = await openApiScenario('schedules-api', { voucher: 2, requisition: 2 }));
    await s.startWorker();
  }, 120_000);
  afterAll(() => closeApiScenario({ db, client, s }, [syncWorkflowId(id)]));

  const withSchedule = (connectionId: string, schedule: unknown) => {
    const body = s.connectionBody(connectionId) as { config: Record<string, unknown> };
    return { ...body, config: { ...body.config, schedule } };
  };

  it('creates a connection polling weekdays at 06:00 in Chicago, and the workflow takes that schedule', async () => {
    const body = withSchedule(id, { cron: '0 6 * * MON-FRI', timeZone: 'America/Chicago' });
    s.checkRequest('POST', '/v1/connections', body);
    const res = await s.call('POST', '/v1/connections', { body });
    expect(res.status).toBe(201);
    expect(res.body.config.schedule).toEqual({ cron: '0 6 * * MON-FRI', timeZone: 'America/Chicago' });
    const status = await s.call('GET', `/v1/connections/${id}/status`);
    expect(status.status).toBe(200);
    expect(status.body.schedule).toBe('CRON_TZ=America/Chicago 0 6 * * MON-FRI');
    // The next scheduled poll is at 06:00 Chicago time on a weekday (11:00 or 12:00 UTC depending on DST).
    const next = new Date(status.body.nextPollAt as string);
    const local = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(next);
    expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 06:00$/);
  });

  it('refuses schedules that never fire or overflow at create, with a 422 naming the field, and creates nothing', async () => {
    const cases: Array<[unknown, string]> = [
      ['0 0 31 2 *', 'config.schedule'],
      ['0 0 30 2 *', 'config.schedule'],
      ['@every 99999999999999999999h', 'config.schedule'],
      ['@every 1s', 'config.schedule'],
      ['0 6 * * FUNDAY', 'config.schedule'],
      [{ cron: '0 0 31 2 *', timeZone: 'America/Chicago' }, 'config.schedule.cron'],
      [{ cron: '0 6 * * MON-FRI', timeZone: 'America/Chicgo' }, 'config.schedule.timeZone'],
    ];
    for (const [schedule, path] of cases) {
      const res = await s.call('POST', '/v1/connections', { body: withSchedule('bad-schedule', schedule) });
      expect({ schedule, status: res.status, paths: (res.body.error.details as Array<{ path: string }>).map((d) => d.path) }).toEqual({ schedule, status: 422, paths: [path] });
    }
    expect((await s.call('GET', '/v1/connections/bad-schedule')).status).toBe(404);
  });

  it('refuses the same schedules at patch, keeps the running schedule, then applies a good one at once', async () => {
    const config = (schedule: unknown) => ({ config: { ...(s.connectionBody(id).config as object), schedule } });
    for (const [schedule, path] of [
      ['0 0 31 2 *', 'config.schedule'],
      ['@every 99999999999999999999h', 'config.schedule'],
      [{ cron: '0 0 30 2 *' }, 'config.schedule.cron'],
      [{ cron: '@daily', timeZone: 'Mars/Olympus' }, 'config.schedule.timeZone'],
    ] as Array<[unknown, string]>) {
      const res = await s.call('PATCH', `/v1/connections/${id}`, { body: config(schedule) });
      expect({ schedule, status: res.status, paths: (res.body.error.details as Array<{ path: string }>).map((d) => d.path) }).toEqual({ schedule, status: 422, paths: [path] });
    }
    expect((await s.call('GET', `/v1/connections/${id}/status`)).body.schedule).toBe('CRON_TZ=America/Chicago 0 6 * * MON-FRI');
    const ok = await s.call('PATCH', `/v1/connections/${id}`, { body: config({ cron: '@daily', timeZone: 'Europe/Berlin' }) });
    expect(ok.status).toBe(200);
    expect(ok.body.applied.schedule).toBe('CRON_TZ=Europe/Berlin @daily');
    const status = (await s.call('GET', `/v1/connections/${id}/status`)).body;
    expect(status.schedule).toBe('CRON_TZ=Europe/Berlin @daily');
    expect(new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(status.nextPollAt as string))).toBe('00:00');
  });
});
