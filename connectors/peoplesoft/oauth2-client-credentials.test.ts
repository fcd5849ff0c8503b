import { memoryTokenStore } from '../../core/oauth-token-store';
import { resetFast, startWithAdmin } from '../../simulators/peoplesoft/test-support';
import { type PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { DEMO_OPRID, DEMO_PASSWORD } from '../../simulators/peoplesoft';
import { type RunningSimulator } from '../../simulators/kit/types';
import { componentInterfaces, createPeopleSoftConnector, peopleSoftAuthSchema, type PeopleSoftEndpointInput } from '.';

const DAY = 86_400_000;
let sim: RunningSimulator;
let admin: PeopleSoftSimAdmin;
let client: { clientId: string; clientSecret: string };

const endpoint = (auth: PeopleSoftEndpointInput['auth']): PeopleSoftEndpointInput => ({ baseUrl: sim.baseUrl, node: 'PSFT_EP', auth, rowCap: 500, maxWindowMs: 365 * DAY, timeoutMs: 10_000 });
const clientCredentials = (over: Partial<{ clientSecret: string; scope: string }> = {}) =>
  endpoint({ method: 'oauth2', tokenUrl: `${sim.baseUrl}/idp/oauth2/token`, clientId: client.clientId, clientSecret: client.clientSecret, ...over });
const window = async () => {
  const now = Date.parse(await admin.now());
  return { from: new Date(now - 91 * DAY), to: new Date(now + 1_000) };
};
const issued = async () => (await admin.idpStats()).issued;

beforeAll(async () => {
  ({ sim, admin } = await startWithAdmin());
});
afterAll(() => sim.close());
beforeEach(async () => {
  await resetFast(admin);
  await admin.seed({ recordsPerObject: 5 });
  client = await admin.registerIdpClient({ oprid: DEMO_OPRID, expiresInSeconds: 3600, scope: 'psft.rest' });
});

describe('PeopleSoft over OAuth2 client credentials at the customer IdP', () => {
  it('fetches one token for REST and SOAP calls and shares it through the store', async () => {
    const store = memoryTokenStore();
    const before = await issued();
    const ps = createPeopleSoftConnector(clientCredentials({ scope: 'psft.rest' }), { tokenStore: store });
    expect((await ps.fetchChanged('vendor', await window())).rows).toHaveLength(5);
    const checks = await ps.testConnection({ objects: ['voucher'], componentInterfaces: [componentInterfaces.voucherApproval] });
    expect(checks.map((c) => [c.check.split(':')[0], c.ok])).toEqual([['auth', true], ['rest', true], ['rowcap', true], ['soap', true]]);
    const again = createPeopleSoftConnector(clientCredentials({ scope: 'psft.rest' }), { tokenStore: store });
    expect((await again.fetchChanged('voucher', await window())).rows).toHaveLength(5);
    expect(await issued()).toBe(before + 1);
  });

  it('renews once when the gateway refuses an expired token, for REST and for a SOAP CI call', async () => {
    const ps = createPeopleSoftConnector(clientCredentials());
    await ps.fetchChanged('vendor', await window());
    const before = await issued();
    await admin.advanceClock(3_600_000 + 60_000);
    const soapChecks = await ps.testConnection({ objects: [], componentInterfaces: [componentInterfaces.voucherApproval] });
    expect(soapChecks.map((c) => c.ok)).toEqual([true, true]);
    expect(await issued()).toBe(before + 1);
    await admin.advanceClock(3_600_000 + 60_000);
    expect(await ps.fetchChanged('vendor', await window())).toMatchObject({ invalid: [] });
    expect(await issued()).toBe(before + 2);
  });

  it('names the fix when the IdP refuses the client, without echoing the secret', async () => {
    const ps = createPeopleSoftConnector(clientCredentials({ clientSecret: 'wrong-secret-value' }));
    const err: unknown = await ps.fetchChanged('vendor', await window()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PS_OAUTH_INVALID_CLIENT', status: 401, decision: { retry: false } });
    expect(JSON.stringify(err) + String(err)).not.toContain('wrong-secret-value');
    const checks = await ps.testConnection({ objects: ['voucher'], componentInterfaces: [] });
    expect(checks).toEqual([expect.objectContaining({ check: 'auth', ok: false, code: 'PS_OAUTH_INVALID_CLIENT' })]);
  });

  it('refuses half-given OAuth2 credentials naming each field, and a missing method naming method', () => {
    const issues = (v: unknown) => peopleSoftAuthSchema.safeParse(v).error?.issues.map((i) => i.path.join('.'));
    expect(issues({ oprid: 'X', password: 'y' })).toEqual(['method']);
    expect(issues({ method: 'oauth2', clientId: 'c' })).toEqual(['tokenUrl', 'clientSecret']);
    expect(issues({ method: 'oauth2', accessToken: 't', clientSecret: 's' })).toEqual(['clientSecret']);
    expect(issues({ method: 'oauth2', accessToken: 't' })).toBeUndefined();
  });

  it('adds no auth line for HTTP Basic, whose checks already name the operator id', async () => {
    const checks = await createPeopleSoftConnector(endpoint({ method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD })).testConnection({ objects: ['voucher'], componentInterfaces: [] });
    expect(checks).toEqual([
      { check: 'rest:MLC_VOUCHER_SYNC_GET', ok: true, message: `MLC_VOUCHER_SYNC_GET answers on node PSFT_EP for user ${DEMO_OPRID}` },
      expect.objectContaining({ check: 'rowcap:MLC_VOUCHER_SYNC_GET', ok: true }),
    ]);
  });
});
