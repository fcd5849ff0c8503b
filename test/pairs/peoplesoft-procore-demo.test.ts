import { peopleSoftProcore } from '../../pairs/peoplesoft-procore';
import { FLOW_REQUISITIONS } from '../../pairs/peoplesoft-procore/config';
import { invoiceIdOf } from '../../pairs/peoplesoft-procore/map-requisition';
import { psPoIdOf } from '../../pairs/peoplesoft-procore/procore-po-flow';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { ProcoreSimAdmin } from '../../simulators/procore/admin-client';
import { demoHarness } from './demo-harness';

/** The demo `npm start` runs (`CustomerId = "demo-procore"`): its Procore-made commitment and pay applications. */
describe('the PeopleSoft <-> Procore demo connection', () => {
  const world = demoHarness(peopleSoftProcore, 'procore-demo');
  const { simulators } = world;

  it('turns the commitment made in Procore into a PeopleSoft PO and its two requisitions into vouchers on it', async () => {
    const status = await world.firstPoll();
    expect(status.progress[FLOW_REQUISITIONS]).toMatchObject({ synced: 2, failed: 0 });
    expect(status.progress[FLOW_REQUISITIONS]!.lastError).toBeUndefined();

    const procore = new ProcoreSimAdmin(simulators.procore!);
    const commitment = (await procore.records('commitments')).find((c) => c.title === 'Concrete supply')!;
    const requisitions = (await procore.records('requisitions')).filter((q) => q.commitment_id === commitment.id);
    expect(requisitions).toHaveLength(2);
    const vouchers = await new PeopleSoftSimAdmin(simulators.peoplesoft!).rows('voucher');
    const mine = requisitions.map((q) => vouchers.find((v) => v.INVOICE_ID === invoiceIdOf(q.id)));
    expect(mine.map((v) => (v?.VOUCHER_LINE as { PO_ID: string }[] | undefined)?.map((l) => l.PO_ID))).toEqual([
      [psPoIdOf(commitment.id), psPoIdOf(commitment.id)],
      [psPoIdOf(commitment.id)],
    ]);
    process.stdout.write(`[measure] demo: commitment ${commitment.id} -> PO ${psPoIdOf(commitment.id)}, ${mine.length} vouchers ${mine.map((v) => String(v?.VOUCHER_ID)).join(', ')}\n`);
  }, 240_000);
});
