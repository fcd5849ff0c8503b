import { Router, type Request } from 'express';
import type { SimContext } from './context';
import { sendProcore } from './json';
import type { Rec } from './store';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
/** "Create Direct Cost ... line_items_attributes": at most 100 line items per create (partner-apis.md §3, procore/documentation). */
const MAX_LINES = 100;
const TYPES = new Set(['invoice', 'expense', 'payroll', 'subcontractor_invoice']);

/** What a create would store, or Procore's 422 `{errors: {field: [msgs]}}`. */
function validate(ctx: SimContext, projectId: string, body: Record<string, unknown>): { errors: Record<string, string[]> } | { cost: Record<string, unknown>; lines: Record<string, unknown>[] } {
  const { store } = ctx;
  const raw = body.line_items_attributes;
  if (!Array.isArray(raw) || raw.length === 0) return { errors: { line_items: ["can't be blank"] } };
  if (raw.length > MAX_LINES) return { errors: { line_items_attributes: [`is too long (maximum is ${MAX_LINES} line items)`] } };
  const type = str(body.direct_cost_type) ?? 'invoice';
  if (!TYPES.has(type)) return { errors: { direct_cost_type: ['is not included in the list'] } };
  const origin = str(body.origin_id);
  // origin_id is unique per company (https://developers.procore.com/documentation/using-sync-actions).
  if (origin && store.byOrigin('directCosts', origin)) return { errors: { origin_id: ['has already been taken'] } };
  const vendorId = str(body.vendor_id);
  if (vendorId && !store.get('vendors', vendorId)) return { errors: { vendor: ['must exist'] } };
  const lines: Record<string, unknown>[] = [];
  for (const [i, l] of (raw as Record<string, unknown>[]).entries()) {
    const amount = str(l.amount);
    if (amount === undefined || !DECIMAL.test(amount)) return { errors: { [`line_items[${i}].amount`]: ['is not a number'] } };
    const codeId = str(l.cost_code_id);
    const code = codeId ? store.get('costCodes', codeId) : undefined;
    if (!code || code.project_id !== projectId) return { errors: { [`line_items[${i}].cost_code`]: ['must exist'] } };
    lines.push({ project_id: projectId, description: str(l.description) ?? null, amount, origin_id: str(l.origin_id) ?? null, cost_code: { id: code.id, code: code.code, full_code: code.full_code } });
  }
  const cost = {
    project_id: projectId,
    description: str(body.description) ?? null,
    direct_cost_type: type,
    status: str(body.status) ?? 'draft',
    direct_cost_date: str(body.direct_cost_date) ?? ctx.clock.now().toISOString().slice(0, 10),
    invoice_number: str(body.invoice_number) ?? null,
    vendor: vendorId ? { id: vendorId } : null,
    origin_id: origin ?? null,
    origin_data: str(body.origin_data) ?? null,
  };
  return { cost, lines };
}

/** Direct costs v1.1, create (the reads and the immutable PATCH live in api-routes.ts). */
export function directCostRoutes(ctx: SimContext): Router {
  const r = Router();
  const { store } = ctx;
  // POST /rest/v1.1/projects/{project_id}/direct_costs with `{direct_cost: {..., line_items_attributes}}`:
  // https://developers.procore.com/reference/rest/direct-costs?version=1.1 (create, 201 with the cost and its line items).
  r.post('/rest/v1.1/projects/:projectId/direct_costs', (req: Request, res) => {
    const projectId = req.params.projectId as string;
    if (!store.get('projects', projectId)) return sendProcore(res, 404, { errors: 'Project not found' });
    const body = ((req.body as Record<string, unknown>).direct_cost ?? {}) as Record<string, unknown>;
    const checked = validate(ctx, projectId, body);
    if ('errors' in checked) return sendProcore(res, 422, { errors: checked.errors });
    // The lines exist before the cost's create event fires, as in one Procore transaction.
    const dc = store.insert('directCosts', checked.cost, true);
    const lines: Rec[] = checked.lines.map((l) => store.insert('directCostLines', { ...l, holder: { id: dc.id, type: 'DirectCost' } }, true));
    ctx.webhooks.emit('directCosts', dc, 'create');
    sendProcore(res, 201, { ...dc, line_items: lines });
  });
  return r;
}
