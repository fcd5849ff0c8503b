import { MappingError, type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import { recordKey } from '../../connectors/peoplesoft';
import { pairContext } from './context';

interface GlAccountRow {
  SETID: string;
  ACCOUNT: string;
  DESCR?: string;
  EFF_STATUS?: string;
  LASTUPDDTTM: string;
}

export interface CostCodePayload {
  code: string;
  name: string;
  /** One cost code per configured project, each with its own origin_id (origin ids are unique per company). */
  projectIds: string[];
}

/** The origin_id of an account's cost code in one project: `<account key>@<project id>`. */
export const costCodeOrigin = (accountKey: string, projectId: string) => `${accountKey}@${projectId}`;

/**
 * PeopleSoft GL accounts (REST inquiry MLC_GL_ACCOUNT_GET, LASTUPDDTTM range) -> Procore cost codes in every configured
 * project, through the cost codes sync action (https://developers.procore.com/reference/rest/v1/cost-codes#sync-cost-codes),
 * `code` = ACCOUNT: the cost codes field costs are entered on are the accounts their journal lines post to. An existing
 * cost code with the same code (made by hand) is adopted, not duplicated. Inactive accounts are not sent.
 */
export const costCodeFlow: FlowFactory = (ctx): FlowRuntime<CostCodePayload> => {
  const pair = pairContext(ctx);
  const projectIds = Object.keys(pair.config.projects);
  const write = async (payload: CostCodePayload, key: string) => {
    const ids = await Promise.all(payload.projectIds.map((p) => pair.procore.syncCostCode(p, { origin_id: costCodeOrigin(key, p), code: payload.code, name: payload.name })));
    return ids.map((c) => c.id).join(',');
  };
  return {
    sourceSystem: 'peoplesoft',
    targetSystem: 'procore',
    direction: 'peoplesoft->procore',
    async fetchWindow(from, to) {
      const { rows, invalid } = await pair.peoplesoft.fetchChanged('glAccount', { from, to });
      const records: SourceRecord[] = (rows as GlAccountRow[]).filter((r) => r.SETID === pair.config.peoplesoft.vendorSetId && (r.EFF_STATUS ?? 'A') === 'A').map((r) => ({ key: recordKey('glAccount', r.SETID, r.ACCOUNT), updatedAt: r.LASTUPDDTTM, data: r }));
      // A row that does not match the inquiry's documented shape is dead-lettered with what was wrong, never dropped.
      for (const bad of invalid) records.push({ key: `glAccount:${bad.key.replace('|', '/')}`, updatedAt: from.toISOString(), data: { unreadable: bad.issues, raw: bad.raw } });
      if (records.length > 0) await pair.procore.authorize();
      return records;
    },
    map(record) {
      const r = record.data as GlAccountRow | { unreadable: unknown };
      if ('unreadable' in r) throw new MappingError(`PeopleSoft GL account ${record.key} does not match the inquiry's documented row: ${JSON.stringify(r.unreadable)}`);
      if (!r.ACCOUNT) throw new MappingError(`PeopleSoft GL account ${record.key} has no ACCOUNT`);
      return { code: r.ACCOUNT, name: (r.DESCR ?? r.ACCOUNT).slice(0, 255), projectIds };
    },
    async create(payload, record) {
      return { targetId: await write(payload, record.key) };
    },
    async update(_targetId, payload, record) {
      await write(payload, record.key);
    },
    // The sync action finds each project's cost code by origin_id: writing again is the lookup.
    findExisting: () => Promise.resolve(undefined),
  };
};
