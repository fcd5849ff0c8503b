import { createPeopleSoftConnector } from '../../connectors/peoplesoft';
import { DEMO_OPRID, DEMO_PASSWORD } from '../../simulators/peoplesoft';
import { resetFast, startWithAdmin } from '../../simulators/peoplesoft/test-support';
import { type PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { type RunningSimulator } from '../../simulators/kit/types';
import { peopleSoftProcoreConfigSchema } from './config';
import { pairConfig } from './demo-world';

let sim: RunningSimulator;
let admin: PeopleSoftSimAdmin;

beforeAll(async () => {
  ({ sim, admin } = await startWithAdmin());
  await resetFast(admin);
});
afterAll(() => sim.close());

/**
 * The pair's demo config (npm start, the pair tests and the fault fixture all use it) must declare the row cap the
 * PeopleSoft gateway really stops at: the vendor inquiry has no paging. A config declaring more than the gateway
 * returns once took a truncated first window for a whole one (at 1,000 vendors 101 were never read and the fault
 * suite's sync never settled); the connector now finds such answers by tail reads (row-cap.ts), at extra requests.
 */
describe('peoplesoft-procore demo config against the PeopleSoft simulator', () => {
  it('reads every one of 1,200 vendors in the first poll window (more than one row cap in a window)', async () => {
    await admin.seed({ recordsPerObject: 0, counts: { vendor: 1_200 } });
    const seeded = await admin.rows('vendor');
    const config = peopleSoftProcoreConfigSchema.parse(pairConfig(sim.baseUrl, 'http://127.0.0.1:9', '1', ['1']));
    const { vendorSetId: _v, businessUnit: _b, ledger: _l, ...endpoint } = config.peoplesoft;
    const ps = createPeopleSoftConnector({ ...endpoint, auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD } });
    const from = new Date(config.initialFrom!);
    const result = await ps.fetchChanged('vendor', { from, to: new Date(Date.parse(await admin.now()) + 1_000) });
    expect(result.invalid).toEqual([]);
    expect(result.rows.map((r) => `${r.SETID}/${r.VENDOR_ID}`).sort()).toEqual(seeded.map((r) => `${String(r.SETID)}/${String(r.VENDOR_ID)}`).sort());
    expect(result.requests).toBeGreaterThan(1);
  });
});
