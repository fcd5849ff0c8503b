import { randomUUID } from 'node:crypto';
import { getConnection, insertConnection, putCredentials, updateConnectionConfig } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import type { FaultSurface, FaultWorld, PairFaultFixture, PartnerRecord, RecordState, StormSettings } from '../../test/faults/kit/fault-fixture';
import { canaryPeopleSoftUser, spreadIndices } from '../../test/faults/kit/fixture-helpers';
import { canonicalDecimal } from '../../test/faults/kit/compare-state';
import { bumpAmount, peopleSoftSourceClock } from '../../test/faults/kit/source-clock';
import { FLOW_VOUCHERS, PAIR } from './config';
import { pairConfig, startPairSimulators } from './demo-world';
import { asanaReturnPath } from './fault-return-path';

/** An approver OPRID mapped to an Asana user who is not in the organization (left the company): Asana refuses it. */
const GONE_APPROVER = 'FORMER01';
const GONE_USER_GID = '1999999999999999';
const STATUS_NAMES: Record<string, string> = { P: 'Pending', A: 'Approved', D: 'Denied' };

type Json = Record<string, unknown>;

/**
 * The fault suite's view of PeopleSoft <-> Asana (test/faults/kit/fault-fixture.ts): vouchers and requisitions in the
 * PeopleSoft simulator, Asana approval tasks in the Asana simulator, compared by the task's "PeopleSoft Key" field.
 * No webhook base URL at first: the forward flows are synced without one; R1r adds it (returnPath) for the return path.
 */
export const faultFixture: PairFaultFixture = {
  pairId: PAIR,
  returnPath: true,
  async open(deps, { records }) {
    const voucher = Math.ceil(records / 2);
    const { ps, psAdmin, asana, world } = await startPairSimulators({ voucher, requisition: records - voucher });
    const connectionId = `faults-asana-${randomUUID().slice(0, 8)}`;
    const { webhookBaseUrl: _none, ...config } = pairConfig(world, ps.baseUrl, asana.apiUrl, 'http://127.0.0.1:9');
    const approvers = { ...config.approvers, [GONE_APPROVER]: GONE_USER_GID };
    await insertConnection(deps.pool, { id: connectionId, customerId: 'faults', pair: PAIR, config: { ...config, approvers } as Record<string, unknown> });
    const cipher = new CredentialCipher(deps.masterKey);
    const psUser = await canaryPeopleSoftUser(psAdmin);
    await putCredentials(deps.pool, cipher, connectionId, 'peoplesoft', { method: 'basic', ...psUser });
    await putCredentials(deps.pool, cipher, connectionId, 'asana', { method: 'pat', token: world.users[0]!.token });

    const field = (name: string) => world.customFields.find((c) => c.name === name)!.gid;
    const optionName = new Map(world.customFields.flatMap((c) => c.enumOptions.map((o) => [o.gid, o.name] as const)));
    const approverGid = (): Record<string, string | undefined> => ({ APPROVER1: world.users[1]!.gid });
    let fixed = false;
    const assigneeOf = (row: Json): string | null => {
      const own = typeof row.APPROVER_OPRID === 'string' && row.APPROVER_OPRID !== '' ? row.APPROVER_OPRID : undefined;
      const oprid = own ?? config.businessUnitApprovers?.[String(row.BUSINESS_UNIT)];
      if (oprid === GONE_APPROVER) return fixed ? world.users[1]!.gid : GONE_USER_GID;
      return (oprid && approverGid()[oprid]) ?? null;
    };
    const surface = (admin: { setFaults(f: StormSettings): Promise<unknown>; faults(): Promise<{ injected: { errors: number; drops: number; tooManyRequests: number } }> }): FaultSurface => ({
      setFaults: async (f) => void (await admin.setFaults(f)),
      injected: async () => (await admin.faults()).injected,
    });

    const world_: FaultWorld = {
      connectionId,
      secrets: { 'PeopleSoft password': psUser.password, 'PeopleSoft basic auth': `${psUser.oprid}:${psUser.password}`, 'Asana token': world.users[0]!.token },
      simulators: {
        peoplesoft: surface(psAdmin),
        asana: {
          ...surface(asana.admin),
          answers: async () => (await asana.admin.requests()).map((r) => ({ atMs: r.receivedAtMs, status: r.status })),
          advanceClock: async (ms) => void (await asana.admin.advanceClock(ms)),
        },
      },
      async expected() {
        const out: RecordState[] = [];
        for (const kind of ['voucher', 'requisition'] as const) {
          for (const row of (await psAdmin.rows(kind)) as Json[]) {
            const id = String(kind === 'voucher' ? row.VOUCHER_ID : row.REQ_ID);
            const status = String(row.APPR_STATUS);
            out.push({
              key: `${kind}:${String(row.BUSINESS_UNIT)}/${id}`,
              fields: {
                document: String(kind === 'voucher' ? row.INVOICE_ID : row.REQ_ID),
                businessUnit: String(row.BUSINESS_UNIT),
                amount: canonicalDecimal(kind === 'voucher' ? row.GROSS_AMT : row.MERCHANDISE_AMT),
                status: STATUS_NAMES[status] ?? `unknown APPR_STATUS ${status}`,
                completed: String(status !== 'P'),
                assignee: assigneeOf(row),
              },
            });
          }
        }
        return out;
      },
      async actual() {
        const out: PartnerRecord[] = [];
        for (const t of await asana.admin.tasks()) {
          const values = new Map(((t.custom_fields as Json[] | undefined) ?? []).map((cf) => [String(cf.gid), cf]));
          const text = (name: string) => (values.get(field(name))?.text_value as string | null | undefined) ?? null;
          const key = text('PeopleSoft Key');
          if (key === null) continue;
          const kind = key.split(':')[0];
          const enumValue = values.get(field('Approval Status'))?.enum_value as Json | null | undefined;
          out.push({
            key,
            targetId: String(t.gid),
            fields: {
              document: text(kind === 'voucher' ? 'Invoice ID' : 'Requisition ID'),
              businessUnit: text('Business Unit'),
              amount: canonicalDecimal(values.get(field('Amount'))?.number_value),
              status: enumValue ? (optionName.get(String(enumValue.gid)) ?? null) : null,
              completed: String(t.completed === true),
              assignee: ((t.assignee as Json | null)?.gid as string | undefined) ?? null,
            },
          });
        }
        return out;
      },
      async breakRecords(share) {
        const keys: string[] = [];
        for (const kind of ['voucher', 'requisition'] as const) {
          const rows = (await psAdmin.rows(kind)) as Json[];
          for (const i of spreadIndices(rows.length, share)) {
            const row = rows[i]!;
            const idField = kind === 'voucher' ? 'VOUCHER_ID' : 'REQ_ID';
            // The customer's inquiry names the row's own approver; this one maps to an Asana user who has left.
            await psAdmin.updateRow(kind, { BUSINESS_UNIT: String(row.BUSINESS_UNIT), [idField]: String(row[idField]) }, { APPROVER_OPRID: GONE_APPROVER });
            keys.push(`${kind}:${String(row.BUSINESS_UNIT)}/${String(row[idField])}`);
          }
        }
        return { keys, rawAnswer: new RegExp(`Not a user in Organization: ${GONE_USER_GID}`) };
      },
      async fixRecords() {
        // The operator maps the former approver's documents to a current Asana user (what `mlc connections update` stores).
        const row = (await getConnection(deps.pool, connectionId))!;
        const current = row.config as { approvers: Record<string, string> };
        await updateConnectionConfig(deps.pool, connectionId, { ...row.config, approvers: { ...current.approvers, [GONE_APPROVER]: world.users[1]!.gid } });
        fixed = true;
      },
      // R11: vouchers, read by LASTUPDDTTM; an edit moves the amount the task's Amount field shows.
      sourceClock: peopleSoftSourceClock(psAdmin, {
        flow: FLOW_VOUCHERS,
        table: 'voucher',
        keyOf: (row) => `voucher:${String(row.BUSINESS_UNIT)}/${String(row.VOUCHER_ID)}`,
        keysOf: (row) => ({ BUSINESS_UNIT: String(row.BUSINESS_UNIT), VOUCHER_ID: String(row.VOUCHER_ID) }),
        edit: (row, n) => ({ GROSS_AMT: bumpAmount(row.GROSS_AMT, n) }),
      }),
      returnPath: (apiUrl) => asanaReturnPath({ pool: deps.pool, connectionId, apiUrl, psAdmin, asana, world }),
      async close() {
        await asana.close();
        await ps.close();
      },
    };
    return world_;
  },
};
