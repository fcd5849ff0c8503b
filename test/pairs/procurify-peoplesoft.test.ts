import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle } from '@temporalio/client';
import { statusQuery, replayDeadLettersUpdate } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import { type SyncStatus } from '../../core/sync-types';
import { getConnection, insertConnection, putCredentials, updateConnectionConfig } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { pairOf, syncInputFor } from '../../pairs/derive';
import { PAIR, type ProcurifyPeopleSoftConfigInput } from '../../pairs/procurify-peoplesoft/config';
import { pairConfig, seedCodes } from '../../pairs/procurify-peoplesoft/demo-world';
import { poIdFor } from '../../pairs/procurify-peoplesoft/map-requisition';
import { DEMO_OPRID, DEMO_PASSWORD, startPeopleSoftSimulator } from '../../simulators/peoplesoft';
import { PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import { startProcurifySimulator, type RunningProcurifySimulator } from '../../simulators/procurify';
import type { SeedResult } from '../../simulators/procurify/seed';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testMasterKey } from '../support/env';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { eventually, type WorkerProcess } from '../support/worker-process';
import { pollAndWait as pollUntilIdle, startProductWorker } from './pair-harness';

/**
 * Procurify -> PeopleSoft end to end on the real Temporal server and PostgreSQL, the product worker in its own
 * process: 500 approved requisitions with 2,000 items become exactly 500 POs with 2,000 lines, checked field by field;
 * vendors reach PeopleSoft before the first PO naming them; an expired Procurify token costs exactly one grant; an
 * account code created later and not yet mapped dead-letters naming the code, and posts on replay once mapped.
 */
const REQUISITIONS = 500;
const ITEMS = 4;
const DAY = 86_400_000;

let db: TestDatabase;
let client: Client;
let worker: WorkerProcess;
let ps: Awaited<ReturnType<typeof startPeopleSoftSimulator>>;
let psAdmin: PeopleSoftSimAdmin;
let procurify: RunningProcurifySimulator;
let world: SeedResult;
let handle: WorkflowHandle;
let config: ProcurifyPeopleSoftConfigInput;
const connectionId = randomUUID();
const taskQueue = uniqueTaskQueue('procurify');
const masterKey = testMasterKey();
/** A code created in Procurify after the connection: not in the mapping until the customer adds it. */
const NEW_CODE = '7300-00';

const status = () => handle.query(statusQuery);
const pollAndWait = (): Promise<SyncStatus> => pollUntilIdle(handle, 240_000);

beforeAll(async () => {
  db = await createTestDatabase('procurify-peoplesoft');
  client = await testClient();
  ps = await startPeopleSoftSimulator({ port: 0 });
  psAdmin = new PeopleSoftSimAdmin(ps.baseUrl);
  await psAdmin.setConfig({ slowQuery: { msPerDay: 0, maxMs: 0 } });
  // Three vendors born in PeopleSoft (changed yesterday), to travel to Procurify.
  await psAdmin.seed({ recordsPerObject: 0, counts: { vendor: 3 }, from: new Date(Date.now() - DAY).toISOString(), to: new Date(Date.now() - 60_000).toISOString() });
  procurify = await startProcurifySimulator({ port: 0 });
  const app = await procurify.admin.registerClient();
  world = await procurify.admin.seed({ requisitions: REQUISITIONS, itemsPerRequisition: ITEMS, vendors: 25, accountCodes: 5, locations: 2, departmentsPerLocation: 2 });
  config = pairConfig(procurify.apiUrl, ps.baseUrl, seedCodes(world));
  const cipher = new CredentialCipher(masterKey);
  await insertConnection(db.pool, { id: connectionId, customerId: 'procurify-e2e', pair: PAIR, config: config as Record<string, unknown> });
  await putCredentials(db.pool, cipher, connectionId, 'peoplesoft', { method: 'basic', oprid: DEMO_OPRID, password: DEMO_PASSWORD });
  await putCredentials(db.pool, cipher, connectionId, 'procurify', { method: 'client_credentials', clientId: app.clientId, clientSecret: app.clientSecret });
  worker = await startProductWorker({ pool: db.pool, taskQueue, masterKey });
}, 180_000);

afterAll(async () => {
  await handle?.terminate('test finished').catch(() => undefined);
  await worker?.stop();
  await procurify?.close();
  await ps?.close();
  await db?.drop();
});

interface ItemView {
  id: number;
  orderNum: number;
  quantity: string;
  price: string;
  pref_vendor: number;
  accountCode: string;
}

/** The test's own API application (not the connection's), to read and write Procurify as a customer would. */
async function testToken(): Promise<string> {
  const res = await fetch(`${procurify.apiUrl}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: 'e2e', client_secret: 'e2e', audience: 'https://api.procurify.com/', grant_type: 'client_credentials' }) });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function procurifyItems(): Promise<ItemView[]> {
  const token = await testToken();
  const out: ItemView[] = [];
  let url: string | null = `${procurify.apiUrl}/api/v3/order-items?page_size=100`;
  while (url) {
    const body = (await (await fetch(url, { headers: { Authorization: `Bearer ${token}`, 'X-Procurify-Client': 'api' } })).json()) as { data: ItemView[]; metadata: { pagination: { next: string | null } } };
    out.push(...body.data);
    url = body.metadata.pagination.next;
  }
  return out;
}

describe('Procurify -> PeopleSoft pair', () => {
  it('posts 500 approved requisitions with 2,000 items as exactly the right POs and lines, each vendor before its first PO', async () => {
    await procurify.admin.registerClient({ clientId: 'e2e', clientSecret: 'e2e' });
    const grantsBefore = (await procurify.admin.tokenStats()).granted;
    const connection = (await getConnection(db.pool, connectionId))!;
    const started = Date.now();
    handle = await client.workflow.start(pairOf(PAIR).workflowType, syncStartOptions(syncInputFor(connection), taskQueue));
    const s = await eventually(async () => {
      const st = await status();
      return st.totals.polls >= 1 && st.state === 'idle' && st;
    }, 300_000, 'the first sync');
    const seconds = (Date.now() - started) / 1000;
    // Items are read in pages across requisitions, not one call per requisition (Procurify asks for a light touch).
    const calls = (await procurify.admin.requests()).length;
    expect(calls).toBeLessThan(REQUISITIONS / 5);
    // One grant for the whole sync: every activity shares it through oauth_tokens.
    expect((await procurify.admin.tokenStats()).granted - grantsBefore).toBe(1);

    const items = await procurifyItems();
    expect(items).toHaveLength(REQUISITIONS * ITEMS);
    const byOrder = new Map<number, ItemView[]>();
    for (const i of items) byOrder.set(i.orderNum, [...(byOrder.get(i.orderNum) ?? []), i]);
    const mapping = seedCodes(world);
    const pos = new Map((await psAdmin.rows('purchaseOrder')).map((r) => [String(r.PO_ID), r]));
    expect(pos.size).toBe(REQUISITIONS);
    let lines = 0;
    for (const [num, list] of byOrder) {
      const po = pos.get(poIdFor(num));
      expect(po).toMatchObject({ BUSINESS_UNIT: 'US001', VENDOR_SETID: 'SHARE', VENDOR_ID: `PRCF${String(list[0]!.pref_vendor).padStart(6, '0')}`, REQ_ID: String(num) });
      const poLines = po!.PO_LINE as Record<string, unknown>[];
      expect(poLines).toHaveLength(ITEMS);
      const depts = new Set(poLines.map((l) => l.DEPTID));
      expect(depts.size).toBe(1);
      expect(Object.values(mapping.departments)).toContain([...depts][0]);
      // Locations land on OPERATING_UNIT (the mapping's default chartfield for a location).
      const units = new Set(poLines.map((l) => l.OPERATING_UNIT));
      expect(units.size).toBe(1);
      expect(Object.values(mapping.locations)).toContain([...units][0]);
      [...list].sort((a, b) => a.id - b.id).forEach((item, i) => {
        expect(poLines[i]).toMatchObject({ LINE_NBR: i + 1, QTY_PO: Number(item.quantity), PRICE_PO: Number(item.price), ACCOUNT: mapping.accountCodes[item.accountCode] });
        lines += 1;
      });
    }
    expect(lines).toBe(REQUISITIONS * ITEMS);

    const effects = await psAdmin.effects();
    const firstVendor = new Map<string, number>();
    const firstPo = new Map<string, number>();
    for (const e of effects) {
      if (e.ci === 'VNDR_ID' && e.method === 'Create' && !firstVendor.has(String(e.keys.VENDOR_ID))) firstVendor.set(String(e.keys.VENDOR_ID), e.seq);
      if (e.ci === 'MLC_PO_EXPRESS' && !firstPo.has(String(e.fields.VENDOR_ID))) firstPo.set(String(e.fields.VENDOR_ID), e.seq);
    }
    expect(firstPo.size).toBe(25);
    for (const [vendor, seq] of firstPo) expect(firstVendor.get(vendor)).toBeLessThan(seq);
    expect(effects.filter((e) => e.ci === 'MLC_PO_EXPRESS' && e.method === 'Create')).toHaveLength(REQUISITIONS);
    process.stdout.write(`procurify->peoplesoft: ${pos.size} POs (${lines} lines) in ${seconds.toFixed(1)} s = ${(pos.size / seconds).toFixed(2)} POs/s (first sync from workflow start, vendors included; ${s.totals.polls} poll; ${calls} Procurify API calls)\n`);
  });

  it('dead-letters a requisition on an unmapped account code, naming it, and posts it on replay once the mapping has it', async () => {
    const token = await testToken();
    const headers = { Authorization: `Bearer ${token}`, 'X-Procurify-Client': 'api', 'content-type': 'application/json' };
    const code = ((await (await fetch(`${procurify.apiUrl}/api/v3/account-codes`, { method: 'POST', headers, body: JSON.stringify({ code: NEW_CODE, description: 'Tooling' }) })).json()) as { data: { id: number } }).data;
    const account = await procurify.admin.addAccount(code.id, world.departmentIds[0]!);
    const req = await procurify.admin.createRequisition({
      departmentId: world.departmentIds[0]!,
      items: [
        { name: 'Lathe chuck', quantity: '2.000', price: '1249.9900', vendorId: world.vendorIds[0]!, accountId: account.id },
        { name: 'Chuck key', quantity: '2.000', price: '35.5000', vendorId: world.vendorIds[0]!, accountId: world.accountIds[0]! },
      ],
    });
    await pollAndWait();
    const key = `procurify-requisition:${req.order.num}`;
    const letters = await db.pool.query<{ record_key: string; error_message: string }>('SELECT record_key, error_message FROM dead_letters WHERE connection_id = $1 AND resolved_at IS NULL', [connectionId]);
    expect(letters.rows.map((l) => l.record_key)).toEqual([key]);
    expect(letters.rows[0]!.error_message).toContain(`account code "${NEW_CODE}"`);
    expect((await psAdmin.rows('purchaseOrder')).find((r) => r.PO_ID === poIdFor(req.order.num))).toBeUndefined();

    const mapping = seedCodes(world);
    mapping.accountCodes[NEW_CODE] = '730000';
    await updateConnectionConfig(db.pool, connectionId, { ...config, chartfields: mapping } as Record<string, unknown>);
    const summary = await handle.executeUpdate(replayDeadLettersUpdate, { args: [{}] });
    expect(summary).toMatchObject({ attempted: 1, resolved: 1, stillFailing: 0 });
    const po = (await psAdmin.rows('purchaseOrder')).find((r) => r.PO_ID === poIdFor(req.order.num));
    expect((po!.PO_LINE as Record<string, unknown>[]).map((l) => [l.ACCOUNT, l.QTY_PO, l.PRICE_PO])).toEqual([
      ['730000', 2, 1249.99],
      [mapping.accountCodes['6100-00'], 2, 35.5],
    ]);
  });

  it('keeps vendors aligned both ways without echo (the engine guard): PeopleSoft vendors reach Procurify, edits on either side reach the other once', async () => {
    const psVendors = (await psAdmin.rows('vendor')).filter((v) => !String(v.VENDOR_ID).startsWith('PRCF'));
    expect(psVendors).toHaveLength(3);
    const inProcurify = async () => new Map((await procurify.admin.vendors()).filter((v) => v.external_id).map((v) => [String(v.external_id), v]));
    let mirrored = await inProcurify();
    for (const v of psVendors) expect(mirrored.get(String(v.VENDOR_ID))).toMatchObject({ name: v.NAME1, active: v.VENDOR_STATUS === 'A' });

    const effectsBefore = (await psAdmin.effects()).length;
    const edited = psVendors[0]!;
    await psAdmin.updateRow('vendor', { SETID: 'SHARE', VENDOR_ID: String(edited.VENDOR_ID) }, { NAME1: 'Renamed in PeopleSoft' });
    const token = await testToken();
    const born = world.vendorIds[1]!;
    await fetch(`${procurify.apiUrl}/api/v3/vendors/${born}`, { method: 'PATCH', headers: { Authorization: `Bearer ${token}`, 'X-Procurify-Client': 'api', 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Renamed in Procurify' }) });
    await pollAndWait();
    await pollAndWait();

    mirrored = await inProcurify();
    expect(mirrored.get(String(edited.VENDOR_ID))?.name).toBe('Renamed in PeopleSoft');
    expect((await psAdmin.rows('vendor')).find((v) => v.VENDOR_ID === `PRCF${String(born).padStart(6, '0')}`)?.NAME1).toBe('Renamed in Procurify');
    // Each edit was written once, to the other side only: no write back to PeopleSoft for the PeopleSoft edit,
    // and the Procurify-born vendor never became a second vendor in Procurify.
    const writes = (await psAdmin.effects()).slice(effectsBefore).filter((e) => e.ci === 'VNDR_ID');
    expect(writes.map((e) => [e.method, e.keys.VENDOR_ID])).toEqual([['Update', `PRCF${String(born).padStart(6, '0')}`]]);
    expect([...mirrored.keys()].filter((id) => id.startsWith('PRCF'))).toEqual([]);
    // The engine's echo guard did it: both sides of each edited vendor as we left them, in mirror_states.
    const states = await db.pool.query<{ system: string; record_key: string }>('SELECT system, record_key FROM mirror_states WHERE connection_id = $1', [connectionId]);
    const mirrorId = mirrored.get(String(edited.VENDOR_ID))!.id;
    expect(states.rows.map((r) => `${r.system} ${r.record_key}`)).toEqual(
      expect.arrayContaining([`procurify procurify-vendor:${born}`, `peoplesoft vendor:SHARE/PRCF${String(born).padStart(6, '0')}`, `peoplesoft vendor:SHARE/${String(edited.VENDOR_ID)}`, `procurify procurify-vendor:${mirrorId}`]),
    );
  });

  it('dead-letters an edit after posting with the reason, and leaves the posted PO as it was', async () => {
    const num = world.orderNums[0]!;
    const item = (await procurifyItems()).filter((i) => i.orderNum === num).sort((a, b) => a.id - b.id)[0]!;
    const before = (await psAdmin.rows('purchaseOrder')).find((r) => r.PO_ID === poIdFor(num));
    await procurify.admin.editOrderItem(item.id, { quantity: '99.000' });
    await pollAndWait();
    const letter = await db.pool.query<{ error_code: string; error_message: string }>('SELECT error_code, error_message FROM dead_letters WHERE connection_id = $1 AND record_key = $2 AND resolved_at IS NULL', [connectionId, `procurify-requisition:${num}`]);
    expect(letter.rows).toHaveLength(1);
    expect(letter.rows[0]!.error_code).toBe('PS_PO_ALREADY_POSTED');
    expect(letter.rows[0]!.error_message).toContain(`requisition ${num} changed in Procurify after it was posted as PeopleSoft PO US001/${poIdFor(num)}`);
    expect((await psAdmin.rows('purchaseOrder')).find((r) => r.PO_ID === poIdFor(num))).toEqual(before);
  });

  it('makes an expired Procurify token invisible (exactly one new grant) and never posts a requisition twice', async () => {
    const grants = (await procurify.admin.tokenStats()).granted;
    await procurify.admin.advanceClock(DAY + 60_000);
    await pollAndWait();
    expect((await procurify.admin.tokenStats()).granted - grants).toBe(1);
    const creates = (await psAdmin.effects()).filter((e) => e.ci === 'MLC_PO_EXPRESS' && e.method === 'Create');
    expect(creates).toHaveLength(REQUISITIONS + 1);
    expect(new Set(creates.map((e) => e.keys.PO_ID)).size).toBe(REQUISITIONS + 1);
  });
});
