import { execFile } from 'node:child_process';
import path from 'node:path';
import { type Client } from '@temporalio/client';
import { createApiKey } from '../../api/auth/create-api-key';
import { loadFlowContext } from '../../activities/connection-context';
import { createAsanaConnector, type AsanaTask } from '../../connectors/asana';
import { RateLimiterRegistry } from '../../connectors/http/rate-limiter';
import { putCredentials } from '../../db/connections';
import { getOAuthToken } from '../../db/oauth-tokens';
import { peopleSoftAsana } from '../../pairs/peoplesoft-asana';
import { FLOW_VOUCHERS } from '../../pairs/peoplesoft-asana/config';
import { DEMO_OPRID } from '../../simulators/peoplesoft';
import { findSecrets, historyHaystacks, type Haystack } from '../api/secret-search';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testClient } from '../support/temporal';
import { eventually } from '../support/worker-process';
import { PairScenario, pairConfig } from './pair-harness';

const N = 500;
const HOUR = 3_600_000;
type Row = Record<string, string | number | unknown>;
type Audit = { recordKey: string; action: string; detail: { assignment?: { via: string; reason?: string } } | null };

/**
 * PeopleSoft employees -> roster -> approval task assignees, with the PeopleSoft side on OAuth2 client credentials at
 * the (simulated) customer IdP: on the real Temporal server, PostgreSQL, the product worker and both simulators.
 * Employees KU0001/KU0002 have Asana accounts (KU0002's email in another case), KU0003 and KU0004 none, KU0005 left.
 * Approvers by OPRID: US001 OPR0001, US002 OPR0002, CAN01 OPR0003; fallbacks for US001 and CAN01 only.
 */
describe('PeopleSoft <-> Asana roster and PeopleSoft OAuth2', () => {
  let db: TestDatabase;
  let client: Client;
  let s: PairScenario;
  let key: string;
  let rosterProject: string;
  const users: Record<string, string> = {};
  /** The PeopleSoft side's OAuth secrets: searched for in history, worker output and every table at the end. */
  const secrets: Record<string, string> = {};
  const asana = () =>
    createAsanaConnector(
      { baseUrl: s.asana.apiUrl, workspaceGid: s.world.workspaceGid, projectGid: s.world.projectGid, token: s.world.users[0]!.token },
      { limiters: new RateLimiterRegistry() },
    );
  const tasksByKey = async () => {
    const keyField = s.world.customFields.find((c) => c.name === 'PeopleSoft Key')!.gid;
    const out = new Map<string, AsanaTask[]>();
    for await (const page of asana().listProjectTasks()) for (const t of page) out.set(String(t.customFields[keyField]?.value), [...(out.get(String(t.customFields[keyField]?.value)) ?? []), t]);
    return out;
  };
  const get = async (path: string, apiKey = key) => {
    const res = await fetch(`${s.apiUrl}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const roster = async () => new Map(((await get(`/v1/connections/${s.connectionId}/roster`)).body.roster as Row[]).map((e) => [String(e.emplid), e]));
  const audit = async (): Promise<Audit[]> => {
    const out: Audit[] = [];
    for (let after = 0; ; ) {
      const page = (await get(`/v1/connections/${s.connectionId}/audit?afterId=${after}&limit=500`)).body as { events: Audit[]; nextAfterId: number | null };
      out.push(...page.events);
      if (!page.nextAfterId) return out;
      after = page.nextAfterId;
    }
  };
  const mlc = (...args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const env = { ...process.env, MLC_API_URL: s.apiUrl, MLC_API_KEY: key };
      execFile(process.execPath, [path.resolve(__dirname, '..', '..', 'bin', 'mlc.js'), ...args], { env }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    });
  const vouchers = async (bu: string, n: number) => (await s.psAdmin.rows('voucher')).filter((v) => v.BUSINESS_UNIT === bu && v.APPR_STATUS === 'P').slice(0, n);
  const touch = (v: Row, tag: string) => s.psAdmin.updateRow('voucher', { BUSINESS_UNIT: String(v.BUSINESS_UNIT), VOUCHER_ID: String(v.VOUCHER_ID) }, { INVOICE_ID: `INV-${tag}-${String(v.VOUCHER_ID)}` });
  const voucherKey = (v: Row) => `voucher:${String(v.BUSINESS_UNIT)}/${String(v.VOUCHER_ID)}`;
  const assigneeOf = async (v: Row) => (await tasksByKey()).get(voucherKey(v))![0]!.assigneeGid;
  const issued = async () => (await s.psAdmin.idpStats()).issued;

  beforeAll(async () => {
    db = await createTestDatabase('pair-roster');
    client = await testClient();
    s = new PairScenario(client, db.pool);
    await s.setup({ voucher: N / 2, requisition: N / 2 });
    await s.psAdmin.seed({ recordsPerObject: 0, counts: { employee: 5 }, replace: false });
    await s.psAdmin.updateRow('employee', { EMPLID: 'KU0005' }, { EMPL_STATUS: 'T' });
    const ws = s.world.workspaceGid;
    users.ada = (await s.asana.admin.addWorkspaceUser(ws, { name: 'Ada Lovelace', email: 'ku0001@example.com' })).gid;
    users.grace = (await s.asana.admin.addWorkspaceUser(ws, { name: 'Grace Hopper', email: 'KU0002@Example.com' })).gid;
    users.fallback = s.world.users[1]!.gid;
    const base = pairConfig(s.world, s.ps.baseUrl, s.asana.apiUrl, s.apiUrl);
    rosterProject = (await s.asana.admin.createProject(ws, 'Approver roster')).gid;
    const config = {
      ...base,
      approvers: {},
      businessUnitApprovers: { US001: 'OPR0001', US002: 'OPR0002', CAN01: 'OPR0003' },
      fallbackApprovers: { US001: users.fallback, CAN01: users.fallback },
      rosterProjectGid: rosterProject,
      flows: { roster: true, rosterProject: true },
    };
    await db.pool.query('UPDATE connections SET config = $2 WHERE id = $1', [s.connectionId, JSON.stringify(config)]);
    const idp = await s.psAdmin.registerIdpClient({ oprid: DEMO_OPRID, expiresInSeconds: 3600 });
    await putCredentials(db.pool, s.cipher, s.connectionId, 'peoplesoft', { method: 'oauth2', tokenUrl: `${s.ps.baseUrl}/idp/oauth2/token`, clientId: idp.clientId, clientSecret: idp.clientSecret });
    secrets['client secret'] = idp.clientSecret;
    key = (await createApiKey(db.pool, { kind: 'customer', customerId: 'acme' })).key;
    await s.startWorker();
  }, 120_000);
  afterAll(async () => {
    await s?.stop();
    await client.connection.close();
    await db.drop();
  });

  it(`builds the roster and assigns ${N} documents through it exactly once, the unmatched approver's to the fallback with the reason audited`, async () => {
    await s.startWorkflow();
    await eventually(async () => (await s.status()).totals.polls >= 1 && (await s.status()).state === 'idle', 240_000, 'first poll');
    const r = await roster();
    expect([...r.values()].map((e) => [e.emplid, e.oprid, e.status, e.asanaUserGid])).toEqual([
      ['KU0001', 'OPR0001', 'matched', users.ada],
      ['KU0002', 'OPR0002', 'matched', users.grace],
      ['KU0003', 'OPR0003', 'no-asana-account', null],
      ['KU0004', 'OPR0004', 'no-asana-account', null],
      ['KU0005', 'OPR0005', 'inactive', null],
    ]);
    const printed = await mlc('connections', 'roster', s.connectionId);
    expect(printed).toContain('5 employees: 2 matched, 2 without an Asana account, 1 inactive');
    expect(printed).toMatch(/KU0002\s+OPR0002\s+.*ku0002@example.com\s+A\s+matched/);
    const other = (await createApiKey(db.pool, { kind: 'customer', customerId: 'globex' })).key;
    expect((await get(`/v1/connections/${s.connectionId}/roster`, other)).status).toBe(404);

    const tasks = await tasksByKey();
    expect(tasks.size).toBe(N);
    expect([...tasks.values()].every((t) => t.length === 1)).toBe(true);
    const expected: Record<string, string> = { US001: users.ada!, US002: users.grace!, CAN01: users.fallback! };
    for (const [k, [t]] of tasks) expect([k, t!.assigneeGid]).toEqual([k, expected[/^\w+:(\w+)\//.exec(k)![1]!]]);

    const creates = (await audit()).filter((e) => e.action === 'create' && /^(voucher|requisition):/.test(e.recordKey));
    expect(new Set(creates.map((e) => e.recordKey)).size).toBe(N);
    expect(creates).toHaveLength(N);
    const via = (v: string) => creates.filter((e) => e.detail?.assignment?.via === v);
    const fallbacks = via('fallback');
    expect(via('roster').length + fallbacks.length).toBe(N);
    expect(fallbacks.every((e) => e.recordKey.includes(':CAN01/') && /OPR0003 \(employee KU0003\) has no Asana account for ku0003@example.com/.test(e.detail!.assignment!.reason!))).toBe(true);
    process.stdout.write(`[measure] ${N} documents: ${via('roster').length} assigned through the roster, ${fallbacks.length} to the fallback approver\n`);
    expect(await issued()).toBe(1);
  }, 300_000);

  it('says which PeopleSoft auth method worked and when its token expires', async () => {
    const checks = await peopleSoftAsana.check(await loadFlowContext(db.pool, s.cipher, s.connectionId));
    const auth = checks.find((c) => c.system === 'peoplesoft' && c.check === 'auth')!;
    const stored = await getOAuthToken(db.pool, s.cipher, s.connectionId, 'peoplesoft');
    secrets['first access token'] = stored!.accessToken;
    expect(auth).toMatchObject({ ok: true, message: expect.stringContaining(`authenticated with OAuth2 client credentials at ${s.ps.baseUrl}/idp/oauth2/token, token expires ${stored!.expiresAt.toISOString()}`) as string });
    expect(await issued()).toBe(1);
  });

  it('writes the roster to the Asana roster project at the next poll: one task per employee, assigned, the leaver completed', async () => {
    await s.pollAndWait();
    const project = createAsanaConnector(
      { baseUrl: s.asana.apiUrl, workspaceGid: s.world.workspaceGid, projectGid: rosterProject, token: s.world.users[0]!.token },
      { limiters: new RateLimiterRegistry() },
    );
    const tasks: AsanaTask[] = [];
    for await (const page of project.listProjectTasks()) tasks.push(...page);
    expect(tasks.map((t) => [t.name.replace(/^.* \[/, '['), t.assigneeGid, t.completed]).sort()).toEqual([
      ['[KU0001]', users.ada, false],
      ['[KU0002]', users.grace, false],
      ['[KU0003]', null, false],
      ['[KU0004]', null, false],
      ['[KU0005]', null, true],
    ]);
    expect(tasks.find((t) => t.name.endsWith('[KU0003]'))!.notes).toContain('no Asana account for ku0003@example.com');
  });

  it('an Asana account renamed away from the employee email: re-matched, the next change goes to the fallback with the reason audited', async () => {
    const docs = await vouchers('US001', 2);
    await s.asana.admin.updateUser(users.ada!, { email: 'ada.lovelace@example.com' });
    // The re-match runs after the flows of an asked-for poll; the documents changed after it are assigned anew.
    await s.pollAndWait();
    expect((await roster()).get('KU0001')).toMatchObject({ status: 'no-asana-account', asanaUserGid: null });
    for (const v of docs) await touch(v, 'R3');
    await s.pollAndWait();
    const updates = (await audit()).filter((e) => e.action === 'update' && docs.map(voucherKey).includes(e.recordKey));
    expect(updates.map((e) => e.detail?.assignment)).toEqual(docs.map(() => ({ via: 'fallback', approver: 'OPR0001', reason: 'approver OPR0001 (employee KU0001) has no Asana account for ku0001@example.com' })));
    for (const v of docs) expect(await assigneeOf(v)).toBe(users.fallback);
  }, 240_000);

  it('mid-sync: the PeopleSoft token expires (one refresh, no error), an approver leaves (waits, reason in status), an email is renamed (new match)', async () => {
    const [leftDoc, renamedDoc] = [(await vouchers('US002', 2))!, (await vouchers('CAN01', 2))!];
    users.carol = (await s.asana.admin.addWorkspaceUser(s.world.workspaceGid, { name: 'Carol', email: 'carol@example.com' })).gid;
    await s.psAdmin.updateRow('employee', { EMPLID: 'KU0002' }, { EMPL_STATUS: 'T' });
    await s.psAdmin.updateRow('employee', { EMPLID: 'KU0003' }, { EMAILID: 'Carol@Example.com' });
    for (const v of [...leftDoc, ...renamedDoc]) await touch(v, 'R2');
    const before = await issued();
    // The IdP's token is now past its hour at the gateway, while our cache still thinks it fresh: a 401 mid-sync.
    // Last test: rows edited after this would be stamped an hour ahead of our windows.
    await s.psAdmin.advanceClock(HOUR + 120_000);

    const status = await s.pollAndWait();
    expect(await issued()).toBe(before + 1);
    expect(Object.entries(status.progress).filter(([, p]) => p.lastError)).toEqual([]);
    expect((await db.pool.query('SELECT 1 FROM dead_letters WHERE connection_id = $1', [s.connectionId])).rowCount).toBe(0);

    const r = await roster();
    expect([r.get('KU0002')!.status, r.get('KU0003')!.status, r.get('KU0003')!.asanaUserGid]).toEqual(['inactive', 'matched', users.carol]);
    for (const v of renamedDoc) expect(await assigneeOf(v)).toBe(users.carol);
    // No fallback for US002: the documents wait, with the reason in status, and keep their current (never no) assignee.
    expect(status.progress[FLOW_VOUCHERS]!.waiting).toEqual({ count: leftDoc.length, missingKeys: ['Asana assignee for OPR0002 (no fallback approver for US002)'] });
    const reasons = await db.pool.query<{ reason: string }>('SELECT reason FROM waiting_records WHERE connection_id = $1', [s.connectionId]);
    expect(reasons.rows.map((w) => w.reason)).toEqual(leftDoc.map(() => 'approver OPR0002 (employee KU0002) has left: EMPL_STATUS T'));
    for (const v of leftDoc) expect(await assigneeOf(v)).toBe(users.grace);
    secrets['second access token'] = (await getOAuthToken(db.pool, s.cipher, s.connectionId, 'peoplesoft'))!.accessToken;
  }, 240_000);

  it('kept the PeopleSoft client secret and access tokens out of history, worker output and every table in clear', async () => {
    expect(Object.keys(secrets)).toHaveLength(3);
    expect(secrets['second access token']).not.toBe(secrets['first access token']);
    const places: Haystack[] = [...historyHaystacks('history', await s.handle!.fetchHistory()), { where: 'worker output', content: s.worker!.output.join('\n') }];
    const tables = await db.pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`);
    for (const { table_name } of tables.rows) {
      const dump = await db.pool.query<{ row: string }>(`SELECT t::text AS row FROM "${table_name}" t`);
      places.push({ where: `table ${table_name}`, content: dump.rows.map((r) => r.row).join('\n') });
    }
    expect(findSecrets(places, secrets)).toEqual([]);
  });
});
