import { z } from 'zod';
import { PartnerError } from '../../core/partner-error';
import type { ProcoreClient } from './client';
import { PROCORE } from './request-token';
import { idSchema, moneySchema } from './schemas';

/**
 * Requisitions (subcontractor invoices, "payment applications" on a commitment), REST v1.0
 * (https://developers.procore.com/reference/rest/v1/requisitions-subcontractor-invoices?version=1.0). The list and the
 * show carry the header: `commitment_id`, `period_id`, `status` (draft, under_review, revise_and_resubmit, approved,
 * approved_as_noted, pending_owner_approval), `number` (an integer), `invoice_number`, `billing_date`, the billing
 * period's `requisition_start`/`requisition_end`, and a `summary` of decimal strings. The amounts billed this period
 * per schedule-of-values line are in `GET /rest/v1.0/requisitions/{requisition_id}/detail?project_id=` (an array of
 * detail lines: `work_completed_this_period`, `materials_presently_stored`, `description_of_work`, `cost_code_id`...).
 */
export const requisitionSchema = z.looseObject({
  id: idSchema,
  project_id: idSchema.nullish(),
  commitment_id: idSchema,
  commitment_type: z.string().nullish(),
  contract_name: z.string().nullish(),
  period_id: idSchema.nullish(),
  status: z.string(),
  number: z.union([z.number().int(), z.string()]).nullish(),
  invoice_number: z.string().nullish(),
  billing_date: z.string().nullish(),
  requisition_start: z.string().nullish(),
  requisition_end: z.string().nullish(),
  vendor_name: z.string().nullish(),
  origin_id: z.string().nullish(),
  summary: z.looseObject({ current_payment_due: moneySchema.nullish(), total_completed_and_stored_to_date: moneySchema.nullish(), formatted_period: z.string().nullish() }).nullish(),
  created_at: z.string().optional(),
  updated_at: z.string(),
});
export type ProcoreRequisition = z.output<typeof requisitionSchema>;

export const requisitionLineSchema = z.looseObject({
  id: idSchema.nullish(),
  item_type: z.string().nullish(),
  item_number: z.union([z.number().int(), z.string()]).nullish(),
  description_of_work: z.string().nullish(),
  cost_code_id: idSchema.nullish(),
  scheduled_value: moneySchema.nullish(),
  work_completed_this_period: moneySchema.nullish(),
  materials_presently_stored: moneySchema.nullish(),
});
export type ProcoreRequisitionLine = z.output<typeof requisitionLineSchema>;

/** A requisition with its detail lines, as the pair maps it. */
export interface ProcoreRequisitionWithLines {
  requisition: ProcoreRequisition;
  lines: ProcoreRequisitionLine[];
}

function parsed<S extends z.ZodType>(schema: S, data: unknown, operation: string): z.output<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  throw new PartnerError(`procore ${operation}: the answer does not match the documented shape (${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`, {
    partner: PROCORE,
    operation,
    status: 200,
    rawBody: JSON.stringify(data)?.slice(0, 4096),
    decision: { retry: false, reason: 'answer did not match the documented shape' },
    code: 'PROCORE_UNEXPECTED_RESPONSE',
  });
}

export function procoreRequisitions(client: ProcoreClient) {
  const detail = async (projectId: string, id: string) => {
    const op = 'GET /rest/v1.0/requisitions/{id}/detail';
    const res = await client.send({ operation: op, method: 'GET', path: `/rest/v1.0/requisitions/${id}/detail`, query: { project_id: projectId } });
    return parsed(z.array(requisitionLineSchema), res.data, op);
  };
  return {
    /**
     * Requisitions of a project changed in a window (GET /rest/v1.0/requisitions?project_id=&filters[updated_at]=, the
     * list documented above), each with its detail lines.
     */
    async listRequisitions(projectId: string, from: Date, to: Date): Promise<ProcoreRequisitionWithLines[]> {
      const op = 'GET /rest/v1.0/requisitions';
      const rows = await client.listAll({ operation: op, path: '/rest/v1.0/requisitions', query: { project_id: projectId, 'filters[updated_at]': `${from.toISOString()}...${to.toISOString()}` } });
      const out: ProcoreRequisitionWithLines[] = [];
      for (const row of rows) {
        const requisition = parsed(requisitionSchema, row, op);
        out.push({ requisition, lines: await detail(projectId, requisition.id) });
      }
      return out;
    },
    // GET /rest/v1.0/requisitions/{id}?project_id= (show) and its detail lines.
    async getRequisition(projectId: string, id: string): Promise<ProcoreRequisitionWithLines> {
      const op = 'GET /rest/v1.0/requisitions/{id}';
      const res = await client.send({ operation: op, method: 'GET', path: `/rest/v1.0/requisitions/${id}`, query: { project_id: projectId } });
      return { requisition: parsed(requisitionSchema, res.data, op), lines: await detail(projectId, id) };
    },
  };
}
export type ProcoreRequisitions = ReturnType<typeof procoreRequisitions>;
