import { listAuditEvents } from '../../db/audit-events';
import { getConnection } from '../../db/connections';
import { listRoster } from '../../db/roster-entries';
import { peopleSoftAsana } from '../../pairs/peoplesoft-asana';
import { demoHarness } from './demo-harness';

/** The demo `npm start` runs (50 records per object): its approval tasks are assigned through the roster. */
describe('the PeopleSoft <-> Asana demo connection', () => {
  const world = demoHarness(peopleSoftAsana, 'roster-demo');
  const { connectionId } = world;

  it('assigns every document through the roster or, for an approver without an Asana account, to the fallback; none waits', async () => {
    const status = await world.firstPoll();
    expect(Object.entries(status.progress).filter(([, p]) => p.lastError || p.waiting?.count)).toEqual([]);
    expect((await getConnection(world.db.pool, connectionId))!.config).toMatchObject({ approvers: {}, flows: { roster: true } });

    const roster = await listRoster(world.db.pool, connectionId);
    expect(roster.filter((e) => e.status === 'matched').map((e) => e.emplid)).toEqual(['KU0001', 'KU0002']);
    const creates = (await listAuditEvents(world.db.pool, { connectionId, limit: 500 })).filter((e) => e.action === 'create' && /^(voucher|requisition):/.test(e.record_key));
    const via = (v: string) => creates.filter((e) => (e.detail?.assignment as { via?: string } | undefined)?.via === v).map((e) => e.record_key);
    expect(creates).toHaveLength(100);
    expect(via('roster').length + via('fallback').length).toBe(100);
    expect(via('roster').every((k) => /:(US001|US002)\//.test(k))).toBe(true);
    expect(via('fallback').every((k) => k.includes(':CAN01/'))).toBe(true);
    process.stdout.write(`[measure] demo: ${creates.length} documents, ${via('roster').length} assigned through the roster, ${via('fallback').length} to the fallback approver\n`);
  }, 240_000);
});
