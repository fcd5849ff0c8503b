import { type Client } from '@temporalio/client';
import { createAsanaConnector, type AsanaTask } from '../../connectors/asana';
import { FLOW_TASK_FALLBACK } from '../../pairs/peoplesoft-asana/config';
import { RateLimiterRegistry } from '../../connectors/http/rate-limiter';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testClient } from '../support/temporal';
import { eventually } from '../support/worker-process';
import { PairScenario } from './pair-harness';

const HOUR = 3_600_000;
/** Vouchers + requisitions, as many as the issue promises; about 70 s here, bound by Asana's 1,500 requests/min per token. */
const N = Number(process.env.PAIR_TEST_RECORDS ?? 2_000);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

describe('PeopleSoft <-> Asana on real Temporal, PostgreSQL and both simulators', () => {
  let db: TestDatabase;
  let client: Client;
  let s: PairScenario;
  const asana = () =>
    createAsanaConnector(
      { baseUrl: s.asana.apiUrl, workspaceGid: s.world.workspaceGid, projectGid: s.world.projectGid, token: s.world.users[0]!.token },
      { limiters: new RateLimiterRegistry() },
    );
  const tasksByKey = async (): Promise<Map<string, AsanaTask[]>> => {
    const out = new Map<string, AsanaTask[]>();
    const keyField = s.world.customFields.find((c) => c.name === 'PeopleSoft Key')!.gid;
    for await (const page of asana().listProjectTasks()) {
      for (const t of page) {
        const k = String(t.customFields[keyField]?.value);
        out.set(k, [...(out.get(k) ?? []), t]);
      }
    }
    return out;
  };
  const field = (t: AsanaTask, name: string) => t.customFields[s.world.customFields.find((c) => c.name === name)!.gid]?.value;
  const statusOption = (name: string) => s.world.customFields.find((c) => c.name === 'Approval Status')!.enumOptions.find((o) => o.name === name)!.gid;

  beforeAll(async () => {
    db = await createTestDatabase('pair-ps-asana');
    client = await testClient();
    s = new PairScenario(client, db.pool);
    await s.setup({ voucher: N / 2, requisition: N / 2 });
    await s.startWorker();
  }, 120_000);
  afterAll(async () => {
    await s?.stop();
    await client.connection.close();
    await db.drop();
  });

  it(`turns ${N} vouchers and requisitions into exactly ${N} tasks with the mapped custom fields, and registers the webhook`, async () => {
    const began = Date.now();
    await s.startWorkflow();
    await eventually(async () => (await s.status()).totals.polls >= 1 && (await s.status()).state === 'idle', 240_000, 'first poll');
    const seconds = (Date.now() - began) / 1000;
    process.stdout.write(`[measure] ${N} PeopleSoft documents -> Asana tasks in ${seconds.toFixed(1)} s = ${(N / seconds).toFixed(0)} tasks/s\n`);

    const tasks = await tasksByKey();
    expect(tasks.size).toBe(N);
    expect([...tasks.values()].filter((l) => l.length > 1)).toEqual([]);

    const vouchers = await s.psAdmin.rows('voucher');
    const v = vouchers[0]!;
    const key = `voucher:${String(v.BUSINESS_UNIT)}/${String(v.VOUCHER_ID)}`;
    const [task] = tasks.get(key)!;
    expect(task!.name).toMatch(new RegExp(`^Approve voucher ${String(v.BUSINESS_UNIT)}/${String(v.VOUCHER_ID)} — ${String(v.VENDOR_ID)} — `));
    expect(field(task!, 'Invoice ID')).toBe(v.INVOICE_ID);
    expect(field(task!, 'Business Unit')).toBe(v.BUSINESS_UNIT);
    expect(field(task!, 'Amount')).toBe(v.GROSS_AMT);
    expect(field(task!, 'Due Date')).toBe(v.DUE_DT);
    expect(task!.dueOn).toBe(v.DUE_DT);
    expect(field(task!, 'Approval Status')).toBe(statusOption(({ P: 'Pending', A: 'Approved', D: 'Denied' } as Record<string, string>)[String(v.APPR_STATUS)]!));
    expect(task!.completed).toBe(v.APPR_STATUS !== 'P');
    expect(task!.assigneeGid).toBe(v.BUSINESS_UNIT === 'US001' ? s.world.users[1]!.gid : null);
    const reqs = await s.psAdmin.rows('requisition');
    const r = reqs[0]!;
    const [rt] = tasks.get(`requisition:${String(r.BUSINESS_UNIT)}/${String(r.REQ_ID)}`)!;
    expect(field(rt!, 'Requisition ID')).toBe(r.REQ_ID);
    expect(field(rt!, 'Vendor / Requester')).toBe(r.REQUESTOR_ID);

    // Tasks created completed (documents PeopleSoft had already decided) are not read back as decisions: the first
    // sync asks PeopleSoft's approval CIs nothing and the fallback flow writes no row for them.
    const approvalCalls = Object.entries(await s.psAdmin.requests()).filter(([op]) => op.includes('_APPR_'));
    expect(approvalCalls).toEqual([]);
    const fallbackRows = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM record_links WHERE connection_id = $1 AND flow = $2', [s.connectionId, FLOW_TASK_FALLBACK]);
    expect(fallbackRows.rows[0]!.n).toBe(0);

    const hooks = await asana().listWebhooks(s.world.projectGid);
    expect(hooks).toHaveLength(1);
    // Our receiver, with the one-time handshake token that let the handshake in (used up since).
    expect(hooks[0]!.target).toMatch(new RegExp(`^${s.apiUrl}/webhooks/asana/${s.connectionId}\\?handshake=[\\w-]{43}$`));
    const reg = await db.pool.query<{ status: string; has_secret: boolean; token_left: boolean }>(
      'SELECT status, secret_ciphertext IS NOT NULL AS has_secret, handshake_token_hash IS NOT NULL AS token_left FROM webhook_registrations WHERE connection_id = $1',
      [s.connectionId],
    );
    expect(reg.rows).toEqual([{ status: 'active', has_secret: true, token_left: false }]);
  }, 300_000);

  it('updates the same tasks when documents change in PeopleSoft', async () => {
    const vouchers = (await s.psAdmin.rows('voucher')).slice(0, 3);
    for (const v of vouchers) await s.psAdmin.updateRow('voucher', { BUSINESS_UNIT: String(v.BUSINESS_UNIT), VOUCHER_ID: String(v.VOUCHER_ID) }, { GROSS_AMT: 1234.5 });
    await s.pollAndWait();
    const tasks = await tasksByKey();
    expect(tasks.size).toBe(N);
    for (const v of vouchers) {
      const list = tasks.get(`voucher:${String(v.BUSINESS_UNIT)}/${String(v.VOUCHER_ID)}`)!;
      expect(list).toHaveLength(1);
      expect(field(list[0]!, 'Amount')).toBe(1234.5);
      expect(list[0]!.name).toMatch(/— 1,234\.50 USD$/);
    }
  }, 180_000);

  it('records a decision in PeopleSoft once per completed task, duplicate deliveries included', async () => {
    const tasks = await tasksByKey();
    const pending = [...tasks.entries()].filter(([, [t]]) => !t!.completed).slice(0, 20);
    expect(pending.length).toBe(20);
    // The last one is denied: its status is set to Denied before it is completed.
    const denied = pending[pending.length - 1]!;
    await asana().updateTask(denied[1][0]!.gid, { customFields: { [s.world.customFields.find((c) => c.name === 'Approval Status')!.gid]: statusOption('Denied') } });
    const effectsBefore = (await s.psAdmin.effects()).length;

    const latencies: number[] = [];
    await Promise.all(
      pending.map(async ([key, [task]]) => {
        const [kind, rest] = key.split(':') as [string, string];
        const [bu, id] = rest.split('/') as [string, string];
        const table = kind === 'voucher' ? 'voucher' : 'requisition';
        const idField = kind === 'voucher' ? 'VOUCHER_ID' : 'REQ_ID';
        const t0 = Date.now();
        await s.asana.admin.completeTask(task!.gid, true, s.world.users[1]!.gid);
        await eventually(async () => {
          const row = (await s.psAdmin.rows(table)).find((x) => x.BUSINESS_UNIT === bu && x[idField] === id);
          return row && row.APPR_STATUS !== 'P';
        }, 60_000, `decision for ${key}`);
        latencies.push(Date.now() - t0);
      }),
    );
    latencies.sort((a, b) => a - b);
    process.stdout.write(`[measure] webhook -> PeopleSoft approval latency: median ${pct(latencies, 50)} ms, p99 ${pct(latencies, 99)} ms (n=${latencies.length})\n`);
    const [dkind, drest] = denied[0].split(':') as [string, string];
    const deniedRow = (await s.psAdmin.rows(dkind === 'voucher' ? 'voucher' : 'requisition')).find(
      (x) => `${String(x.BUSINESS_UNIT)}/${String(x[dkind === 'voucher' ? 'VOUCHER_ID' : 'REQ_ID'])}` === drest,
    );
    expect(deniedRow!.APPR_STATUS).toBe('D');

    // Redeliver every delivery byte for byte: no new PeopleSoft write.
    const deliveries = (await s.asana.admin.deliveries()).filter((d) => d.kind === 'events');
    for (const d of deliveries) await s.asana.admin.redeliver(d.id);
    await eventually(async () => (await s.status()).inboxPending === 0 && (await s.status()).state === 'idle', 30_000, 'inbox drained');
    // The fallback poll sees the same completed tasks and finds the decisions already there.
    await s.pollAndWait();
    const writes = (await s.psAdmin.effects()).slice(effectsBefore);
    expect(writes).toHaveLength(20);
    const audited = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE connection_id = $1 AND flow = $2 AND action = 'apply' AND outcome = 'ok'`,
      [s.connectionId, FLOW_TASK_FALLBACK],
    );
    expect(audited.rows[0]!.n).toBe(20);
  }, 180_000);

  it('dead-letters a task reopened after its decision, with a clear message', async () => {
    const tasks = await tasksByKey();
    const decided = [...tasks.values()].map(([t]) => t!).find((t) => t.completed && field(t, 'Approval Status') === statusOption('Approved'))!;
    await s.asana.admin.completeTask(decided.gid, false, s.world.users[1]!.gid);
    const letter = await eventually(async () => {
      const { rows } = await db.pool.query<{ error_code: string; error_message: string }>(
        `SELECT error_code, error_message FROM dead_letters WHERE connection_id = $1 AND flow = 'inbox' AND record_key = $2`,
        [s.connectionId, `asana:${decided.gid}`],
      );
      return rows[0];
    }, 30_000, 'dead letter for the reopened task');
    expect(letter.error_code).toBe('ASANA_TASK_REOPENED');
    expect(letter.error_message).toMatch(/cannot be withdrawn/);
  }, 60_000);

  it('re-registers the webhook after Asana deleted it following 24 h of failed deliveries', async () => {
    const [before] = await asana().listWebhooks(s.world.projectGid);
    s.apiDown = true;
    const tasks = await tasksByKey();
    const open = [...tasks.values()].map(([t]) => t!).find((t) => !t.completed)!;
    await s.asana.admin.completeTask(open.gid, true);
    await s.asana.admin.advanceClock(25 * HOUR);
    expect(await asana().listWebhooks(s.world.projectGid)).toEqual([]);
    s.apiDown = false;

    await s.pollAndWait();
    const after = await asana().listWebhooks(s.world.projectGid);
    expect(after).toHaveLength(1);
    expect(after[0]!.gid).not.toBe(before!.gid);
    const reg = await db.pool.query<{ status: string; webhook_id: string }>('SELECT status, webhook_id FROM webhook_registrations WHERE connection_id = $1', [s.connectionId]);
    expect(reg.rows).toEqual([{ status: 'active', webhook_id: after[0]!.gid }]);
    // The completion whose delivery was lost is caught up by the fallback poll of modified tasks.
    const key = String(field(open, 'PeopleSoft Key'));
    const [kind, rest] = key.split(':') as [string, string];
    const row = (await s.psAdmin.rows(kind === 'voucher' ? 'voucher' : 'requisition')).find(
      (x) => `${String(x.BUSINESS_UNIT)}/${String(x[kind === 'voucher' ? 'VOUCHER_ID' : 'REQ_ID'])}` === rest,
    );
    expect(row!.APPR_STATUS).toBe('A');
  }, 180_000);

  it('finishes a sync through a storm of 429s', async () => {
    const vouchers = (await s.psAdmin.rows('voucher')).slice(10, 40);
    for (const v of vouchers) await s.psAdmin.updateRow('voucher', { BUSINESS_UNIT: String(v.BUSINESS_UNIT), VOUCHER_ID: String(v.VOUCHER_ID) }, { GROSS_AMT: 77 });
    await s.asana.admin.setFaults({ burst429: { count: 40, retryAfterSeconds: 1 } });
    await s.pollAndWait(180_000);
    const faults = await s.asana.admin.faults();
    expect(faults.injected.tooManyRequests).toBeGreaterThan(0);
    const tasks = await tasksByKey();
    expect(tasks.size).toBe(N);
    for (const v of vouchers) expect(field(tasks.get(`voucher:${String(v.BUSINESS_UNIT)}/${String(v.VOUCHER_ID)}`)![0]!, 'Amount')).toBe(77);
  }, 240_000);
});
