import { z } from 'zod';
import type { ProcoreClient } from './client';
import { directCostSchema, type ProcoreDirectCost } from './schemas';

/** Procore refuses more than 100 line items in one direct cost create (v1.1): callers split above this. */
export const MAX_DIRECT_COST_LINES = 100;

/** One line of a direct cost we create: money as decimal text, the cost code by id (a digit string: ids are 64-bit). */
export const directCostLineInputSchema = z
  .object({ amount: z.string().regex(/^-?\d+(\.\d+)?$/, 'a decimal string'), description: z.string().max(255), cost_code_id: z.string().regex(/^\d+$/) })
  .strict();

export const directCostInputSchema = z
  .object({
    direct_cost_type: z.enum(['invoice', 'expense', 'payroll', 'subcontractor_invoice']),
    direct_cost_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    status: z.enum(['draft', 'pending', 'revise_and_resubmit', 'approved']),
    vendor_id: z.string().regex(/^\d+$/),
    invoice_number: z.string().max(255).optional(),
    description: z.string().max(255),
    origin_id: z.string().min(1),
    origin_data: z.string().optional(),
    line_items_attributes: z.array(directCostLineInputSchema).min(1).max(MAX_DIRECT_COST_LINES),
  })
  .strict();
export type DirectCostInput = z.input<typeof directCostInputSchema>;

/** Direct cost writes and the origin_id lookup that makes them safe to repeat after a crash. */
export function procoreDirectCosts(client: ProcoreClient) {
  return {
    /**
     * POST /rest/v1.1/projects/{project_id}/direct_costs, body `{direct_cost: {..., origin_id, line_items_attributes: [...]}}`:
     * https://developers.procore.com/reference/rest/direct-costs?version=1.1 (fields as in the published SDK models:
     * https://hexdocs.pm/procore_sdk/Procore.Model.DirectCostItem1.html, https://hexdocs.pm/procore_sdk/Procore.Model.RestV11ProjectsProjectIdDirectCostsPost201Response.html).
     * At most 100 line items per create (partner-apis.md §3). A cost carrying an origin_id can never be edited again
     * (https://developers.procore.com/documentation/tutorial-financial-tools): a later change is a new, adjusting cost.
     */
    async createDirectCost(projectId: string, input: DirectCostInput): Promise<ProcoreDirectCost> {
      const op = 'POST /rest/v1.1/projects/{id}/direct_costs';
      // Ids go as digit strings (Rails casts them): a JSON number would lose digits above 2^53.
      const body = directCostInputSchema.parse(input);
      const res = await client.send({ operation: op, method: 'POST', path: `/rest/v1.1/projects/${projectId}/direct_costs`, body: { direct_cost: body } });
      return directCostSchema.parse({ project_id: projectId, ...(res.data as object) });
    },
    /** GET /rest/v1.1/projects/{project_id}/direct_costs?filters[origin_id]= (https://developers.procore.com/documentation/filtering-on-list-actions), then the cost with its lines. */
    async findDirectCostByOrigin(projectId: string, originId: string): Promise<ProcoreDirectCost | undefined> {
      const op = 'GET /rest/v1.1/projects/{id}/direct_costs';
      const found = await client.listAll({ operation: op, path: `/rest/v1.1/projects/${projectId}/direct_costs`, query: { 'filters[origin_id]': originId } });
      const first = found[0] as { id?: unknown } | undefined;
      if (first?.id === undefined) return undefined;
      const showOp = 'GET /rest/v1.1/projects/{id}/direct_costs/{id}';
      const res = await client.send({ operation: showOp, method: 'GET', path: `/rest/v1.1/projects/${projectId}/direct_costs/${String(first.id)}` });
      return directCostSchema.parse({ project_id: projectId, ...(res.data as object) });
    },
  };
}
