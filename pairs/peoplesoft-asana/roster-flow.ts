import { MappingError, type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import { type AsanaUser } from '../../connectors/asana';
import { type PeopleSoftRow } from '../../connectors/peoplesoft';
import { upsertRosterEntry, type RosterEntryInput } from '../../db/roster-entries';
import { pairContext, requirePool } from './context';
import { matchEmployee, normalizeEmail, usersByEmail } from './roster-match';

type EmployeeData =
  | { kind: 'employee'; row: PeopleSoftRow<'employee'>; asanaUser: AsanaUser | null }
  /** A row that fails the schema: carried to map() so the engine dead-letters it with the issues. */
  | { kind: 'invalid'; issues: string; raw: unknown };

export type RosterPayload = Omit<RosterEntryInput, 'connectionId'>;

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/**
 * PeopleSoft employees (MLC_EMPLOYEE_GET: EMPLID, NAME, EMAILID, DEPTID, EMPL_STATUS and the OPRID that PSOPRDEFN links
 * to the employee) -> the connection's roster. Each changed employee is matched by email to a user of the Asana
 * workspace (read once per window that has changes); the match is part of the record, so the payload, its hash and
 * the audit row say which Asana user (or none) the employee got. Writing is an upsert: re-reading is harmless.
 */
export const rosterFlow: FlowFactory = (ctx): FlowRuntime<RosterPayload> => {
  const pair = pairContext(ctx);
  const pool = requirePool(ctx);
  return {
    sourceSystem: 'peoplesoft',
    targetSystem: 'roster',
    direction: 'peoplesoft->roster',
    async fetchWindow(from, to) {
      const { rows, invalid } = await pair.peoplesoft.fetchChanged('employee', { from, to });
      const records: SourceRecord[] = [];
      if (rows.length > 0) {
        // https://developers.asana.com/reference/getusers (paged, opt_fields=email,name)
        const users = usersByEmail(await pair.asana.listWorkspaceUsers());
        for (const row of rows) {
          const email = normalizeEmail(row.EMAILID);
          const data: EmployeeData = { kind: 'employee', row, asanaUser: (email && users.get(email)) || null };
          records.push({ key: `employee:${row.EMPLID}`, updatedAt: row.LASTUPDDTTM, data });
        }
      }
      for (const bad of invalid) {
        const raw = (bad.raw ?? {}) as Record<string, unknown>;
        const data: EmployeeData = { kind: 'invalid', issues: bad.issues, raw: bad.raw };
        records.push({ key: `employee:${bad.key || '?'}`, updatedAt: typeof raw.LASTUPDDTTM === 'string' ? raw.LASTUPDDTTM : from.toISOString(), data });
      }
      return records;
    },
    map(record) {
      const data = record.data as EmployeeData;
      if (data.kind === 'invalid') throw new MappingError(`PeopleSoft sent an employee row that fails the schema: ${data.issues}`);
      const { row } = data;
      const email = normalizeEmail(row.EMAILID);
      const emplStatus = text(row.EMPL_STATUS);
      const users = new Map(data.asanaUser && email ? [[email, data.asanaUser]] : []);
      return { emplid: row.EMPLID, oprid: text(row.OPRID), name: row.NAME, email, emplStatus, ...matchEmployee({ email, emplStatus }, users), sourceUpdatedAt: row.LASTUPDDTTM };
    },
    async create(payload) {
      await upsertRosterEntry(pool, { connectionId: pair.connectionId, ...payload });
      return { targetId: payload.emplid };
    },
    async update(_targetId, payload) {
      await upsertRosterEntry(pool, { connectionId: pair.connectionId, ...payload });
    },
    // The upsert is idempotent: a create repeated after a crash writes the same row.
    findExisting: () => Promise.resolve(undefined),
    auditDetail: (payload) => ({ status: payload.status, asanaUserGid: payload.asanaUserGid }),
  };
};
