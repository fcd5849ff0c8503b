import { type RunningJaggaerSimulator } from '.';
import { jaggaerSimulatorPerFile } from './test-support';
import { getAt } from './resources';
import { TOKEN_PATH } from './token-server';

/**
 * The simulator as a JAGGAER client sees it over HTTP: Keycloak tokens that expire on its clock, the returnCode
 * envelope (errors under HTTP 200), `start` paging over totRecords, flt filters, 429s with Retry-After.
 */
const INVOICES = '/j1p/api/public/ji/v1/invoices';
const REQUISITIONS = '/j1p/api/public/jp/v1/requisitions';
const SUPPLIERS = '/j1p/api/public/ja/v1/companyprofiles';

let sim: RunningJaggaerSimulator;

jaggaerSimulatorPerFile((s) => (sim = s), { settings: { pageSize: 100, token: { accessTokenLifetimeSeconds: 300 } } });

async function tokenRequest(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sim.instanceUrl}${TOKEN_PATH}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function token(): Promise<string> {
  const { body } = await tokenRequest({ grant_type: 'client_credentials', client_id: sim.client.clientId, client_secret: sim.client.clientSecret });
  return body.access_token as string;
}

const list = (doc: unknown, path: string): unknown[] => getAt(doc, path) as unknown[];

async function api(method: string, path: string, bearer: string | undefined, body?: unknown) {
  const res = await fetch(`${sim.instanceUrl}${path}`, {
    method,
    headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe('JAGGAER simulator: Keycloak client credentials', () => {
  it('issues a bearer token for a registered client and refuses bad clients and grants like Keycloak', async () => {
    const ok = await tokenRequest({ grant_type: 'client_credentials', client_id: sim.client.clientId, client_secret: sim.client.clientSecret });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'Bearer', expires_in: 300 });
    expect(typeof ok.body.access_token).toBe('string');

    const wrongSecret = await tokenRequest({ grant_type: 'client_credentials', client_id: sim.client.clientId, client_secret: 'not-the-secret' });
    expect(wrongSecret).toEqual({ status: 401, body: { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' } });
    expect((await tokenRequest({ client_id: sim.client.clientId })).body.error).toBe('invalid_request');
    expect((await tokenRequest({ grant_type: 'password', client_id: sim.client.clientId })).body.error).toBe('unsupported_grant_type');
  });

  it('refuses API calls without a token and with a token past its lifetime on the simulator clock', async () => {
    const missing = await api('GET', INVOICES, undefined);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('error="invalid_token"');

    const bearer = await token();
    expect((await api('GET', INVOICES, bearer)).status).toBe(200);
    await sim.admin.advanceClock(301_000);
    const expired = await api('GET', INVOICES, bearer);
    expect(expired.status).toBe(401);
    expect(expired.body.error_description).toBe('Token is not active');
  });
});

describe('JAGGAER simulator: list envelope, paging and filters', () => {
  it('pages with start over totRecords in the jiinvoiceList envelope', async () => {
    await sim.admin.seed({ suppliers: 3, invoices: 250 });
    const bearer = await token();
    const first = await api('GET', `${INVOICES}?start=1`, bearer);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ returnCode: 0, totRecords: 250, returnedRecords: 100, startAt: 1 });
    expect(list(first.body, 'jiinvoiceList.jiinvoice')).toHaveLength(100);
    expect(getAt(list(first.body, 'jiinvoiceList.jiinvoice')[0], 'header')).toMatchObject({ invoiceType: 'Invoice', paymentStatus: 'Payable', total: { currency: 'USD' } });
    const last = await api('GET', `${INVOICES}?start=201`, bearer);
    expect(last.body).toMatchObject({ returnCode: 0, totRecords: 250, returnedRecords: 50, startAt: 201 });
    const ids = new Set([...list(first.body, 'jiinvoiceList.jiinvoice'), ...list(last.body, 'jiinvoiceList.jiinvoice')].map((d) => getAt(d, 'header.invoiceId')));
    expect(ids.size).toBe(150);
  });

  it('filters with flt LASTMODTIME>= (ISO or compact) and KEY==value', async () => {
    const seeded = await sim.admin.seed({ suppliers: 5 });
    const bearer = await token();
    await sim.admin.advanceClock(60_000);
    const since = new Date(Date.parse((await sim.admin.advanceClock(1000)).now) - 500);
    const [target] = (await sim.admin.records('suppliers')).filter((s) => getAt(s, 'companyInfo.extCode') === seeded.supplierNumbers[2]);
    await sim.admin.patchRecord('suppliers', String(getAt(target, 'companyInfo.bravoId')), { 'companyInfo.companyName': 'Renamed Ltd' });

    const iso = await api('GET', `${SUPPLIERS}?flt=${encodeURIComponent(`LASTMODTIME>=${since.toISOString()}`)}`, bearer);
    expect(iso.body.totRecords).toBe(1);
    expect(getAt(list(iso.body, 'returnCompanyData')[0], 'companyInfo.companyName')).toBe('Renamed Ltd');
    const compact = since.toISOString().slice(0, 19).replace(/[-:T]/g, '');
    expect((await api('GET', `${SUPPLIERS}?flt=LASTMODTIME>=${compact}`, bearer)).body.totRecords).toBe(1);
    const byCode = await api('GET', `${SUPPLIERS}?flt=${encodeURIComponent(`TYPE==SELLER;EXTCODE==${seeded.supplierNumbers[4]}`)}`, bearer);
    expect(list(byCode.body, 'returnCompanyData').map((s) => getAt(s, 'companyInfo.extCode'))).toEqual([seeded.supplierNumbers[4]]);
  });

  it('answers a bad filter or start with HTTP 200 and a non-zero returnCode', async () => {
    const bearer = await token();
    const badKey = await api('GET', `${INVOICES}?flt=NOSUCHKEY==1`, bearer);
    expect(badKey.status).toBe(200);
    expect(badKey.body).toMatchObject({ returnCode: 1, returnMessage: 'Invalid filter key: NOSUCHKEY' });
    expect((await api('GET', `${INVOICES}?start=0`, bearer)).body.returnCode).toBe(1);
  });
});

describe('JAGGAER simulator: writes', () => {
  const requisition = (header: Record<string, unknown>) => ({
    requisition: { header: { businessUnit: 'US001', requisitionName: 'Bearings', ...header }, lineList: { line: [{ lineNumber: 1, quantity: 2, unitPrice: { value: 12.5 } }] } },
  });

  it('creates a requisition, and refuses an invalid one with HTTP 200 and returnCode 2', async () => {
    const bearer = await token();
    const created = await api('POST', REQUISITIONS, bearer, requisition({ externalReference: 'US001/0000000001' }));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ returnCode: 0, requisitionNumber: `REQ${created.body.requisitionId}` });

    const invalid = await api('POST', REQUISITIONS, bearer, requisition({ businessUnit: '' }));
    expect(invalid.status).toBe(200);
    expect(invalid.body).toMatchObject({ returnCode: 2, returnMessage: 'Validation failed: businessUnit is mandatory' });
    const unknownSupplier = await api('POST', REQUISITIONS, bearer, requisition({ suggestedSupplier: { supplierNumber: 'NOPE' } }));
    expect(unknownSupplier.body).toMatchObject({ returnCode: 2, returnMessage: 'Validation failed: supplier NOPE does not exist' });

    const listed = await api('GET', `${REQUISITIONS}?flt=${encodeURIComponent('EXTERNALREF==US001/0000000001')}`, bearer);
    expect(list(listed.body, 'requisitionList.requisition').map((r) => getAt(r, 'header.requisitionId'))).toEqual([created.body.requisitionId]);
  });

  it('creates and updates supplier profiles with operationCode, refusing duplicates and unknown ids', async () => {
    const bearer = await token();
    const created = await api('POST', SUPPLIERS, bearer, { operationCode: 'CREATE', companyInfo: { companyName: 'Acme Bolts', extCode: 'V100' } });
    expect(created.body).toMatchObject({ returnCode: 0 });
    const duplicate = await api('POST', SUPPLIERS, bearer, { operationCode: 'CREATE', companyInfo: { companyName: 'Acme Again', extCode: 'V100' } });
    expect(duplicate.body.returnCode).toBe(4);
    const unknown = await api('POST', SUPPLIERS, bearer, { operationCode: 'UPDATE', companyInfo: { bravoId: 1, companyName: 'X' } });
    expect(unknown.body.returnCode).toBe(3);
    const updated = await api('POST', SUPPLIERS, bearer, { operationCode: 'UPDATE', companyInfo: { bravoId: created.body.bravoId, companyName: 'Acme Bolts Inc' } });
    expect(updated.body).toMatchObject({ returnCode: 0, bravoId: created.body.bravoId });
    const [stored] = await sim.admin.records('suppliers');
    expect(getAt(stored, 'companyInfo')).toMatchObject({ companyName: 'Acme Bolts Inc', extCode: 'V100', type: 'SELLER' });
  });
});

describe('JAGGAER simulator: faults', () => {
  it('answers 429 with Retry-After during a burst, and injected returnCode errors under HTTP 200', async () => {
    const bearer = await token();
    await sim.admin.setFaults({ burst429: { count: 2, retryAfterSeconds: 7 } });
    const limited = await api('GET', INVOICES, bearer);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    await api('GET', INVOICES, bearer);
    expect((await api('GET', INVOICES, bearer)).status).toBe(200);

    await sim.admin.setReturnCodeFault({ count: 1, returnCode: 99, returnMessage: 'Service temporarily unavailable' });
    const failed = await api('GET', INVOICES, bearer);
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ returnCode: 99, returnMessage: 'Service temporarily unavailable' });
    expect((await api('GET', INVOICES, bearer)).body.returnCode).toBe(0);
    const logged = await sim.admin.requests();
    expect(logged.map((r) => r.status)).toEqual(expect.arrayContaining([429, 200]));
  });
});
