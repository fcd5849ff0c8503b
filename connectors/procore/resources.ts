import { type z } from 'zod';
import { PartnerError } from '../../core/partner-error';
import type { ProcoreClient } from './client';
import { PROCORE } from './request-token';
import {
  changeOrderSchema,
  commitmentSchema,
  costCodeSchema,
  directCostSchema,
  syncAnswerSchema,
  vendorSchema,
  type ProcoreCommitment,
  type ProcoreDirectCost,
} from './schemas';
import { SyncBatcher, type SyncItem } from './sync-batcher';

/** `filters[updated_at]=<iso>...<iso>` (range filter: https://developers.procore.com/documentation/filtering-on-list-actions). */
const updatedBetween = (from: Date, to: Date) => ({ 'filters[updated_at]': `${from.toISOString()}...${to.toISOString()}` });

function parseAll<S extends z.ZodType>(schema: S, items: unknown[], operation: string): z.output<S>[] {
  return items.map((item) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) return parsed.data;
    throw new PartnerError(`procore ${operation}: an item does not match the documented shape (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`, {
      partner: PROCORE,
      operation,
      status: 200,
      rawBody: JSON.stringify(item).slice(0, 4096),
      decision: { retry: false, reason: 'answer did not match the documented shape' },
      code: 'PROCORE_UNEXPECTED_RESPONSE',
    });
  });
}

/** The Procore endpoints the pair uses, over one client (company). */
export function procoreResources(client: ProcoreClient) {
  const company = client.companyId;
  const syncAnswer = async (operation: string, path: string, query: Record<string, string>, items: SyncItem[]) => {
    const res = await client.send({ operation, method: 'PATCH', path, query, body: { updates: items } });
    return syncAnswerSchema.parse(res.data);
  };
  // PATCH /rest/v1.0/vendors/sync (https://developers.procore.com/reference/rest/v1/company-vendors#sync-company-vendors)
  const vendorSync = new SyncBatcher('PATCH /rest/v1.0/vendors/sync', (items) => syncAnswer('PATCH /rest/v1.0/vendors/sync', '/rest/v1.0/vendors/sync', { company_id: company }, items));

  // PATCH /rest/v1.0/purchase_order_contracts/sync?project_id= (https://developers.procore.com/reference/rest/v1/purchase-order-contracts#sync-purchase-order-contracts):
  // one batcher per project (the project is a query parameter of the call).
  const commitmentSyncs = new Map<string, SyncBatcher>();
  const commitmentSync = (projectId: string) => {
    let b = commitmentSyncs.get(projectId);
    if (!b) {
      const op = 'PATCH /rest/v1.0/purchase_order_contracts/sync';
      b = new SyncBatcher(op, (items) => syncAnswer(op, '/rest/v1.0/purchase_order_contracts/sync', { project_id: projectId }, items));
      commitmentSyncs.set(projectId, b);
    }
    return b;
  };

  // PATCH /rest/v1.0/cost_codes/sync?project_id= (https://developers.procore.com/reference/rest/v1/cost-codes#sync-cost-codes)
  const costCodeSyncs = new Map<string, SyncBatcher>();
  const costCodeSync = (projectId: string) => {
    let b = costCodeSyncs.get(projectId);
    if (!b) {
      const op = 'PATCH /rest/v1.0/cost_codes/sync';
      b = new SyncBatcher(op, (items) => syncAnswer(op, '/rest/v1.0/cost_codes/sync', { project_id: projectId }, items));
      costCodeSyncs.set(projectId, b);
    }
    return b;
  };

  return {
    /** Create or update one commitment's header by origin_id, batched with its neighbours into one sync call. */
    async syncCommitment(projectId: string, item: SyncItem): Promise<ProcoreCommitment> {
      return commitmentSchema.parse(await commitmentSync(projectId).submit(item));
    },
    /**
     * A commitment's line items by origin_id (PATCH /rest/v1.0/purchase_order_contracts/{id}/line_items/sync): a repeat
     * updates the same lines instead of adding more. A line refused in the 200 answer fails the record, with Procore's words.
     */
    async syncCommitmentLines(projectId: string, id: string, lines: SyncItem[]): Promise<void> {
      if (lines.length === 0) return;
      const op = 'PATCH /rest/v1.0/purchase_order_contracts/{id}/line_items/sync';
      const answer = await syncAnswer(op, `/rest/v1.0/purchase_order_contracts/${id}/line_items/sync`, { project_id: projectId }, lines);
      if (answer.errors.length > 0) {
        throw new PartnerError(`procore ${op}: ${answer.errors.length} line item(s) refused in a 200 answer`, { partner: PROCORE, operation: op, status: 200, rawBody: JSON.stringify(answer.errors).slice(0, 8192), decision: { retry: false, reason: 'Procore refused line items of the sync action' }, code: 'PROCORE_SYNC_ITEM_ERROR' });
      }
    },
    // GET /rest/v1.0/vendors?company_id= (https://developers.procore.com/reference/rest/v1/company-vendors#list-company-vendors)
    async listVendors(from: Date, to: Date) {
      const op = 'GET /rest/v1.0/vendors';
      return parseAll(vendorSchema, await client.listAll({ operation: op, path: '/rest/v1.0/vendors', query: { company_id: company, ...updatedBetween(from, to) } }), op);
    },
    async findVendorByOrigin(originId: string) {
      const op = 'GET /rest/v1.0/vendors';
      const found = parseAll(vendorSchema, await client.listAll({ operation: op, path: '/rest/v1.0/vendors', query: { company_id: company, 'filters[origin_id]': originId } }), op);
      return found[0];
    },
    // GET /rest/v1.0/vendors/{id}?company_id=
    async getVendor(id: string) {
      const op = 'GET /rest/v1.0/vendors/{id}';
      return vendorSchema.parse((await client.send({ operation: op, method: 'GET', path: `/rest/v1.0/vendors/${id}`, query: { company_id: company } })).data);
    },
    /** Create or update one vendor by origin_id, batched with its neighbours into one sync call. */
    async syncVendor(item: SyncItem) {
      return vendorSchema.parse(await vendorSync.submit(item));
    },
    // GET /rest/v1.0/cost_codes?project_id= (https://developers.procore.com/reference/rest/v1/cost-codes)
    async listCostCodes(projectId: string) {
      const op = 'GET /rest/v1.0/cost_codes';
      return parseAll(costCodeSchema, await client.listAll({ operation: op, path: '/rest/v1.0/cost_codes', query: { project_id: projectId } }), op);
    },
    /** Create or update one cost code of a project by origin_id (PATCH /rest/v1.0/cost_codes/sync?project_id=, batched per project). */
    async syncCostCode(projectId: string, item: SyncItem) {
      return costCodeSchema.parse(await costCodeSync(projectId).submit(item));
    },
    // GET /rest/v1.0/purchase_order_contracts?project_id= (https://developers.procore.com/reference/rest/v1/purchase-order-contracts)
    async listCommitments(projectId: string, from: Date, to: Date) {
      const op = 'GET /rest/v1.0/purchase_order_contracts';
      return parseAll(commitmentSchema, await client.listAll({ operation: op, path: '/rest/v1.0/purchase_order_contracts', query: { project_id: projectId, ...updatedBetween(from, to) } }), op);
    },
    async findCommitmentByOrigin(projectId: string, originId: string): Promise<ProcoreCommitment | undefined> {
      const op = 'GET /rest/v1.0/purchase_order_contracts';
      return parseAll(commitmentSchema, await client.listAll({ operation: op, path: '/rest/v1.0/purchase_order_contracts', query: { project_id: projectId, 'filters[origin_id]': originId } }), op)[0];
    },
    // GET /rest/v1.0/purchase_order_contracts/{id}?project_id= (show: with line items)
    async getCommitment(projectId: string, id: string): Promise<ProcoreCommitment> {
      const op = 'GET /rest/v1.0/purchase_order_contracts/{id}';
      return commitmentSchema.parse((await client.send({ operation: op, method: 'GET', path: `/rest/v1.0/purchase_order_contracts/${id}`, query: { project_id: projectId } })).data);
    },
    /**
     * Direct costs changed in a window with their line items: GET /rest/v1.1/projects/{id}/direct_costs (list, no line
     * items: https://developers.procore.com/reference/rest/v1/direct-costs) and the project's direct cost line items
     * GET /rest/v1.0/projects/{id}/direct_costs/line_items, grouped by holder.
     */
    async listDirectCosts(projectId: string, from: Date, to: Date): Promise<ProcoreDirectCost[]> {
      const op = 'GET /rest/v1.1/projects/{id}/direct_costs';
      const costs = parseAll(directCostSchema, await client.listAll({ operation: op, path: `/rest/v1.1/projects/${projectId}/direct_costs`, query: updatedBetween(from, to) }), op);
      if (costs.length === 0) return costs;
      const lineOp = 'GET /rest/v1.0/projects/{id}/direct_costs/line_items';
      const lines = await client.listAll({ operation: lineOp, path: `/rest/v1.0/projects/${projectId}/direct_costs/line_items` });
      const byHolder = new Map<string, unknown[]>();
      for (const line of lines) {
        const holder = String((line as { holder?: { id?: unknown } }).holder?.id ?? '');
        byHolder.set(holder, [...(byHolder.get(holder) ?? []), line]);
      }
      return costs.map((c) => directCostSchema.parse({ ...c, project_id: projectId, line_items: byHolder.get(c.id) ?? [] }));
    },
    // GET /rest/v1.1/projects/{project_id}/direct_costs/{id} (show, with line items)
    async getDirectCost(projectId: string, id: string): Promise<ProcoreDirectCost> {
      const op = 'GET /rest/v1.1/projects/{id}/direct_costs/{id}';
      return directCostSchema.parse({ project_id: projectId, ...(await client.send({ operation: op, method: 'GET', path: `/rest/v1.1/projects/${projectId}/direct_costs/${id}` })).data as object });
    },
    // GET /rest/v1.0/projects/{project_id}/commitment_change_orders
    async listChangeOrders(projectId: string, from: Date, to: Date) {
      const op = 'GET /rest/v1.0/projects/{id}/commitment_change_orders';
      return parseAll(changeOrderSchema, await client.listAll({ operation: op, path: `/rest/v1.0/projects/${projectId}/commitment_change_orders`, query: updatedBetween(from, to) }), op);
    },
    async getChangeOrder(projectId: string, id: string) {
      const op = 'GET /rest/v1.0/projects/{id}/commitment_change_orders/{id}';
      return changeOrderSchema.parse((await client.send({ operation: op, method: 'GET', path: `/rest/v1.0/projects/${projectId}/commitment_change_orders/${id}` })).data);
    },
  };
}
export type ProcoreResources = ReturnType<typeof procoreResources>;
