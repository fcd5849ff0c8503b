import { type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import { idFields, recordKey } from '../../connectors/peoplesoft';
import { listRoster } from '../../db/roster-entries';
import { indexRoster, type RosterIndex } from './assign-approver';
import { type DocumentKind } from './config';
import { pairContext, requirePool } from './context';
import { mapDocument, type DocumentData, type TaskPayload } from './map-documents';

/** Clock skew we tolerate between our database and Asana when bounding a lost-create search. */
const CLOCK_SKEW_MARGIN_MS = 10 * 60_000;

/**
 * PeopleSoft vouchers or requisitions -> Asana approval tasks. Every changed row becomes a record, whatever its
 * APPR_STATUS: pending ones ask for a decision, decided ones (approved in PeopleSoft directly, or by us) complete the
 * task and set its status, so Asana never shows a stale request. Rows that fail the schema become records too, so
 * the engine dead-letters them instead of them vanishing.
 */
function documentFlow(kind: DocumentKind): FlowFactory {
  return async (ctx): Promise<FlowRuntime<TaskPayload>> => {
    const pair = pairContext(ctx);
    const keyField = pair.config.fields.externalKey.fieldGid;
    // Read once per window, after the employees flow (a dependency) wrote this poll's changes to it.
    const roster: RosterIndex | undefined = pair.config.flows.roster ? indexRoster(await listRoster(requirePool(ctx), pair.connectionId)) : undefined;
    // The assignment's account goes to the audit row, not to Asana.
    const task = ({ assignment: _assignment, ...rest }: TaskPayload) => rest;
    return {
      sourceSystem: 'peoplesoft',
      targetSystem: 'asana',
      direction: 'peoplesoft->asana',
      async fetchWindow(from, to) {
        const { rows, invalid } = await pair.peoplesoft.fetchChanged(kind, { from, to });
        const records: SourceRecord[] = rows.map((row) => {
          const id = String((row as Record<string, unknown>)[idFields(kind)[0]!]);
          const data = { kind, row } as DocumentData;
          return { key: recordKey(kind, row.BUSINESS_UNIT, id), updatedAt: row.LASTUPDDTTM, data };
        });
        for (const bad of invalid) {
          const raw = (bad.raw ?? {}) as Record<string, unknown>;
          const [bu, id] = bad.key.split('|');
          records.push({
            key: recordKey(kind, bu || '?', id || '?'),
            updatedAt: typeof raw.LASTUPDDTTM === 'string' ? raw.LASTUPDDTTM : from.toISOString(),
            data: { kind: 'invalid', object: kind, issues: bad.issues, raw: bad.raw } satisfies DocumentData,
          });
        }
        // A refused OAuth grant is a configuration error: fail the window here, once, instead of dead-lettering
        // every record on its first Asana write. A fresh token is reused from the store, so this is usually free.
        if (records.length > 0) await pair.asana.authorize();
        return records;
      },
      map: (record) => mapDocument(pair.config, record, roster),
      auditDetail: (payload) => (payload.assignment ? { assignment: payload.assignment } : undefined),
      // https://developers.asana.com/reference/createtask
      async create(payload) {
        const created = await pair.asana.createTask(task(payload));
        return { targetId: created.gid };
      },
      // https://developers.asana.com/reference/updatetask
      async update(targetId, payload) {
        await pair.asana.updateTask(targetId, task(payload));
      },
      async findExisting(record, { intentAt }) {
        // A task we created for this record was created (so modified) after our intent row; the margin covers clock
        // skew between us and Asana. The listing is then the few tasks changed since the crash, not the project.
        const since = new Date(intentAt.getTime() - CLOCK_SKEW_MARGIN_MS);
        const task = await pair.asana.findTaskByExternalKey(keyField, record.key, { modifiedSince: since });
        return task?.gid;
      },
      // The same for a crash's whole page of intents: one listing since the earliest of them.
      async findExistingMany(records, { intentAt }) {
        const since = new Date(intentAt.getTime() - CLOCK_SKEW_MARGIN_MS);
        const tasks = await pair.asana.findTasksByExternalKeys(keyField, records.map((r) => r.key), { modifiedSince: since });
        return new Map([...tasks].map(([key, task]) => [key, task.gid]));
      },
    };
  };
}

export const voucherFlow = documentFlow('voucher');
export const requisitionFlow = documentFlow('requisition');
