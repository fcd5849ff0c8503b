import { displayDecimal } from '../../core/decimal';
import { MappingError, type SourceRecord } from '../../activities/flows/types';
import { encodeCustomFields, type CustomFieldWrite } from '../../connectors/asana';
import { recordKey, type PeopleSoftRow } from '../../connectors/peoplesoft';
import { type DocumentKind, type PeopleSoftAsanaConfig } from './config';

/** What a forward flow writes to Asana for one voucher or requisition; hashed by the engine to skip unchanged ones. */
export interface TaskPayload {
  name: string;
  notes: string;
  assignee: string | null;
  dueOn: string | null;
  /** A document PeopleSoft has already decided is shown as a completed task with its status, never dropped. */
  completed: boolean;
  customFields: CustomFieldWrite;
}

export type DocumentData =
  | { kind: 'voucher'; row: PeopleSoftRow<'voucher'> }
  | { kind: 'requisition'; row: PeopleSoftRow<'requisition'> }
  /** A row PeopleSoft sent that fails our schema: carried to map() so the engine dead-letters it with the issues. */
  | { kind: 'invalid'; object: DocumentKind; issues: string; raw: unknown };

const money = (amount: string | undefined, currency: string | undefined) =>
  amount === undefined ? 'no amount' : `${displayDecimal(amount)} ${currency ?? ''}`.trim();

/** The row's own approver when the inquiry returns one (a customer extension), else the business unit's. */
function approverOf(config: PeopleSoftAsanaConfig, row: { BUSINESS_UNIT: string } & Record<string, unknown>): string | undefined {
  const own = row.APPROVER_OPRID;
  return typeof own === 'string' && own !== '' ? own : config.businessUnitApprovers[row.BUSINESS_UNIT];
}

function assignee(config: PeopleSoftAsanaConfig, oprid: string | undefined): string | null {
  return oprid ? (config.approvers[oprid] ?? null) : null;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Pure: a PeopleSoft document -> the Asana task that asks for its approval. Throws MappingError when it cannot. */
export function mapDocument(config: PeopleSoftAsanaConfig, record: SourceRecord): TaskPayload {
  const data = record.data as DocumentData;
  if (data.kind === 'invalid') throw new MappingError(`PeopleSoft sent a ${data.object} row that fails the schema: ${data.issues}`);
  const fields = config.fields;
  if (data.kind === 'voucher') {
    const r = data.row;
    const vendor = text(r.VENDOR_NAME) ?? text(r.NAME1) ?? r.VENDOR_ID;
    const oprid = approverOf(config, r);
    return {
      name: `Approve voucher ${r.BUSINESS_UNIT}/${r.VOUCHER_ID} — ${vendor} — ${money(r.GROSS_AMT, r.TXN_CURRENCY_CD)}`,
      notes: `PeopleSoft voucher ${r.VOUCHER_ID} (business unit ${r.BUSINESS_UNIT}), invoice ${r.INVOICE_ID} of ${r.INVOICE_DT}. Complete this task to approve it; set the status to Denied first to deny it.`,
      assignee: assignee(config, oprid),
      dueOn: r.DUE_DT ? r.DUE_DT.slice(0, 10) : null,
      completed: r.APPR_STATUS !== 'P',
      customFields: encodeCustomFields(fields, {
        invoiceId: r.INVOICE_ID,
        businessUnit: r.BUSINESS_UNIT,
        vendorOrRequester: vendor,
        amount: r.GROSS_AMT,
        dueDate: r.DUE_DT ?? null,
        status: r.APPR_STATUS,
        externalKey: recordKey('voucher', r.BUSINESS_UNIT, r.VOUCHER_ID),
      }),
    };
  }
  const r = data.row;
  const requester = text(r.REQUESTOR_NAME) ?? r.REQUESTOR_ID;
  const oprid = approverOf(config, r);
  return {
    name: `Approve requisition ${r.BUSINESS_UNIT}/${r.REQ_ID} — ${requester} — ${money(r.MERCHANDISE_AMT, r.TXN_CURRENCY_CD)}`,
    notes: `PeopleSoft requisition ${r.REQ_ID} (business unit ${r.BUSINESS_UNIT})${r.REQ_NAME ? `: ${r.REQ_NAME}` : ''}. Complete this task to approve it; set the status to Denied first to deny it.`,
    assignee: assignee(config, oprid),
    // Requisitions carry no due date in REQ_HDR; the task gets none rather than an invented one.
    dueOn: null,
    completed: r.APPR_STATUS !== 'P',
    customFields: encodeCustomFields(fields, {
      requisitionId: r.REQ_ID,
      businessUnit: r.BUSINESS_UNIT,
      vendorOrRequester: requester,
      amount: r.MERCHANDISE_AMT ?? null,
      status: r.APPR_STATUS,
      externalKey: recordKey('requisition', r.BUSINESS_UNIT, r.REQ_ID),
    }),
  };
}
