import { partnerFailure } from '../../test/support/partner-failure';
import { resetFast, startWithAdmin } from '../../simulators/peoplesoft/test-support';
import { type PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { DEMO_OPRID, DEMO_PASSWORD, READONLY_OPRID, READONLY_PASSWORD } from '../../simulators/peoplesoft';
import { type RunningSimulator } from '../../simulators/kit/types';
import { createPeopleSoftConnector, type PeopleSoftEndpointInput, SoapClientCache } from '.';

const DAY = 86_400_000;
let sim: RunningSimulator;
let admin: PeopleSoftSimAdmin;
let now: number;

const endpoint = (over: Partial<PeopleSoftEndpointInput> = {}): PeopleSoftEndpointInput => ({
  baseUrl: sim.baseUrl,
  node: 'PSFT_EP',
  auth: { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD },
  timeoutMs: 10_000,
  ...over,
});
// A fresh cache per connector, so a client built with other credentials in an earlier test is never reused.
const connector = (over: Partial<PeopleSoftEndpointInput> = {}) => createPeopleSoftConnector(endpoint(over), { soapClients: new SoapClientCache() });
const window = () => ({ from: new Date(now - 10 * DAY), to: new Date(now + 1_000) });

beforeAll(async () => {
  ({ sim, admin } = await startWithAdmin());
});
afterAll(() => sim.close());
beforeEach(async () => {
  await resetFast(admin);
  await admin.seed({ recordsPerObject: 5 });
  now = Date.parse(await admin.now());
});

describe('Integration Broker errors become PartnerErrors with a code, a hint and a retry decision', () => {
  it('inactive REST operation: HTML routing page -> PS_ROUTING_NOT_FOUND, permanent although HTTP 500', async () => {
    await admin.setOperationActive('MLC_VOUCHER_SYNC_GET', false);
    const err = await partnerFailure(connector().fetchChanged('voucher', window()));
    expect(err).toMatchObject({ partner: 'peoplesoft', status: 500, code: 'PS_ROUTING_NOT_FOUND', decision: { retry: false } });
    expect(err.hint).toContain('activate service operation MLC_VOUCHER_SYNC_GET and its any-to-local routing');
    expect(err.rawBody).toBe(
      '<HTML><HEAD><TITLE>RESTListeningConnector</TITLE></HEAD><BODY>Unable to find a Routing corresponding to the incoming request message.</BODY></HTML>',
    );
  });

  it('inactive CI operation -> PS_ROUTING_NOT_FOUND naming the SOAP operation', async () => {
    await admin.setOperationActive('CI_VNDR_ID_C', false);
    const err = await partnerFailure(connector().upsertVendor({ SETID: 'SHARE', VENDOR_ID: 'NEWV1', NAME1: 'New vendor' }));
    expect(err).toMatchObject({ code: 'PS_ROUTING_NOT_FOUND', decision: { retry: false } });
    expect(err.hint).toContain('CI_VNDR_ID_C');
    expect(err.rawBody).toContain('IBResponse');
  });

  it('wrong node -> (158,505) PS_158_505 with a node hint, on REST and on SOAP', async () => {
    const rest = await partnerFailure(connector({ node: 'PSFT_HR' }).fetchChanged('vendor', window()));
    expect(rest).toMatchObject({ status: 500, code: 'PS_158_505', decision: { retry: false } });
    expect(rest.hint).toContain('PSFT_HR');
    expect(rest.rawBody).toMatch(/\(158,505\)/);
    const soap = await partnerFailure(connector({ node: 'PSFT_HR' }).approveVoucher({ businessUnit: 'US001', voucherId: '00000001', decision: 'A' }));
    expect(soap).toMatchObject({ code: 'PS_158_505', decision: { retry: false } });
  });

  it('SOAP bad password -> (158,45) PS_158_45 with a password hint and no password in the error', async () => {
    const err = await partnerFailure(connector({ auth: { method: 'basic', oprid: DEMO_OPRID, password: 'not-the-password' } }).approveVoucher({ businessUnit: 'US001', voucherId: '00000001', decision: 'A' }));
    expect(err).toMatchObject({ code: 'PS_158_45', decision: { retry: false } });
    expect(err.hint).toMatch(/password of user MLC_INTEG/);
    expect(err.rawBody).toContain('User password failed. (158,45)');
    expect(`${err.message} ${err.rawBody} ${err.hint}`).not.toContain('not-the-password');
  });

  it('SOAP operation not in the permission lists -> (158,536) PS_158_536 naming user and operation', async () => {
    const err = await partnerFailure(connector({ auth: { method: 'basic', oprid: READONLY_OPRID, password: READONLY_PASSWORD } }).upsertVendor({ SETID: 'SHARE', VENDOR_ID: 'NEWV2', NAME1: 'Other' }));
    expect(err).toMatchObject({ code: 'PS_158_536', decision: { retry: false } });
    expect(err.hint).toContain(`User ${READONLY_OPRID} may not invoke CI_VNDR_ID_C`);
  });

  it('REST user without the operation in a permission list -> 401 PS_UNAUTHORIZED', async () => {
    await admin.putUser('MLC_NOREST', { password: 'pw-norest', operations: ['CI_VNDR_ID_G'] });
    const err = await partnerFailure(connector({ auth: { method: 'basic', oprid: 'MLC_NOREST', password: 'pw-norest' } }).fetchChanged('vendor', window()));
    expect(err).toMatchObject({ status: 401, code: 'PS_UNAUTHORIZED', decision: { retry: false } });
    expect(err.hint).toContain('MLC_VENDOR_SYNC_GET');
  });

  it('injected 5xx -> retryable PartnerError, for REST and SOAP; the raw page is kept', async () => {
    await admin.setFaults({ errorRate: 1, errorStatus: 503 });
    const rest = await partnerFailure(connector().fetchChanged('vendor', window()));
    expect(rest).toMatchObject({ status: 503, code: 'PS_SERVER_ERROR', decision: { retry: true } });
    expect(rest.rawBody).toContain('Integration Gateway unavailable (503)');
    const soap = await partnerFailure(connector().approveVoucher({ businessUnit: 'US001', voucherId: '00000001', decision: 'A' }));
    expect(soap.decision.retry).toBe(true);
    expect((await admin.faults()).injected.errors).toBeGreaterThanOrEqual(2);
  });

  it('dropped connections and timeouts -> retryable', async () => {
    await admin.setFaults({ dropRate: 1 });
    const dropped = await partnerFailure(connector().fetchChanged('vendor', window()));
    expect(dropped.decision.retry).toBe(true);
    expect(dropped.code).toMatch(/^PS_NETWORK_/);
    await admin.setFaults({ latencyMs: 1_000 });
    const slow = await partnerFailure(connector({ timeoutMs: 200 }).fetchChanged('vendor', window()));
    expect(slow.decision.retry).toBe(true);
  });

  it('429 burst -> retryable with the Retry-After wait (a page read retries in place up to 20 s; a longer wait goes up at once)', async () => {
    await admin.setFaults({ burst429: { count: 1, retryAfterSeconds: 30 } });
    const err = await partnerFailure(connector().fetchChanged('vendor', window()));
    expect(err).toMatchObject({ status: 429, decision: { retry: true, waitMs: 30_000 } });
    expect((await admin.faults()).injected.tooManyRequests).toBe(1);
  });
});

describe('testConnection', () => {
  it('reports every REST inquiry and CI as ok on a healthy connection', async () => {
    const checks = await connector().testConnection();
    // Per inquiry a ping and its rowcap check; per CI a Get.
    expect(checks).toHaveLength(7 * 2 + 6);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.map((c) => c.check)).toEqual(expect.arrayContaining(['rest:MLC_VOUCHER_SYNC_GET', 'rowcap:MLC_VOUCHER_SYNC_GET', 'soap:CI_MLC_VCHR_APPR_G', 'soap:CI_VNDR_ID_G']));
  });

  it('turns each failure into an actionable message', async () => {
    await admin.setOperationActive('MLC_PO_SYNC_GET', false);
    await admin.setOperationActive('CI_MLC_JOURNAL_LN_G', false);
    const checks = await connector().testConnection();
    const byCheck = Object.fromEntries(checks.map((c) => [c.check, c]));
    expect(byCheck['rest:MLC_PO_SYNC_GET']).toMatchObject({ ok: false, code: 'PS_ROUTING_NOT_FOUND', message: expect.stringContaining('activate service operation MLC_PO_SYNC_GET') });
    expect(byCheck['soap:CI_MLC_JOURNAL_LN_G']).toMatchObject({ ok: false, code: 'PS_ROUTING_NOT_FOUND' });
    expect(byCheck['rest:MLC_VOUCHER_SYNC_GET']?.ok).toBe(true);

    const badPassword = await connector({ auth: { method: 'basic', oprid: DEMO_OPRID, password: 'nope' } }).testConnection({ objects: ['vendor'], componentInterfaces: ['VNDR_ID'] });
    expect(badPassword).toEqual([
      expect.objectContaining({ check: 'rest:MLC_VENDOR_SYNC_GET', ok: false, code: 'PS_UNAUTHORIZED', message: expect.stringContaining('credentials') }),
      expect.objectContaining({ check: 'soap:CI_VNDR_ID_G', ok: false, code: 'PS_158_45', message: expect.stringContaining('password') }),
    ]);

    const readOnly = await connector({ auth: { method: 'basic', oprid: READONLY_OPRID, password: READONLY_PASSWORD } }).testConnection({ objects: ['vendor'], componentInterfaces: ['VNDR_ID'] });
    expect(readOnly.map((c) => [c.ok, c.code])).toEqual([
      [true, undefined],
      [true, undefined],
      [false, 'PS_158_536'],
    ]);

    const wrongNode = await connector({ node: 'WRONGNODE' }).testConnection({ objects: ['vendor'], componentInterfaces: ['VNDR_ID'] });
    expect(wrongNode.every((c) => !c.ok && c.code === 'PS_158_505' && c.message.includes('WRONGNODE'))).toBe(true);
  });
});
