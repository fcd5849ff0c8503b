import { randomUUID } from 'node:crypto';
import { createPeopleSoftConnector } from '../../connectors/peoplesoft';
import { insertConnection, putCredentials } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { startProcurifySimulator } from '../../simulators/procurify';
import type { FaultWorld, PairFaultFixture, PartnerRecord, RecordState } from '../../test/faults/kit/fault-fixture';
import { peopleSoftSide, kitFaultSurface, loggedFaultSurface, spreadIndices } from '../../test/faults/kit/fixture-helpers';
import { canonicalDecimal } from '../../test/faults/kit/compare-state';
import { FLOW_REQUISITIONS, PAIR } from './config';
import { pairConfig, seedCodes } from './demo-world';

type Json = Record<string, unknown>;
interface Item {
  id: number;
  orderNum: number;
  quantity: string;
  price: string;
  pref_vendor: number;
  accountCode: string;
}

const BUSINESS_UNIT = 'US001';
const SETID = 'SHARE';
const ITEMS = 2;
/** Our keys and PeopleSoft ids, written out here rather than imported, so the suite checks the pair's own. */
const requisitionKey = (num: number) => `procurify-requisition:${num}`;
const poId = (num: number) => `PRC${String(num).padStart(7, '0')}`;
const vendorKey = (id: number) => `procurify-vendor:${id}`;
const psVendorId = (id: number) => `PRCF${String(id).padStart(6, '0')}`;
const line = (qty: unknown, price: unknown, account: unknown) => `${canonicalDecimal(qty) ?? '?'} x ${canonicalDecimal(price) ?? '?'} on ${String(account)}`;

/**
 * The fault suite's view of Procurify -> PeopleSoft (test/faults/kit/fault-fixture.ts): approved requisitions in the
 * Procurify simulator become PeopleSoft POs (CI MLC_PO_EXPRESS), their vendors PeopleSoft vendors first; both are
 * compared, POs by REQ_ID (number of lines, quantity, price and ACCOUNT of each), vendors by VENDOR_ID. About one
 * record in twenty is a vendor. R5's refusal is a PO a buyer keyed by hand under the number the requisition's PO
 * gets: PeopleSoft answers "Row already exists" and the data differs, so the requisition is dead-lettered until the
 * buyer deletes the hand-keyed PO.
 */
export const faultFixture: PairFaultFixture = {
  pairId: PAIR,
  oauthPartners: ['procurify', 'peoplesoft'],
  async open(deps, { records, oauth }) {
    const vendorCount = Math.max(2, Math.round(records / 20));
    const ps = await startPeopleSoftSimulator({ port: 0 });
    const psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
    await psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
    await psAdmin.seed({ recordsPerObject: 0 });
    const procurify = await startProcurifySimulator({ port: 0 });
    const app = await procurify.admin.registerClient();
    const reader = await procurify.admin.registerClient();
    const seeded = await procurify.admin.seed({ requisitions: Math.max(1, records - vendorCount), itemsPerRequisition: ITEMS, vendors: vendorCount });
    const mapping = seedCodes(seeded);

    const connectionId = `faults-procurify-${randomUUID().slice(0, 8)}`;
    await insertConnection(deps.pool, { id: connectionId, customerId: 'faults', pair: PAIR, config: pairConfig(procurify.apiUrl, ps.baseUrl, mapping) as Record<string, unknown> });
    const cipher = new CredentialCipher(deps.masterKey);
    const psSide = await peopleSoftSide(psAdmin, ps.baseUrl, oauth === true);
    await putCredentials(deps.pool, cipher, connectionId, 'peoplesoft', psSide.credentials);
    await putCredentials(deps.pool, cipher, connectionId, 'procurify', { method: 'client_credentials', clientId: app.clientId, clientSecret: app.clientSecret });

    /** The suite's own API application (not the connection's): reads Procurify as the customer would. */
    const procurifyItems = async (): Promise<Item[]> => {
      const grant = await fetch(`${procurify.apiUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: reader.clientId, client_secret: reader.clientSecret, audience: 'https://api.procurify.com/', grant_type: 'client_credentials' }),
      });
      const token = ((await grant.json()) as { access_token: string }).access_token;
      const out: Item[] = [];
      let url: string | null = `${procurify.apiUrl}/api/v3/order-items?page_size=100`;
      while (url) {
        const res: Response = await fetch(url, { headers: { Authorization: `Bearer ${token}`, 'X-Procurify-Client': 'api' } });
        if (!res.ok) throw new Error(`Procurify order-items: HTTP ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { data: Item[]; metadata: { pagination: { next: string | null } } };
        out.push(...body.data);
        url = body.metadata.pagination.next;
      }
      return out;
    };
    const handKeyed: string[] = [];
    let r11Created = 0;

    const world: FaultWorld = {
      connectionId,
      secrets: {
        ...psSide.secrets,
        'Procurify client secret': app.clientSecret,
      },
      // R10: Procurify tokens live 86,400 s on the simulator clock (expires_in); a day and a minute later all are expired.
      // Grants count every client's, so the fixture's own reader is counted too: R10 reads them before expected().
      tokens: { procurify: { readAtStartOnly: true, expireAll: async () => void (await procurify.admin.advanceClock(86_400_000 + 60_000)), grants: async () => (await procurify.admin.tokenStats()).granted }, ...(psSide.tokens ? { peoplesoft: psSide.tokens } : {}) },
      simulators: { peoplesoft: { ...kitFaultSurface(ps.baseUrl), advanceClock: async (ms) => void (await psAdmin.advanceClock(ms)) }, procurify: loggedFaultSurface(procurify.apiUrl, procurify.admin) },
      async expected() {
        const byOrder = new Map<number, Item[]>();
        for (const item of await procurifyItems()) byOrder.set(item.orderNum, [...(byOrder.get(item.orderNum) ?? []), item]);
        const out: RecordState[] = [...byOrder].map(([num, items]) => ({
          key: requisitionKey(num),
          fields: {
            vendor: psVendorId(items[0]!.pref_vendor),
            lines: [...items].sort((a, b) => a.id - b.id).map((i) => line(i.quantity, i.price, mapping.accountCodes[i.accountCode] ?? `unmapped ${i.accountCode}`)).join('; '),
          },
        }));
        for (const v of await procurify.admin.vendors()) {
          if (v.external_id) continue;
          out.push({ key: vendorKey(v.id), fields: { name: v.name.trim().replace(/\s+/g, ' ') } });
        }
        return out;
      },
      async actual() {
        const out: PartnerRecord[] = [];
        for (const po of (await psAdmin.rows('purchaseOrder')) as Json[]) {
          if (typeof po.REQ_ID !== 'string' || po.REQ_ID === '') continue;
          const lines = [...((po.PO_LINE as Json[] | undefined) ?? [])].sort((a, b) => Number(a.LINE_NBR) - Number(b.LINE_NBR));
          out.push({
            key: requisitionKey(Number(po.REQ_ID)),
            targetId: `${String(po.BUSINESS_UNIT)}/${String(po.PO_ID)}`,
            fields: { vendor: String(po.VENDOR_ID), lines: lines.map((l) => line(l.QTY_PO, l.PRICE_PO, l.ACCOUNT)).join('; ') },
          });
        }
        for (const v of (await psAdmin.rows('vendor')) as Json[]) {
          const id = String(v.VENDOR_ID);
          if (!id.startsWith('PRCF')) continue;
          out.push({ key: vendorKey(Number(id.slice(4))), targetId: `vendor:${String(v.SETID)}/${id}`, fields: { name: [v.NAME1, v.NAME2].filter((n) => typeof n === 'string' && n !== '').join(' ') } });
        }
        return out;
      },
      async breakRecords(share) {
        // A buyer keys POs by hand under the numbers the connection will use, for another vendor and without REQ_ID.
        const buyer = createPeopleSoftConnector({ baseUrl: ps.baseUrl, node: 'PSFT_EP', auth: { method: 'basic', ...psSide.user } });
        const nums = [...seeded.orderNums].sort((a, b) => a - b);
        for (const i of spreadIndices(nums.length, share)) {
          const num = nums[i]!;
          await buyer.createPurchaseOrder({ BUSINESS_UNIT, PO_ID: poId(num), PO_DT: '2026-01-05', VENDOR_SETID: SETID, VENDOR_ID: 'HANDKEYED', PO_LINE: [{ LINE_NBR: 1, QTY_PO: '1', PRICE_PO: '10' }] });
          handKeyed.push(poId(num));
        }
        return { keys: handKeyed.map((id) => requisitionKey(Number(id.slice(3)))), rawAnswer: /Row already exists with the specified keys/ };
      },
      async fixRecords() {
        // The buyer deletes the hand-keyed POs (what the dead letter's hint asks), so the replay can post the real ones.
        for (const id of handKeyed) await psAdmin.deleteRow('purchaseOrder', { BUSINESS_UNIT, PO_ID: id });
      },
      // R11: a requisition posted as a PO cannot be edited through the pair (its update dead-letters by design), so
      // R11's changes here are new approved requisitions, submitted at Procurify's now or at an exact instant.
      sourceClock: {
        flow: FLOW_REQUISITIONS,
        simulator: 'procurify',
        setSkew: async (ms) => void (await procurify.admin.setClockSkew(ms)),
        async change(count, atMs) {
          const keys: string[] = [];
          for (let i = 0; i < count; i += 1) {
            const n = (r11Created += 1);
            const items = [1, 2].map((k) => ({ name: `R11 item ${n}.${k}`, quantity: `${k}.5`, price: `${10 + k}.25`, vendorId: seeded.vendorIds[n % seeded.vendorIds.length]!, accountId: seeded.accountIds[0]! }));
            const { order } = await procurify.admin.createRequisition({ departmentId: seeded.departmentIds[0]!, approved: true, items, ...(atMs === undefined ? {} : { at: new Date(atMs).toISOString() }) });
            keys.push(requisitionKey(order.num));
          }
          return keys;
        },
      },
      async close() {
        await procurify.close();
        await ps.close();
      },
    };
    return world;
  },
};
