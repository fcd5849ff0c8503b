import { type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import type { AccountInput } from '../../connectors/jaggaer';
import { currentGlAccounts, glAccountKey, glAccountToJaggaer, type GlAccountRow } from './account-codes';
import { pairContext } from './context';
import { unreadable, type UnreadableData } from './map-documents';

type AccountData = { kind: 'account'; row: GlAccountRow; notYetEffective: boolean };

/**
 * PeopleSoft GL accounts (REST inquiry MLC_GL_ACCOUNT_GET through the connector's `fetchChanged('glAccount')`, the
 * read the Procore pair's cost codes use) -> JAGGAER account codes, one way: PeopleSoft is the system of record for
 * the chart of accounts, so nothing comes back and nothing can echo. Runs before requisitions, POs and invoices
 * (their `dependsOn`), which are coded to these accounts. An account made inactive in PeopleSoft is deactivated in
 * JAGGAER, never deleted: documents already coded to it stay readable there.
 */
export const glAccountFlow: FlowFactory = (ctx): FlowRuntime<AccountInput> => {
  const pair = pairContext(ctx);
  const setId = pair.config.peoplesoft.accountSetId;
  return {
    sourceSystem: 'peoplesoft',
    targetSystem: 'jaggaer',
    direction: 'peoplesoft->jaggaer',
    async fetchWindow(from, to) {
      const { rows, invalid } = await pair.peoplesoft.fetchChanged('glAccount', { from, to });
      // Other SETIDs' charts are not this connection's; the configured one is read whole, effective row per account.
      const today = new Date().toISOString().slice(0, 10);
      const records: SourceRecord[] = currentGlAccounts(rows.filter((r) => r.SETID === setId), today).map(({ row, notYetEffective }) => ({
        key: glAccountKey(row.SETID, row.ACCOUNT),
        updatedAt: row.LASTUPDDTTM,
        data: { kind: 'account', row, notYetEffective } satisfies AccountData,
      }));
      for (const bad of invalid) {
        records.push({ key: `glAccount:${bad.key.replace('|', '/')}`, updatedAt: from.toISOString(), data: { kind: 'unreadable', entity: 'PeopleSoft GL account', problem: bad.issues, raw: bad.raw } satisfies UnreadableData });
      }
      // Refused JAGGAER credentials fail the window once instead of dead-lettering every account.
      if (records.length > 0) await pair.jaggaer.authorize();
      return records;
    },
    map(record) {
      const data = record.data as AccountData | UnreadableData;
      return data.kind === 'unreadable' ? unreadable(data) : glAccountToJaggaer(data.row, data.notYetEffective);
    },
    // GET accountcodes?flt=CODE==<ACCOUNT>, then POST operationCode UPDATE or CREATE (connectors/jaggaer/upsert-account.ts,
    // provisional): a code keyed in JAGGAER by hand, or created before a crash lost our link, is updated, not duplicated.
    async create(payload) {
      return { targetId: (await pair.jaggaer.upsertAccount(payload)).id };
    },
    // POST accountcodes operationCode UPDATE: description and status (deactivation) follow PeopleSoft.
    async update(targetId, payload) {
      await pair.jaggaer.updateAccount(targetId, payload);
    },
    // GET accountcodes?flt=CODE==<ACCOUNT>
    async findExisting(record) {
      const data = record.data as AccountData | UnreadableData;
      return data.kind === 'account' ? (await pair.jaggaer.findAccountByCode(data.row.ACCOUNT))?.id : undefined;
    },
  };
};
