import { randomUUID } from 'node:crypto';
import { insertConnection, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { startProcoreSimulator } from '../../simulators/procore';
import type { FaultWorld, PairFaultFixture, PartnerRecord, RecordState } from '../../test/faults/kit/fault-fixture';
import { peopleSoftSide, kitFaultSurface, loggedFaultSurface, spreadIndices } from '../../test/faults/kit/fixture-helpers';
import { peopleSoftSourceClock } from '../../test/faults/kit/source-clock';
import { FLOW_VENDORS, PAIR } from './config';
import { pairConfig } from './demo-world';
import { procoreReturnPath } from './fault-return-path';

type Json = Record<string, unknown>;

/** What the customer's hold list says in Procore's sync answer for a refused vendor (R5). */
const HOLD = 'Vendor is on the company hold list';
const SETID = 'SHARE';
const vendorKey = (vendorId: string) => `vendor:${SETID}/${vendorId}`;

/**
 * The fault suite's view of PeopleSoft -> Procore (test/faults/kit/fault-fixture.ts) on its first flow, the one every
 * other depends on: PeopleSoft vendors become Procore company vendors through the vendors sync action, compared by
 * origin_id (our record key). The other flows are switched off, so every write the suite counts is a vendor; no
 * webhook base URL at first (R1r adds one, returnPath: direct costs entered in Procore become PeopleSoft journals). Procore's rate limits are raised as a granted increase
 * would: the storms here are the injected ones, Procore's own 429s are tested in connectors/procore.
 */
export const faultFixture: PairFaultFixture = {
  pairId: PAIR,
  oauthPartners: ['peoplesoft', 'procore'],
  returnPath: true,
  async open(deps, { records, oauth }) {
    const ps = await startPeopleSoftSimulator({ port: 0 });
    const psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
    await psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
    await psAdmin.seed({ recordsPerObject: 0, counts: { vendor: records } });
    const procore = await startProcoreSimulator({ port: 0 });
    await procore.admin.setRateLimits({ hourly: 1_000_000, spike: 100_000, spikeWindowMs: 10_000 });
    const { projectIds } = await procore.admin.seed({ projects: 1, directCosts: 0, changeOrders: 0 });

    const connectionId = `faults-procore-${randomUUID().slice(0, 8)}`;
    const base = pairConfig(ps.baseUrl, procore.apiUrl, procore.companyId, projectIds);
    const flows = { vendors: true, costCodes: false, purchaseOrders: false, procorePurchaseOrders: false, directCosts: false, changeOrders: false };
    await insertConnection(deps.pool, { id: connectionId, customerId: 'faults', pair: PAIR, config: { ...base, flows } as Record<string, unknown> });
    const cipher = new CredentialCipher(deps.masterKey);
    const psSide = await peopleSoftSide(psAdmin, ps.baseUrl, oauth === true);
    await putCredentials(deps.pool, cipher, connectionId, 'peoplesoft', psSide.credentials);
    await putCredentials(deps.pool, cipher, connectionId, 'procore', { method: 'client_credentials', ...procore.client });

    const world: FaultWorld = {
      connectionId,
      secrets: {
        ...psSide.secrets,
        'Procore client secret': procore.client.clientSecret,
      },
      // R10: Procore revokes every live token (client credentials grant, https://developers.procore.com/documentation/oauth-client-credentials).
      tokens: { procore: { expireAll: async () => void (await procore.admin.expireTokens()), grants: async () => (await procore.admin.tokenStats()).issued }, ...(psSide.tokens ? { peoplesoft: psSide.tokens } : {}) },
      simulators: { peoplesoft: kitFaultSurface(ps.baseUrl), procore: { ...loggedFaultSurface(procore.apiUrl, procore.admin), advanceClock: async (ms) => void (await procore.admin.advanceClock(ms)) } },
      async expected() {
        const rows = ((await psAdmin.rows('vendor')) as Json[]).filter((r) => r.SETID === SETID);
        return rows.map(
          (r): RecordState => ({
            key: vendorKey(String(r.VENDOR_ID)),
            fields: {
              // The pair's mapping, stated independently: both name lines joined by one space, active only for 'A'.
              name: [r.NAME1, r.NAME2].filter((s) => typeof s === 'string' && s.trim() !== '').join(' '),
              active: String(r.VENDOR_STATUS === 'A'),
              originData: `${SETID}/${String(r.VENDOR_ID)}`,
            },
          }),
        );
      },
      async actual() {
        const out: PartnerRecord[] = [];
        for (const v of await procore.admin.records('vendors')) {
          const key = v.origin_id;
          if (typeof key !== 'string' || !key.startsWith('vendor:')) continue;
          out.push({ key, targetId: String(v.id), fields: { name: (v.name as string | null) ?? null, active: String(v.is_active), originData: (v.origin_data as string | null) ?? null } });
        }
        return out;
      },
      async breakRecords(share) {
        // Vendors on the customer's Procore hold list: the sync action answers 200 with an error for each of them.
        const rows = ((await psAdmin.rows('vendor')) as Json[]).filter((r) => r.SETID === SETID);
        const keys = spreadIndices(rows.length, share).map((i) => vendorKey(String(rows[i]!.VENDOR_ID)));
        await procore.admin.refuseVendors(keys, HOLD);
        return { keys, rawAnswer: new RegExp(HOLD) };
      },
      async fixRecords() {
        // The customer takes them off the hold list in Procore.
        await procore.admin.refuseVendors([]);
      },
      // R11: vendors of the connection's SETID, read by LASTUPDDTTM; an edit renames the vendor (NAME1, Char40).
      sourceClock: peopleSoftSourceClock(psAdmin, {
        flow: FLOW_VENDORS,
        table: 'vendor',
        keyOf: (row) => (row.SETID === SETID ? vendorKey(String(row.VENDOR_ID)) : undefined),
        keysOf: (row) => ({ SETID, VENDOR_ID: String(row.VENDOR_ID) }),
        edit: (row, n) => ({ NAME1: `R11 edit ${n} ${String(row.NAME1).replace(/^R11 edit \d+ /, '')}`.slice(0, 40) }),
      }),
      returnPath: (apiUrl) => procoreReturnPath({ pool: deps.pool, connectionId, apiUrl, psAdmin, procore, projectId: projectIds[0]! }),
      async close() {
        await procore.close();
        await ps.close();
      },
    };
    return world;
  },
};
