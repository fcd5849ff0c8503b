import { MappingError, type FlowFactory, type FlowRuntime } from '../../activities/flows/types';
import { listRosterChangedBetween, type RosterEntry } from '../../db/roster-entries';
import { pairContext, requirePool } from './context';

/** One employee as a task of the roster project; the EMPLID in brackets ends the name (how a lost create is found). */
export interface RosterTaskPayload {
  name: string;
  notes: string;
  assignee: string | null;
  completed: boolean;
}

const suffix = (emplid: string) => `[${emplid}]`;

/**
 * The roster reference in Asana: the connection's roster (our table, read by `updated_at` windows after the
 * employees flow and the re-match wrote it) -> one task per employee in `rosterProjectGid`, assigned to the
 * employee's Asana user, completed once they left, its notes saying why there is no assignee. A roster change
 * reaches the project at the next poll (the window ends where the employees flow's began).
 * https://developers.asana.com/reference/createtask, https://developers.asana.com/reference/updatetask
 */
export const rosterProjectFlow: FlowFactory = (ctx): FlowRuntime<RosterTaskPayload> => {
  const pair = pairContext(ctx);
  const pool = requirePool(ctx);
  const projectGid = pair.config.rosterProjectGid;
  if (!projectGid) throw new MappingError(`connection ${pair.connectionId}: flows.rosterProject is on but config.rosterProjectGid is not set; set it to the roster project's GID`);
  const asana = pair.asanaProject(projectGid);
  return {
    sourceSystem: 'roster',
    targetSystem: 'asana',
    direction: 'roster->asana',
    async fetchWindow(from, to) {
      const entries = await listRosterChangedBetween(pool, pair.connectionId, from, to);
      return entries.map((e) => ({ key: `employee:${e.emplid}`, updatedAt: e.updated_at.toISOString(), data: e }));
    },
    map(record) {
      const e = record.data as RosterEntry;
      const why = e.status === 'matched' ? `Asana user ${e.asana_user_name ?? e.asana_user_gid ?? ''}` : e.status === 'inactive' ? `left (EMPL_STATUS ${e.empl_status ?? '?'})` : `no Asana account for ${e.email ?? 'an empty EMAILID'}`;
      return {
        name: `${e.name} ${suffix(e.emplid)}`,
        notes: `PeopleSoft employee ${e.emplid}${e.oprid ? `, operator ${e.oprid}` : ''}, ${e.email ?? 'no email'}: ${why}.`,
        assignee: e.status === 'matched' ? e.asana_user_gid : null,
        completed: e.status === 'inactive',
      };
    },
    async create(payload) {
      return { targetId: (await asana.createTask(payload)).gid };
    },
    async update(targetId, payload) {
      await asana.updateTask(targetId, payload);
    },
    async findExisting(record, { intentAt }) {
      const tail = suffix(record.key.replace(/^employee:/, ''));
      // https://developers.asana.com/reference/gettasks (modified_since bounds the listing to tasks changed since the intent)
      for await (const page of asana.listProjectTasks({ modifiedSince: new Date(intentAt.getTime() - 10 * 60_000) })) {
        const found = page.find((t) => t.name.endsWith(tail));
        if (found) return found.gid;
      }
      return undefined;
    },
  };
};
