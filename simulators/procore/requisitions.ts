import type { ProcoreStore, Rec } from './store';

/**
 * Requisitions (subcontractor invoices) as Procore keeps them
 * (https://developers.procore.com/reference/rest/v1/requisitions-subcontractor-invoices?version=1.0): a header per
 * billing period of a commitment (`commitment_id`, `period_id`, `number` counting the commitment's requisitions,
 * `status`, a `summary` of decimal strings) and detail lines, one per schedule-of-values line of the commitment, with
 * what was billed this period (`work_completed_this_period`, `materials_presently_stored`).
 */
export const REQUISITION_STATUSES = ['draft', 'under_review', 'revise_and_resubmit', 'approved', 'approved_as_noted', 'pending_owner_approval'] as const;

export interface RequisitionInput {
  projectId: string;
  commitmentId: string;
  status?: (typeof REQUISITION_STATUSES)[number];
  lines: { workCompletedThisPeriod: string; materialsPresentlyStored?: string; description?: string }[];
}

/** Exact sum of decimal strings (cents and beyond), never through floats. */
export function sumMoney(values: string[]): string {
  const scale = Math.max(2, ...values.map((v) => (v.includes('.') ? v.length - v.indexOf('.') - 1 : 0)));
  const units = values.reduce((acc, v) => {
    const [int = '0', frac = ''] = v.replace('-', '').split('.');
    const n = BigInt(int + frac.padEnd(scale, '0'));
    return acc + (v.startsWith('-') ? -n : n);
  }, 0n);
  const sign = units < 0n ? '-' : '';
  const digits = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

export const linesOf = (store: ProcoreStore, requisitionId: string) => store.all('requisitionLines').filter((l) => l.requisition_id === requisitionId);

/** The header's `summary`, from its lines (this simulator keeps no retainage: payment due = billed this period). */
export function summaryOf(store: ProcoreStore, r: Rec): Record<string, string> {
  const lines = linesOf(store, r.id);
  const billed = sumMoney(lines.map((l) => sumMoney([String(l.work_completed_this_period), String(l.materials_presently_stored)])));
  const contract = sumMoney(lines.map((l) => String(l.scheduled_value)));
  return { original_contract_sum: contract, contract_sum_to_date: contract, total_completed_and_stored_to_date: billed, current_payment_due: billed, total_retainage: '0.00', formatted_period: String(r.formatted_period ?? '') };
}

/** A requisition entered in Procore against a commitment (the subcontractor's pay application for this period). */
export function addRequisition(store: ProcoreStore, input: RequisitionInput): Rec {
  const commitment = store.get('commitments', input.commitmentId);
  if (!commitment || commitment.project_id !== input.projectId) throw new Error(`no purchase order contract ${input.commitmentId} in project ${input.projectId}`);
  const sov = store.all('commitmentLines').filter((l) => l.contract_id === commitment.id);
  const number = store.all('requisitions').filter((q) => q.commitment_id === commitment.id).length + 1;
  const r = store.insert('requisitions', {
    project_id: input.projectId,
    commitment_id: commitment.id,
    commitment_type: 'PurchaseOrderContract',
    contract_name: commitment.title ?? null,
    period_id: store.newId(),
    formatted_period: `Period ${number}`,
    number,
    status: input.status ?? 'approved',
    invoice_number: `INV-${number}`,
    billing_date: null,
    requisition_start: null,
    requisition_end: null,
    vendor_name: null,
    origin_id: null,
    origin_data: null,
    final: false,
  }, true);
  // Dates on the simulator clock: the billing date is the day it was entered.
  const today = r.created_at.slice(0, 10);
  Object.assign(r, { billing_date: today, requisition_start: today, requisition_end: today });
  input.lines.forEach((l, i) => {
    const line = sov[i];
    store.insert('requisitionLines', {
      requisition_id: r.id,
      item_type: 'line_item',
      item_number: i + 1,
      description_of_work: l.description ?? (line?.description as string | undefined) ?? `Line ${i + 1}`,
      cost_code_id: line?.cost_code_id ?? null,
      scheduled_value: String(line?.amount ?? '0.00'),
      work_completed_from_previous_application: '0.00',
      work_completed_this_period: l.workCompletedThisPeriod,
      materials_presently_stored: l.materialsPresentlyStored ?? '0.00',
      work_completed_retainage_retained_this_period: '0.00',
    }, true);
  });
  return r;
}
