import { type RunningJaggaerSimulator } from '.';
import { jaggaerSimulatorPerFile } from './test-support';
import { getAt } from './resources';
import { TOKEN_PATH } from './token-server';

/**
 * Account codes as a JAGGAER client sees them over HTTP (provisional resource, resources.ts): the list envelope with
 * `start` paging and `flt` filters, CREATE/UPDATE writes whose refusals (a duplicate code) are returnCode errors under
 * HTTP 200, and requisition lines refused when coded to an unknown or inactive account.
 */
const ACCOUNTS = '/j1p/api/public/jp/v1/accountcodes';
const REQUISITIONS = '/j1p/api/public/jp/v1/requisitions';

let sim: RunningJaggaerSimulator;
let bearer: string;

jaggaerSimulatorPerFile((s) => (sim = s), {
  settings: { pageSize: 100 },
  async beforeEachTest() {
    const res = await fetch(`${sim.instanceUrl}${TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.client.clientId, client_secret: sim.client.clientSecret }).toString(),
    });
    bearer = ((await res.json()) as { access_token: string }).access_token;
  },
});

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.instanceUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const codes = (doc: unknown) => (getAt(doc, 'accountCodeList.accountCode') as Record<string, unknown>[]).map((a) => a.code);

describe('JAGGAER simulator: account codes', () => {
  it('creates a code once: a second CREATE of the same code is a returnCode error under HTTP 200, not a second account', async () => {
    const created = await api('POST', ACCOUNTS, { operationCode: 'CREATE', accountCode: { code: '600010', description: 'Office supplies', status: 'ACTIVE' } });
    expect(created).toEqual({ status: 200, body: { returnCode: 0, returnMessage: 'OK', accountCodeId: expect.any(Number) } });
    const again = await api('POST', ACCOUNTS, { operationCode: 'CREATE', accountCode: { code: '600010', description: 'Office supplies' } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ returnCode: 4, returnMessage: `Account code 600010 already exists (accountCodeId ${String(created.body.accountCodeId)})` });
    expect(await sim.admin.records('accounts')).toHaveLength(1);
    expect((await api('POST', ACCOUNTS, { operationCode: 'CREATE', accountCode: { description: 'No code' } })).body).toMatchObject({ returnCode: 2, returnMessage: 'Validation failed: code is mandatory' });
    expect((await api('POST', ACCOUNTS, { operationCode: 'DELETE', accountCode: { code: '600010' } })).body).toMatchObject({ returnCode: 1, returnMessage: 'Invalid operationCode: DELETE' });
  });

  it('deactivates by UPDATE (no delete), refuses an unknown id, and lists by flt CODE, STATUS and LASTMODTIME with start paging', async () => {
    for (let i = 1; i <= 5; i++) await sim.admin.addAccount({ code: String(600000 + i * 10), description: `Account ${i}` });
    const before = new Date(Date.parse((await sim.admin.advanceClock(60_000)).now) - 1000).toISOString();
    const [third] = (await sim.admin.records('accounts')).filter((a) => a.code === '600030');
    const updated = await api('POST', ACCOUNTS, { operationCode: 'UPDATE', accountCode: { accountCodeId: third!.accountCodeId, status: 'INACTIVE' } });
    expect(updated.body).toMatchObject({ returnCode: 0, accountCodeId: third!.accountCodeId });
    expect((await api('POST', ACCOUNTS, { operationCode: 'UPDATE', accountCode: { accountCodeId: 42, status: 'INACTIVE' } })).body).toMatchObject({ returnCode: 3 });
    expect((await api('POST', ACCOUNTS, { operationCode: 'UPDATE', accountCode: { accountCodeId: third!.accountCodeId, status: 'GONE' } })).body).toMatchObject({ returnCode: 2 });

    expect(codes((await api('GET', `${ACCOUNTS}?flt=CODE==600030`)).body)).toEqual(['600030']);
    expect(codes((await api('GET', `${ACCOUNTS}?flt=STATUS==INACTIVE`)).body)).toEqual(['600030']);
    expect(codes((await api('GET', `${ACCOUNTS}?flt=LASTMODTIME>=${before}`)).body)).toEqual(['600030']);
    await sim.admin.setSettings({ pageSize: 2 });
    const page2 = await api('GET', `${ACCOUNTS}?start=3`);
    expect(page2.body).toMatchObject({ returnCode: 0, totRecords: 5, returnedRecords: 2, startAt: 3 });
    expect((await api('GET', `${ACCOUNTS}?flt=NAME==x`)).body).toMatchObject({ returnCode: 1, returnMessage: 'Invalid filter key: NAME' });
  });

  it('refuses a requisition line coded to an account code it does not have, or to an inactive one', async () => {
    await sim.admin.addAccount({ code: '600010', description: 'Active' });
    await sim.admin.addAccount({ code: '600020', description: 'Closed', status: 'INACTIVE' });
    // Keying a code twice on the admin surface is the caller's mistake: a 409 naming it, not a 500.
    await expect(sim.admin.addAccount({ code: '600010', description: 'Again' })).rejects.toThrow(/HTTP 409 .*account code 600010 already exists/);
    const requisition = (accountCode: string) => ({
      requisition: { header: { businessUnit: 'US001', requisitionName: 'Chairs' }, lineList: { line: [{ lineNumber: 1, quantity: 1, unitPrice: { value: 10 }, accountCode }] } },
    });
    expect((await api('POST', REQUISITIONS, requisition('600010'))).body).toMatchObject({ returnCode: 0 });
    expect((await api('POST', REQUISITIONS, requisition('999999'))).body).toMatchObject({ returnCode: 2, returnMessage: 'Validation failed: line 1 account code 999999 does not exist' });
    expect((await api('POST', REQUISITIONS, requisition('600020'))).body).toMatchObject({ returnCode: 2, returnMessage: 'Validation failed: line 1 account code 600020 is inactive' });
  });
});
