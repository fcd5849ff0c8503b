import { randomUUID } from 'node:crypto';
import { getConnection, insertConnection, putCredentials, updateConnectionConfig } from '../../db/connections';
import { CredentialCipher } from '../../db/credential-cipher';
import { type AsanaAdminClient } from '../../simulators/asana/admin-client';
import type { FaultSurface, FaultWorld, PairFaultFixture, PartnerRecord, RecordState, StormSettings, TokenSurface } from '../../test/faults/kit/fault-fixture';
import { peopleSoftSide, spreadIndices } from '../../test/faults/kit/fixture-helpers';
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
  oauthPartners: ['peoplesoft', 'asana'],
  returnPath: true,
  async open(deps, { records, oauth }) {
    const voucher = Math.ceil(records / 2);
    const { ps, psAdmin, asana, world } = await startPairSimulators({ voucher, requisition: records - voucher });
    const connectionId = `faults-asana-${randomUUID().slice(0, 8)}`;
    const { webhookBaseUrl: _none, ...config } = pairConfig(world, ps.baseUrl, asana.apiUrl, 'http://127.0.0.1:9');
    const approvers = { ...config.approvers, [GONE_APPROVER]: GONE_USER_GID };
    await insertConnection(deps.pool, { id: connectionId, customerId: 'faults', pair: PAIR, config: { ...config, approvers } as Record<string, unknown> });
    const cipher = new CredentialCipher(deps.masterKey);
    const psSide = await peopleSoftSide(psAdmin, ps.baseUrl, oauth === true);
    await putCredentials(deps.pool, cipher, connectionId, 'peoplesoft', psSide.credentials);
    // With `oauth`, our OAuth app, authorized by the PAT's user (https://developers.asana.com/docs/oauth): no access
    // token stored, so the first call is a refresh at the token endpoint, which R10 counts.
    const asanaSide = oauth ? await asanaOAuthSide(asana.admin, world.users[0]!.gid) : { credentials: { method: 'pat', token: world.users[0]!.token }, secrets: { 'Asana token': world.users[0]!.token } };
    await putCredentials(deps.pool, cipher, connectionId, 'asana', asanaSide.credentials);

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
      secrets: { ...psSide.secrets, ...asanaSide.secrets },
      // R10 (opened with `oauth`): both partners' token servers.
      tokens: psSide.tokens && 'tokens' in asanaSide ? { peoplesoft: psSide.tokens, asana: asanaSide.tokens } : undefined,
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

/** Our OAuth app at the Asana simulator, authorized by `userGid`; R10 expires its access tokens and counts refreshes. */
async function asanaOAuthSide(admin: AsanaAdminClient, userGid: string): Promise<{ credentials: Json; secrets: Record<string, string>; tokens: TokenSurface }> {
  const app = await admin.registerOAuthClient();
  const { refreshToken } = await admin.authorizeOAuth(app.clientId, userGid);
  return {
    credentials: { method: 'oauth2', clientId: app.clientId, clientSecret: app.clientSecret, refreshToken },
    secrets: { 'Asana client secret': app.clientSecret, 'Asana refresh token': refreshToken },
    tokens: { expireAll: async () => void (await admin.expireOAuthTokens()), grants: async () => (await admin.oauthStats()).granted },
  };
}
