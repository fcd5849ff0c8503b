import { randomUUID } from 'node:crypto';
import { insertConnection, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { startJaggaerSimulator } from '../../simulators/jaggaer';
import { startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import type { FaultWorld, PairFaultFixture, PartnerRecord, RecordState } from '../../test/faults/kit/fault-fixture';
import { peopleSoftSide, kitFaultSurface, loggedFaultSurface, spreadIndices } from '../../test/faults/kit/fixture-helpers';
import { peopleSoftSourceClock } from '../../test/faults/kit/source-clock';
import { FLOW_PS_VENDORS, PAIR } from './config';
import { pairConfig } from './demo-world';

type Json = Record<string, unknown>;

const SETID = 'SHARE';
const vendorKey = (vendorId: string) => `vendor:${SETID}/${vendorId}`;
/** VENDOR_STATUS as a JAGGAER supplier status, written out here rather than read from the pair's mapping. */
const STATUS: Record<string, string> = { A: 'ACTIVE', I: 'INACTIVE', D: 'DENIED', E: 'UNAPPROVED', X: 'ARCHIVED' };
/** A name of blanks: PeopleSoft keeps it, JAGGAER refuses the profile (companyName is mandatory). */
const BLANK_NAME = ' ';

/**
 * The fault suite's view of PeopleSoft <-> JAGGAER (test/faults/kit/fault-fixture.ts) on the flow every other one
 * depends on: PeopleSoft vendors become JAGGAER supplier profiles (companyprofiles, numbered by VENDOR_ID in
 * extCode), compared by extCode. The way back (JAGGAER suppliers -> vendors) stays on, as in production, so the echo
 * guard sees every write of the run; requisitions, POs and invoices are off, so the records counted are suppliers.
 */
export const faultFixture: PairFaultFixture = {
  pairId: PAIR,
  oauthPartners: ['peoplesoft', 'jaggaer'],
  async open(deps, { records, oauth }) {
    const ps = await startPeopleSoftSimulator({ port: 0 });
    const psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
    await psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
    await psAdmin.seed({ recordsPerObject: 0, counts: { vendor: records } });
    const jaggaer = await startJaggaerSimulator({ port: 0 });

    const connectionId = `faults-jaggaer-${randomUUID().slice(0, 8)}`;
    const base = pairConfig(ps.baseUrl, jaggaer.instanceUrl);
    const flows = { psVendors: true, jaggaerSuppliers: true, requisitions: false, purchaseOrders: false, invoices: false };
    // R10 (`oauth`): a first sync from 400 days back reads PeopleSoft in two windows (maxWindowMs 365 days, vendors
    // stamped over the last 90), so PeopleSoft is read again once writes are under way and meets its expired token;
    // from 100 days back one read at the start would fetch every vendor before any expiry.
    const initialFrom = oauth ? { initialFrom: new Date(Date.now() - 400 * 86_400_000).toISOString() } : {};
    await insertConnection(deps.pool, { id: connectionId, customerId: 'faults', pair: PAIR, config: { ...base, ...initialFrom, flows } as Record<string, unknown> });
    const cipher = new CredentialCipher(deps.masterKey);
    const psSide = await peopleSoftSide(psAdmin, ps.baseUrl, oauth === true);
    await putCredentials(deps.pool, cipher, connectionId, 'peoplesoft', psSide.credentials);
    await putCredentials(deps.pool, cipher, connectionId, 'jaggaer', { method: 'client_credentials', ...jaggaer.client });

    const names = new Map<string, string>();
    const vendors = async () => ((await psAdmin.rows('vendor')) as Json[]).filter((r) => r.SETID === SETID);
    const world: FaultWorld = {
      connectionId,
      secrets: {
        ...psSide.secrets,
        'JAGGAER client secret': jaggaer.client.clientSecret,
      },
      // R10: every live JAGGAER access token expires (the simulator's token server, client credentials).
      tokens: { jaggaer: { expireAll: async () => void (await jaggaer.admin.expireTokens()), grants: async () => (await jaggaer.admin.tokenStats()).issued }, ...(psSide.tokens ? { peoplesoft: psSide.tokens } : {}) },
      simulators: { peoplesoft: kitFaultSurface(ps.baseUrl), jaggaer: { ...loggedFaultSurface(jaggaer.baseUrl, jaggaer.admin), advanceClock: async (ms) => void (await jaggaer.admin.advanceClock(ms)) } },
      async expected() {
        return (await vendors()).map(
          (r): RecordState => ({
            key: vendorKey(String(r.VENDOR_ID)),
            fields: { number: String(r.VENDOR_ID), name: String(r.NAME1), status: STATUS[String(r.VENDOR_STATUS)] ?? `unknown VENDOR_STATUS ${String(r.VENDOR_STATUS)}` },
          }),
        );
      },
      async actual() {
        const out: PartnerRecord[] = [];
        for (const doc of await jaggaer.admin.records('suppliers')) {
          const info = (doc.companyInfo ?? {}) as Json;
          if (typeof info.extCode !== 'string' || info.extCode === '') continue;
          out.push({
            key: vendorKey(info.extCode),
            targetId: `jaggaer-supplier:${String(info.bravoId)}`,
            fields: { number: info.extCode, name: (info.companyName as string | undefined) ?? null, status: (info.status as string | undefined) ?? null },
          });
        }
        return out;
      },
      async breakRecords(share) {
        // Vendors whose name was blanked in PeopleSoft: JAGGAER refuses their profile with a validation returnCode.
        const rows = await vendors();
        const keys: string[] = [];
        for (const i of spreadIndices(rows.length, share)) {
          const row = rows[i]!;
          names.set(String(row.VENDOR_ID), String(row.NAME1));
          await psAdmin.updateRow('vendor', { SETID, VENDOR_ID: String(row.VENDOR_ID) }, { NAME1: BLANK_NAME });
          keys.push(vendorKey(String(row.VENDOR_ID)));
        }
        return { keys, rawAnswer: /companyName is mandatory/ };
      },
      async fixRecords() {
        // The vendor master clerk gives the vendors their names back in PeopleSoft (the replay reads them fresh).
        for (const [vendorId, name] of names) await psAdmin.updateRow('vendor', { SETID, VENDOR_ID: vendorId }, { NAME1: name });
      },
      // R11: vendors of the connection's SETID, read by LASTUPDDTTM; an edit renames the vendor (NAME1, Char40).
      sourceClock: peopleSoftSourceClock(psAdmin, {
        flow: FLOW_PS_VENDORS,
        table: 'vendor',
        keyOf: (row) => (row.SETID === SETID ? vendorKey(String(row.VENDOR_ID)) : undefined),
        keysOf: (row) => ({ SETID, VENDOR_ID: String(row.VENDOR_ID) }),
        edit: (row, n) => ({ NAME1: `R11 edit ${n} ${String(row.NAME1).replace(/^R11 edit \d+ /, '')}`.slice(0, 40) }),
      }),
      async close() {
        await jaggaer.close();
        await ps.close();
      },
    };
    return world;
  },
};
