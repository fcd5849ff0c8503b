import { createClientAsync, WSSecurity } from 'soap';
import { resetFast, startWithAdmin } from './test-support';
import { type RunningSimulator } from '../kit/types';
import { type PeopleSoftSimAdmin } from './admin-client';
import { DEMO_OPRID, DEMO_PASSWORD } from '.';

let sim: RunningSimulator;
let admin: PeopleSoftSimAdmin;
const basic = 'Basic ' + Buffer.from(`${DEMO_OPRID}:${DEMO_PASSWORD}`).toString('base64');
const rest = (path: string, auth = basic) => fetch(`${sim.baseUrl}/PSIGW/RESTListeningConnector/${path}`, { headers: { authorization: auth } });

beforeAll(async () => {
  ({ sim, admin } = await startWithAdmin());
});
afterAll(() => sim.close());
beforeEach(async () => {
  await resetFast(admin);
});

describe('PeopleSoft simulator', () => {
  it('seeds deterministically: the same seed gives the same rows', async () => {
    const from = '2024-01-01T00:00:00.000Z';
    const to = '2024-04-01T00:00:00.000Z';
    expect(await admin.seed({ recordsPerObject: 15, seed: 7, from, to })).toMatchObject({ voucher: 15, vendor: 15, journalLine: 15 });
    const first = await admin.rows('voucher');
    await admin.seed({ recordsPerObject: 15, seed: 7, from, to });
    expect(await admin.rows('voucher')).toEqual(first);
    expect(first.every((r) => r.LASTUPDDTTM !== undefined && String(r.LASTUPDDTTM) >= from && String(r.LASTUPDDTTM) < to)).toBe(true);
  });

  it('stamps saves from its clock skewed behind ours (R11), or at an exact LASTUPDDTTM; the inquiry window is [FROM, TO)', async () => {
    await admin.seed({ recordsPerObject: 0, counts: { vendor: 2 } });
    const [a, b] = (await admin.rows('vendor')) as Array<{ SETID: string; VENDOR_ID: string }>;
    try {
      await admin.setClockSkew(-300_000);
      const before = Date.now();
      const skewed = Date.parse(String((await admin.updateRow('vendor', { SETID: a!.SETID, VENDOR_ID: a!.VENDOR_ID }, { NAME1: 'Behind' })).LASTUPDDTTM));
      expect(skewed).toBeGreaterThanOrEqual(before - 300_000);
      expect(skewed).toBeLessThan(Date.now() - 299_000);
    } finally {
      await admin.setClockSkew(0);
    }
    const edge = '2026-12-01T10:00:00.000Z';
    expect((await admin.updateRow('vendor', { SETID: b!.SETID, VENDOR_ID: b!.VENDOR_ID }, { NAME1: 'Edge' }, edge)).LASTUPDDTTM).toBe(edge);
    const names = async (from: string, to: string) => {
      const body = (await (await rest(`PSFT_EP/MLC_VENDOR_SYNC_GET.v1/?LASTUPDDTTM_FROM=${from}&LASTUPDDTTM_TO=${to}`)).json()) as { MLC_VENDOR_SYNC_GET_RESP: { VENDOR?: Array<{ NAME1: string }> } };
      return (body.MLC_VENDOR_SYNC_GET_RESP.VENDOR ?? []).map((v) => v.NAME1);
    };
    expect(await names(edge, '2026-12-01T10:00:00.001Z')).toEqual(['Edge']);
    expect(await names('2026-12-01T09:59:59.999Z', edge)).toEqual([]);
  });

  it('answers a REST inquiry in a document wrapper, sorted by LASTUPDDTTM, stopping at exactly the row cap, with only IB headers', async () => {
    await admin.seed({ recordsPerObject: 0, counts: { vendor: 30 } });
    await admin.setConfig({ rowCap: 12 });
    const res = await rest('PSFT_EP/MLC_VENDOR_SYNC_GET.v1/?LASTUPDDTTM_FROM=2000-01-01T00:00:00Z');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('etag')).toBeNull();
    const body = (await res.json()) as { MLC_VENDOR_SYNC_GET_RESP: { VENDOR: Array<{ LASTUPDDTTM: string; NAME1: string }> } };
    const rows = body.MLC_VENDOR_SYNC_GET_RESP.VENDOR;
    expect(rows).toHaveLength(12);
    expect(rows.map((r) => r.LASTUPDDTTM)).toEqual(rows.map((r) => r.LASTUPDDTTM).sort());
  });

  it('slows down in proportion to the requested date range', async () => {
    await admin.setConfig({ slowQuery: { msPerDay: 10, maxMs: 5_000 } });
    const started = Date.now();
    await rest('PSFT_EP/MLC_EMPLOYEE_GET.v1/?LASTUPDDTTM_FROM=2025-01-01T00:00:00Z&LASTUPDDTTM_TO=2025-01-31T00:00:00Z');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('answers an unknown or inactive operation with the RESTListeningConnector routing page', async () => {
    for (const path of ['PSFT_EP/NOT_AN_OPERATION.v1/', 'PSFT_EP/MLC_VENDOR_SYNC_GET.v2/']) {
      const res = await rest(path);
      expect(res.status).toBe(500);
      expect(await res.text()).toContain('Unable to find a Routing corresponding to the incoming request message.');
    }
    await admin.setOperationActive('MLC_VENDOR_SYNC_GET', false);
    expect((await rest('PSFT_EP/MLC_VENDOR_SYNC_GET.v1/')).status).toBe(500);
    await admin.setOperationActive('MLC_VENDOR_SYNC_GET', true);
    expect((await rest('PSFT_EP/MLC_VENDOR_SYNC_GET.v1/')).status).toBe(200);
  });

  it('rejects a wrong node with 500 (158,505) and bad credentials with 401', async () => {
    const wrongNode = await rest('PSFT_XX/MLC_VENDOR_SYNC_GET.v1/');
    expect(wrongNode.status).toBe(500);
    expect(await wrongNode.text()).toMatch(/\(158,505\)/);
    expect((await rest('PSFT_EP/MLC_VENDOR_SYNC_GET.v1/', 'Basic ' + Buffer.from('MLC_INTEG:nope').toString('base64'))).status).toBe(401);
    expect((await rest('PSFT_EP/MLC_VENDOR_SYNC_GET.v1/', 'Bearer unknown-token')).status).toBe(401);
  });

  it('expires every live bearer token at once on the admin call: the IdP grants a new one, the clock stays put', async () => {
    const client = await admin.registerIdpClient({ oprid: DEMO_OPRID });
    const grant = async () => {
      const res = await fetch(`${sim.baseUrl}/idp/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret }) });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const issued = (await admin.idpStats()).issued;
    const [first, minted] = [await grant(), await admin.mintToken(DEMO_OPRID)];
    const clock = Date.parse(await admin.now());
    expect((await rest('PSFT_EP/MLC_VENDOR_SYNC_GET.v1/', `Bearer ${first}`)).status).not.toBe(401);
    // These two and any other live one (a seeded demo token).
    expect((await admin.expireTokens()).expired).toBeGreaterThanOrEqual(2);
    expect((await rest('PSFT_EP/MLC_VENDOR_SYNC_GET.v1/', `Bearer ${first}`)).status).toBe(401);
    expect((await rest('PSFT_EP/MLC_VENDOR_SYNC_GET.v1/', `Bearer ${minted}`)).status).toBe(401);
    expect((await rest('PSFT_EP/MLC_VENDOR_SYNC_GET.v1/', `Bearer ${await grant()}`)).status).not.toBe(401);
    expect(await admin.idpStats()).toEqual({ issued: issued + 2 });
    expect(await admin.expireTokens()).toEqual({ expired: 1 });
    // Expired by the admin call, not by time: the clock LASTUPDDTTM is stamped from has not jumped.
    expect(Date.parse(await admin.now()) - clock).toBeLessThan(10_000);
  });

  it('serves a WSDL per CI service in path and query form, usable by node-soap', async () => {
    const pathForm = await fetch(`${sim.baseUrl}/PSIGW/PeopleSoftServiceListeningConnector/PSFT_EP/CI_VNDR_ID.1.wsdl`);
    const queryForm = await fetch(`${sim.baseUrl}/PSIGW/PeopleSoftServiceListeningConnector?Operation=GetWSDL&wsdl=CI_VNDR_ID.1`);
    const wsdl = await pathForm.text();
    expect(await queryForm.text()).toBe(wsdl);
    expect(wsdl).toContain('soapAction="CI_VNDR_ID_C.v1"');
    expect(wsdl).toContain('name="Create__CompIntfc__VNDR_ID"');
    expect(wsdl).toContain('name="Get__CompIntfc__VNDR_IDResponse"');

    await admin.seed({ recordsPerObject: 3 });
    const client = await createClientAsync(`${sim.baseUrl}/PSIGW/PeopleSoftServiceListeningConnector/PSFT_EP/CI_VNDR_ID.1.wsdl`);
    client.setSecurity(new WSSecurity(DEMO_OPRID, DEMO_PASSWORD, { passwordType: 'PasswordText', hasTimeStamp: false, hasTokenCreated: false }));
    const [vendor] = (await (client as unknown as Record<string, (a: unknown) => Promise<unknown[]>>).CI_VNDR_ID_GAsync!({ KEYPROP_SETID: 'SHARE', KEYPROP_VENDOR_ID: '0000000002' })) as [Record<string, unknown>];
    expect(vendor).toMatchObject({ SETID: 'SHARE', VENDOR_ID: '0000000002', NAME1: expect.any(String) });
  });

  it('answers SOAP auth failures with an IBResponse fault: (158,45) and (158,536)', async () => {
    const envelope = (user: string, pw: string) =>
      `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><wsse:UsernameToken><wsse:Username>${user}</wsse:Username><wsse:Password>${pw}</wsse:Password></wsse:UsernameToken></wsse:Security></soapenv:Header><soapenv:Body><Get__CompIntfc__VNDR_ID><KEYPROP_SETID>SHARE</KEYPROP_SETID><KEYPROP_VENDOR_ID>1</KEYPROP_VENDOR_ID></Get__CompIntfc__VNDR_ID></soapenv:Body></soapenv:Envelope>`;
    const post = (body: string) => fetch(`${sim.baseUrl}/PSIGW/PeopleSoftServiceListeningConnector/PSFT_EP`, { method: 'POST', headers: { 'content-type': 'text/xml', SOAPAction: '"CI_VNDR_ID_G.v1"' }, body });
    const bad = await post(envelope(DEMO_OPRID, 'wrong'));
    expect(bad.status).toBe(500);
    const badText = await bad.text();
    expect(badText).toContain('<IBResponse type="error">');
    expect(badText).toContain('User password failed. (158,45)');
    await admin.putUser('NOCI', { password: 'pw', operations: ['MLC_VENDOR_SYNC_GET'] });
    expect(await (await post(envelope('NOCI', 'pw'))).text()).toContain('User NOCI not authorized to invoke Service Operation CI_VNDR_ID_G. (158,536)');
  });
});
