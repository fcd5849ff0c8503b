import { partnerFailure } from '../../test/support/partner-failure';
import { resetFast, startWithAdmin } from '../../simulators/peoplesoft/test-support';
import { type PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { DEMO_OPRID, DEMO_PASSWORD, DEMO_TOKEN } from '../../simulators/peoplesoft';
import { type RunningSimulator } from '../../simulators/kit/types';
import { WorkerMetrics } from '../../workers/worker-metrics';
import { createPeopleSoftConnector, type PeopleSoftEndpointInput } from '.';

const DAY = 86_400_000;
let sim: RunningSimulator;
let admin: PeopleSoftSimAdmin;
let now: number;

const endpoint = (over: Partial<PeopleSoftEndpointInput> = {}): PeopleSoftEndpointInput => ({
  baseUrl: sim.baseUrl,
  node: 'PSFT_EP',
  auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD },
  rowCap: 500,
  maxWindowMs: 365 * DAY,
  timeoutMs: 10_000,
  ...over,
});
const window = () => ({ from: new Date(now - 91 * DAY), to: new Date(now + 1_000) });

beforeAll(async () => {
  ({ sim, admin } = await startWithAdmin());
});
afterAll(() => sim.close());
beforeEach(async () => {
  await resetFast(admin);
  now = Date.parse(await admin.now());
});

describe('fetchChanged auth', () => {
  beforeEach(() => admin.seed({ recordsPerObject: 20 }));

  it('reads every object with HTTP Basic, rows parsed with PeopleSoft field names', async () => {
    const ps = createPeopleSoftConnector(endpoint());
    const vouchers = await ps.fetchChanged('voucher', window());
    expect(vouchers.rows).toHaveLength(20);
    expect(vouchers.invalid).toEqual([]);
    expect(vouchers.rows[0]).toEqual(expect.objectContaining({ BUSINESS_UNIT: expect.any(String), VOUCHER_ID: expect.any(String), GROSS_AMT: expect.stringMatching(/^\d+(\.\d+)?$/) }));
    const stamps = vouchers.rows.map((r) => Date.parse(r.LASTUPDDTTM));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    for (const object of ['requisition', 'purchaseOrder', 'vendor', 'glAccount', 'journalLine', 'employee'] as const) {
      expect((await ps.fetchChanged(object, window())).rows).toHaveLength(20);
    }
  });

  it('reads with a static and with a minted OAuth2 bearer token', async () => {
    expect((await createPeopleSoftConnector(endpoint({ auth: { method: 'oauth2', accessToken: DEMO_TOKEN } })).fetchChanged('vendor', window())).rows).toHaveLength(20);
    const minted = await admin.mintToken(DEMO_OPRID, 60);
    expect((await createPeopleSoftConnector(endpoint({ auth: { method: 'oauth2', accessToken: minted } })).fetchChanged('vendor', window())).rows).toHaveLength(20);
  });

  it('rejects a wrong password with a permanent 401 and a credentials hint, without leaking the password', async () => {
    const err = await partnerFailure(createPeopleSoftConnector(endpoint({ auth: { method: 'basic', oprid: DEMO_OPRID, password: 'wrong-secret' } })).fetchChanged('voucher', window()));
    expect(err).toMatchObject({ status: 401, code: 'PS_UNAUTHORIZED', decision: { retry: false } });
    expect(err.hint).toMatch(/credentials|password/);
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain('wrong-secret');
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(Buffer.from(`${DEMO_OPRID}:wrong-secret`).toString('base64'));
  });

  it('rejects an expired bearer token once the simulator clock passes its expiry', async () => {
    const minted = await admin.mintToken(DEMO_OPRID, 60);
    const ps = createPeopleSoftConnector(endpoint({ auth: { method: 'oauth2', accessToken: minted } }));
    await expect(ps.fetchChanged('vendor', window())).resolves.toBeDefined();
    await admin.advanceClock(61_000);
    const err = await partnerFailure(ps.fetchChanged('vendor', window()));
    expect(err).toMatchObject({ status: 401, code: 'PS_UNAUTHORIZED' });
    expect(err.message).not.toContain(minted);
  });
});

describe('fetchChanged windows', () => {
  it('splits windows that hit the row cap until each fits: 1,234 rows, cap 100, every row exactly once', async () => {
    await admin.seed({ recordsPerObject: 0, counts: { voucher: 1234 } });
    await admin.setConfig({ rowCap: 100 });
    await admin.clearRequests();
    const result = await createPeopleSoftConnector(endpoint({ rowCap: 100 })).fetchChanged('voucher', window());
    expect(result.rows).toHaveLength(1234);
    expect(new Set(result.rows.map((r) => `${r.BUSINESS_UNIT}|${r.VOUCHER_ID}`)).size).toBe(1234);
    // Each split answers one request with the cap and replaces it by two: requests = 2 * capped + 1 at least, and the
    // client's own count must equal what the gateway saw.
    expect((await admin.requests()).MLC_VOUCHER_SYNC_GET).toBe(result.requests);
    expect(result.requests).toBeGreaterThanOrEqual(Math.ceil(1234 / 100));
    expect(result.requests).toBeLessThan(80);
  });

  it('bounds each request by maxWindowMs', async () => {
    await admin.seed({ recordsPerObject: 10 });
    await admin.clearRequests();
    const result = await createPeopleSoftConnector(endpoint({ maxWindowMs: 7 * DAY })).fetchChanged('vendor', window());
    expect(result.rows).toHaveLength(10);
    // One request per window, plus one narrow tail read per window that held rows (checking it was not cut short).
    const windows = Math.ceil((91 * DAY + 1_000) / (7 * DAY));
    expect(result.requests).toBeGreaterThan(windows);
    expect(result.requests).toBeLessThanOrEqual(windows + 10);
    expect((await admin.requests()).MLC_VENDOR_SYNC_GET).toBe(result.requests);
  });

  it('fails with an actionable, permanent error when more rows than the cap share one LASTUPDDTTM', async () => {
    const at = new Date(now - DAY).toISOString();
    await admin.seed({ recordsPerObject: 0, counts: { employee: 30 }, from: at, to: new Date(Date.parse(at) + 1).toISOString() });
    await admin.setConfig({ rowCap: 10 });
    const err = await partnerFailure(createPeopleSoftConnector(endpoint({ rowCap: 10 })).fetchChanged('employee', window()));
    expect(err).toMatchObject({ code: 'PS_ROW_CAP_UNSPLITTABLE', decision: { retry: false } });
    expect(err.hint).toContain('MLC_EMPLOYEE_GET');
  });

  it('sees a row edited in PeopleSoft in the next window, and hands back rows that fail the schema', async () => {
    await admin.seed({ recordsPerObject: 5 });
    const ps = createPeopleSoftConnector(endpoint());
    const first = await ps.fetchChanged('voucher', window());
    const target = first.rows[0];
    if (!target) throw new Error('seed produced no voucher');
    await admin.advanceClock(5_000);
    const since = new Date(now + 1_000);
    await admin.updateRow('voucher', { BUSINESS_UNIT: target.BUSINESS_UNIT, VOUCHER_ID: target.VOUCHER_ID }, { GROSS_AMT: 99.5 });
    await admin.updateRow('voucher', { BUSINESS_UNIT: first.rows[1]?.BUSINESS_UNIT ?? '', VOUCHER_ID: first.rows[1]?.VOUCHER_ID ?? '' }, { APPR_STATUS: 'Z' });
    const next = await ps.fetchChanged('voucher', { from: since, to: new Date(now + 10_000) });
    expect(next.rows).toEqual([expect.objectContaining({ VOUCHER_ID: target.VOUCHER_ID, GROSS_AMT: '99.5' })]);
    expect(next.invalid).toEqual([expect.objectContaining({ key: `${first.rows[1]?.BUSINESS_UNIT}|${first.rows[1]?.VOUCHER_ID}`, issues: expect.stringContaining('APPR_STATUS') })]);
  });
});

describe('a gateway that stops below the declared rowCap', () => {
  // The Procore demo case: the gateway caps at 500, the connection declared 5,000, one window holds 601 rows.
  const seed601 = () => admin.seed({ recordsPerObject: 0, counts: { voucher: 601 }, from: new Date(now - 3 * DAY).toISOString(), to: new Date(now - DAY).toISOString() });

  it('still reads every one of 601 rows in one window, and reports the cap the gateway really stops at', async () => {
    await seed601();
    await admin.setConfig({ rowCap: 500 });
    await admin.clearRequests();
    const metrics = new WorkerMetrics();
    const result = await createPeopleSoftConnector(endpoint({ rowCap: 5_000 }), { telemetry: metrics }).fetchChanged('voucher', window());
    const seeded = await admin.rows('voucher');
    expect(result.rows.map((r) => `${r.BUSINESS_UNIT}|${r.VOUCHER_ID}`).sort()).toEqual(seeded.map((r) => `${String(r.BUSINESS_UNIT)}|${String(r.VOUCHER_ID)}`).sort());
    expect(result.rows).toHaveLength(601);
    expect(result.gatewayRowCap).toBe(500);
    expect((await admin.requests()).MLC_VOUCHER_SYNC_GET).toBe(result.requests);
    // Visible to the operator at run time: counted per operation on the worker's /metrics.
    expect(await metrics.registry.metrics()).toContain('mlc_partner_row_cap_cut_short_total{partner="peoplesoft",operation="MLC_VOUCHER_SYNC_GET"} 1');
  });

  it('finds a cap that is no round number, and trusts answers below a cap the gateway has honoured', async () => {
    await seed601();
    await admin.setConfig({ rowCap: 437 });
    const odd = await createPeopleSoftConnector(endpoint({ rowCap: 5_000 })).fetchChanged('voucher', window());
    expect(odd.rows).toHaveLength(601);
    expect(odd.gatewayRowCap).toBe(437);
    // Declared 200, honoured: one answer reached 200, so the gateway's cap is no lower; no tail reads needed after it.
    await admin.setConfig({ rowCap: 200 });
    await admin.clearRequests();
    const honoured = await createPeopleSoftConnector(endpoint({ rowCap: 200 })).fetchChanged('voucher', window());
    expect(honoured.rows).toHaveLength(601);
    expect(honoured.gatewayRowCap).toBeUndefined();
    // Halving alone: one window answered, then two per split, an odd count; each tail read would add one more.
    expect(honoured.requests % 2).toBe(1);
    expect((await admin.requests()).MLC_VOUCHER_SYNC_GET).toBe(honoured.requests);
  });

  it('answers `connections test` with a failed rowcap check naming the rowCap to declare, and passes when it matches', async () => {
    await seed601();
    await admin.setConfig({ rowCap: 500 });
    const checks = await createPeopleSoftConnector(endpoint({ rowCap: 5_000 })).testConnection({ objects: ['voucher'], componentInterfaces: [] });
    const probe = checks.find((c) => c.check === 'rowcap:MLC_VOUCHER_SYNC_GET');
    expect(probe).toMatchObject({ ok: false, code: 'PS_ROW_CAP_ABOVE_GATEWAY' });
    expect(probe?.message).toContain('set rowCap: 500');
    expect(probe?.message).toContain('rowCap 5000');
    expect(checks.find((c) => c.check === 'rest:MLC_VOUCHER_SYNC_GET')?.ok).toBe(true);

    const matching = await createPeopleSoftConnector(endpoint({ rowCap: 500 })).testConnection({ objects: ['voucher'], componentInterfaces: [] });
    expect(matching.filter((c) => !c.ok)).toEqual([]);
    expect(matching.find((c) => c.check === 'rowcap:MLC_VOUCHER_SYNC_GET')?.message).toMatch(/returned 500 rows in one answer/);
  });
});
