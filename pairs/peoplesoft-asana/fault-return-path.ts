import { getConnection, updateConnectionConfig } from '../../db/connections';
import { type Db } from '../../db/pool';
import { type RunningAsanaSimulator, type SeedResult } from '../../simulators/asana';
import { type PeopleSoftSimAdmin } from '../../simulators/peoplesoft/admin-client';
import type { PartnerRecord, RecordState, ReturnPathSurface } from '../../test/faults/kit/fault-fixture';

type Json = Record<string, unknown>;

/** The approval Component Interfaces (connectors/peoplesoft approveVoucher / approveRequisition), as the effects log names them. */
const APPROVAL_CIS: Record<string, 'voucher' | 'requisition'> = { MLC_VCHR_APPR: 'voucher', MLC_REQ_APPR: 'requisition' };
const ID_FIELD = { voucher: 'VOUCHER_ID', requisition: 'REQ_ID' } as const;
/** Every seventh decision is a denial: the status set to Denied before the task is completed. */
const DENY_EVERY = 7;

const keyOf = (kind: 'voucher' | 'requisition', row: Json) => `${kind}:${String(row.BUSINESS_UNIT)}/${String(row[ID_FIELD[kind]])}`;

/**
 * R1 on PeopleSoft <- Asana: the approver completes approval tasks (some set to Denied first) in Asana; Asana's
 * webhook reaches the suite's API, which signals the workflow; the inbox writes the decision through the voucher or
 * requisition approval CI. Each decided document must end approved or denied as decided, written once: the
 * connector reads APPR_STATUS (the CI's Get) before it writes, so a retried attempt after a kill writes nothing.
 */
export async function asanaReturnPath(opts: { pool: Db; connectionId: string; apiUrl: string; psAdmin: PeopleSoftSimAdmin; asana: RunningAsanaSimulator; world: SeedResult }): Promise<ReturnPathSurface> {
  const { pool, connectionId, psAdmin, asana, world } = opts;
  // The customer's webhook base URL: the next asked-for poll's housekeeping registers the project's webhook there.
  const row = (await getConnection(pool, connectionId))!;
  await updateConnectionConfig(pool, connectionId, { ...row.config, webhookBaseUrl: opts.apiUrl });
  const baseline = (await psAdmin.effects()).length;
  const statusField = world.customFields.find((c) => c.name === 'Approval Status')!;
  const keyField = world.customFields.find((c) => c.name === 'PeopleSoft Key')!.gid;
  const denied = statusField.enumOptions.find((o) => o.name === 'Denied')!.gid;
  const approver = world.users[1]!;
  const decided = new Map<string, 'A' | 'D'>();

  const rowsByKey = async () => {
    const out = new Map<string, Json>();
    for (const kind of ['voucher', 'requisition'] as const) for (const r of (await psAdmin.rows(kind)) as Json[]) out.set(keyOf(kind, r), r);
    return out;
  };

  return {
    writes: 'PeopleSoft approvals through the voucher and requisition approval CIs',
    async live() {
      const hooks = await asana.admin.webhooks();
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_registrations WHERE connection_id = $1 AND status = 'active'`, [connectionId]);
      return hooks.some((h) => h.active !== false) && rows[0]!.n > 0;
    },
    async decide(count) {
      const ps = await rowsByKey();
      const open = (await asana.admin.tasks()).filter((t) => {
        const key = ((t.custom_fields as Json[] | undefined) ?? []).find((cf) => cf.gid === keyField)?.text_value;
        return t.completed !== true && typeof key === 'string' && !decided.has(key) && ps.get(key)?.APPR_STATUS === 'P';
      });
      if (open.length < count) throw new Error(`only ${open.length} open approval tasks left for ${count} decisions: open the world with more records`);
      const keys: string[] = [];
      for (const t of open.slice(0, count)) {
        const key = String(((t.custom_fields as Json[]).find((cf) => cf.gid === keyField)!).text_value);
        const decision = (decided.size + 1) % DENY_EVERY === 0 ? 'D' : 'A';
        if (decision === 'D') {
          // https://developers.asana.com/reference/updatetask — the approver sets the status field, as in Asana's UI.
          const res = await fetch(`${asana.apiUrl}/tasks/${String(t.gid)}`, {
            method: 'PUT',
            headers: { authorization: `Bearer ${approver.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ data: { custom_fields: { [statusField.gid]: denied } } }),
          });
          if (!res.ok) throw new Error(`Asana refused the approver's status change on task ${String(t.gid)}: ${res.status} ${await res.text()}`);
        }
        await asana.admin.completeTask(String(t.gid), true, approver.gid);
        decided.set(key, decision);
        keys.push(key);
      }
      return keys;
    },
    async expected(): Promise<RecordState[]> {
      return [...decided].map(([key, status]) => ({ key, fields: { APPR_STATUS: status } }));
    },
    async actual(): Promise<PartnerRecord[]> {
      const ps = await rowsByKey();
      return [...decided.keys()].flatMap((key) => {
        const r = ps.get(key);
        return r ? [{ key, targetId: key, fields: { APPR_STATUS: String(r.APPR_STATUS) } }] : [];
      });
    },
    async writeCounts() {
      const out = new Map<string, number>();
      for (const e of (await psAdmin.effects()).slice(baseline)) {
        const kind = APPROVAL_CIS[e.ci];
        const key = kind ? keyOf(kind, e.keys) : `${e.operation} ${JSON.stringify(e.keys)}`;
        out.set(key, (out.get(key) ?? 0) + 1);
      }
      return out;
    },
  };
}
