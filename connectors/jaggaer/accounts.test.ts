import { isPartnerError } from '../../core/partner-error';
import { type RunningJaggaerSimulator } from '../../simulators/jaggaer';
import { jaggaerSimulatorPerFile } from '../../simulators/jaggaer/test-support';
import { RateLimiterRegistry } from '../http/rate-limiter';
import { createJaggaerConnector } from './connector';
import { resolveProvider } from './provider';

/**
 * Account codes through the connector against the simulator over real HTTP: upsert by code (find by flt, then
 * create or update) so a repeat never duplicates, deactivation by update, and the provisional shape overridable.
 */
let sim: RunningJaggaerSimulator;

jaggaerSimulatorPerFile((s) => (sim = s));

const connector = () => createJaggaerConnector({ instanceUrl: sim.instanceUrl, auth: { clientId: sim.client.clientId, clientSecret: sim.client.clientSecret } }, { limiters: new RateLimiterRegistry() });

describe('JAGGAER connector: account codes', () => {
  it('creates a code once and updates it on a repeat (as after a crash that lost our link), deactivating, never deleting', async () => {
    const jaggaer = connector();
    const first = await jaggaer.upsertAccount({ code: '600010', description: 'Office supplies', active: true });
    const again = await jaggaer.upsertAccount({ code: '600010', description: 'Office supplies and paper', active: false });
    expect(first.outcome).toBe('created');
    expect(again).toEqual({ id: first.id, outcome: 'updated' });
    expect(await sim.admin.records('accounts')).toEqual([expect.objectContaining({ accountCodeId: Number(first.id), code: '600010', description: 'Office supplies and paper', status: 'INACTIVE' })]);
    expect(await jaggaer.findAccountByCode('600010')).toMatchObject({ id: first.id, code: '600010', status: 'INACTIVE' });
    expect(await jaggaer.findAccountByCode('600020')).toBeUndefined();
    const page = await jaggaer.listAccountsPage();
    expect(page).toMatchObject({ totRecords: 1, records: [{ id: first.id, code: '600010' }] });
  });

  it('takes a create refused under HTTP 200 (a duplicate code) as an error with the raw answer, never as a success', async () => {
    await sim.admin.addAccount({ code: '600010' });
    const err = await connector().client.send({ operation: 'POST accountcodes', method: 'POST', path: '/j1p/api/public/jp/v1/accountcodes', body: { operationCode: 'CREATE', accountCode: { code: '600010', description: 'x' } } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isPartnerError(err) && { code: err.code, status: err.status, rawBody: JSON.parse(err.rawBody ?? '{}') as unknown }).toMatchObject({ code: 'JAGGAER_RETURN_CODE_4', status: 200, rawBody: { returnCode: 4 } });
  });

  it('refuses an account override that names a field the description does not have, by name', () => {
    expect(resolveProvider({ resources: { accounts: { path: '/custom/v2/glcodes', fields: { code: 'glCode' } } } }).resources.accounts).toMatchObject({ path: '/custom/v2/glcodes', fields: { code: 'glCode', id: 'accountCodeId' } });
    expect(() => resolveProvider({ resources: { accounts: { fields: { glCode: 'x' } } } })).toThrow('JAGGAER provider override: provider.resources.accounts.fields');
  });
});
