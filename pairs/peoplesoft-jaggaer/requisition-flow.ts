import { type FlowFactory, type FlowRuntime, type SourceRecord } from '../../activities/flows/types';
import type { RequisitionInput } from '../../connectors/jaggaer';
import { recordKey } from '../../connectors/peoplesoft';
import { requisitionAccountReference } from './account-codes';
import { pairContext } from './context';
import { requisitionToJaggaer, unreadable, type UnreadableData } from './map-documents';

type RequisitionRow = Parameters<typeof requisitionToJaggaer>[1] & { LASTUPDDTTM: string };

/**
 * PeopleSoft requisitions (REST inquiry, polled by LASTUPDDTTM range) -> JAGGAER requisitions for sourcing, each
 * carrying our PeopleSoft key as its external reference: how a lost create is found again, and how a JAGGAER PO is
 * traced back to the PeopleSoft requisition.
 */
export const requisitionFlow: FlowFactory = (ctx): FlowRuntime<RequisitionInput> => {
  const pair = pairContext(ctx);
  return {
    sourceSystem: 'peoplesoft',
    targetSystem: 'jaggaer',
    direction: 'peoplesoft->jaggaer',
    async fetchWindow(from, to) {
      const { rows, invalid } = await pair.peoplesoft.fetchChanged('requisition', { from, to });
      const records: SourceRecord[] = rows.map((row) => ({ key: recordKey('requisition', row.BUSINESS_UNIT, row.REQ_ID), updatedAt: row.LASTUPDDTTM, data: row }));
      for (const bad of invalid) {
        records.push({ key: `requisition:${bad.key.replace('|', '/')}`, updatedAt: from.toISOString(), data: { kind: 'unreadable', entity: 'PeopleSoft requisition', problem: bad.issues, raw: bad.raw } satisfies UnreadableData });
      }
      // Refused JAGGAER credentials fail the window once instead of dead-lettering every record.
      if (records.length > 0) await pair.jaggaer.authorize();
      return records;
    },
    // JAGGAER refuses a line coded to an account code it does not have: the requisition waits for the account flow.
    references(record) {
      const data = record.data as RequisitionRow | UnreadableData;
      return 'kind' in data ? [] : requisitionAccountReference(pair.config, `PeopleSoft requisition ${data.BUSINESS_UNIT}/${data.REQ_ID}`, data.ACCOUNT);
    },
    map(record) {
      const data = record.data as RequisitionRow | UnreadableData;
      return 'kind' in data ? unreadable(data) : requisitionToJaggaer(record.key, data);
    },
    // POST /j1p/api/public/jp/v1/requisitions (connectors/jaggaer/create-requisition.ts; path provisional)
    async create(payload) {
      return { targetId: (await pair.jaggaer.createRequisition(payload)).id };
    },
    // A requisition edited in PeopleSoft before sourcing updates the JAGGAER requisition (POST operationCode UPDATE,
    // connectors/jaggaer/update-requisition.ts; provisional). Once a buyer has it in sourcing JAGGAER refuses under
    // HTTP 200 with a returnCode: the record is dead-lettered with that answer for the buyer to settle in JAGGAER.
    async update(targetId, payload) {
      await pair.jaggaer.updateRequisition(targetId, payload);
    },
    // GET .../requisitions?flt=EXTERNALREF==<our key>
    async findExisting(record) {
      return (await pair.jaggaer.findRequisitionByExternalRef(record.key))?.id;
    },
  };
};
