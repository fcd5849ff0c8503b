import { z } from 'zod';
import { memoryTokenStore, type OAuthTokenStore } from '../core/oauth-token-store';
import { resetFast, startWithAdmin } from '../simulators/peoplesoft/test-support';
import { type PeopleSoftSimAdmin } from '../simulators/peoplesoft/admin-client';
import { DEMO_OPRID } from '../simulators/peoplesoft';
import { type RunningSimulator } from '../simulators/kit/types';
import { type FlowContext } from '../activities/flows/types';
import { type ConnectionRow } from '../db/connections';
import { componentInterfaces } from '../connectors/peoplesoft';
import { pairCredentials, peopleSoftFor } from './pair-context';

const DAY = 86_400_000;
let sim: RunningSimulator;
let admin: PeopleSoftSimAdmin;

beforeAll(async () => {
  ({ sim, admin } = await startWithAdmin());
});
afterAll(() => sim.close());

function flowContext(credentials: Record<string, unknown>, stores: Map<string, OAuthTokenStore>): FlowContext {
  const store = (side: string) => stores.get(side) ?? stores.set(side, memoryTokenStore()).get(side)!;
  return { connection: { id: 'conn-1' } as ConnectionRow, credentials, oauthTokens: store };
}

describe('what every pair context shares', () => {
  it('binds PeopleSoft to the connection token store: one IdP grant across activities, REST reads and SOAP CI calls', async () => {
    await resetFast(admin);
    await admin.seed({ recordsPerObject: 3 });
    const idp = await admin.registerIdpClient({ oprid: DEMO_OPRID, expiresInSeconds: 3600 });
    const auth = { method: 'oauth2', tokenUrl: `${sim.baseUrl}/idp/oauth2/token`, clientId: idp.clientId, clientSecret: idp.clientSecret } as const;
    const stores = new Map<string, OAuthTokenStore>();
    const before = (await admin.idpStats()).issued;
    const now = Date.parse(await admin.now());
    const window = { from: new Date(now - 91 * DAY), to: new Date(now + 1_000) };
    // Three activities of one connection, each building its context anew, as the engine does.
    for (let activity = 0; activity < 3; activity++) {
      const ps = peopleSoftFor(flowContext({}, stores), { baseUrl: sim.baseUrl, node: 'PSFT_EP', auth, rowCap: 500, maxWindowMs: 365 * DAY, timeoutMs: 10_000 });
      expect((await ps.fetchChanged('vendor', window)).rows).toHaveLength(3);
      const checks = await ps.testConnection({ objects: ['voucher'], componentInterfaces: [componentInterfaces.voucherApproval] });
      expect(checks.map((c) => [c.check.split(':')[0], c.ok])).toEqual([['auth', true], ['rest', true], ['rowcap', true], ['soap', true]]);
    }
    expect((await admin.idpStats()).issued - before).toBe(1);
    expect([...stores.keys()]).toEqual(['peoplesoft']);
  });

  it('names the missing credential fields, never their values', () => {
    const schema = z.object({ peoplesoft: z.object({ password: z.string().min(20) }), partner: z.object({ token: z.string() }) });
    const ctx = flowContext({ peoplesoft: { password: 'hunter2-secret' } }, new Map());
    expect(() => pairCredentials(ctx, schema)).toThrow('connection conn-1: credentials are incomplete (peoplesoft.password, partner)');
    try {
      pairCredentials(ctx, schema);
    } catch (err) {
      expect(String(err)).not.toContain('hunter2');
    }
    expect(pairCredentials({ ...ctx, credentials: { peoplesoft: { password: 'x'.repeat(20) }, partner: { token: 't' } } }, schema).partner.token).toBe('t');
  });
});
