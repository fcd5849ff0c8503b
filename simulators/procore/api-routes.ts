import { Router, type Request, type Response } from 'express';
import type { SimContext } from './context';
import { sendProcore } from './json';
import { filtered, page } from './paging';
import type { Kind, Rec } from './store';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const notFound = (res: Response, what: string) => sendProcore(res, 404, { errors: `${what} not found` });
const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** Money comes in as decimal strings (numbers are accepted, as Procore does) and is kept as the text given. */
function money(v: unknown): string | undefined {
  const s = str(v);
  return s !== undefined && DECIMAL.test(s) ? s : undefined;
}

function list(ctx: SimContext, req: Request, res: Response, kind: Kind, keep: (r: Rec) => boolean = () => true): void {
  sendProcore(res, 200, page(req, res, filtered(req, ctx.store.all(kind).filter(keep))));
}

/** Vendor attributes validated like Procore's create/update (name required); errors in Procore's `{field: [msgs]}` form. */
function vendorErrors(item: Record<string, unknown>): Record<string, string[]> | undefined {
  if (typeof item.name !== 'string' || item.name.trim() === '') return { name: ["can't be blank"] };
  return undefined;
}

export function apiRoutes(ctx: SimContext): Router {
  const r = Router();
  const { store } = ctx;
  const projectOf = (req: Request) => str(req.query.project_id) ?? str(req.params.projectId) ?? str((req.body as Record<string, unknown> | undefined)?.project_id);

  // https://developers.procore.com/reference/rest/v1/companies#list-companies
  r.get('/rest/v1.0/companies', (_req, res) => sendProcore(res, 200, [{ id: store.companyId, name: 'Simulated GC', is_active: true }]));
  // https://developers.procore.com/reference/rest/v1/projects#list-projects
  r.get('/rest/v1.0/projects', (req, res) => list(ctx, req, res, 'projects'));

  // Company vendors: https://developers.procore.com/reference/rest/v1/company-vendors
  r.get('/rest/v1.0/vendors', (req, res) => list(ctx, req, res, 'vendors'));
  r.get('/rest/v1.0/vendors/:id', (req, res) => {
    const v = store.get('vendors', req.params.id);
    return v ? sendProcore(res, 200, v) : notFound(res, 'Vendor');
  });
  // Sync: always 200 with entities and errors (https://developers.procore.com/documentation/using-sync-actions).
  r.patch('/rest/v1.0/vendors/sync', (req, res) => {
    const updates = (req.body as { updates?: unknown }).updates;
    if (!Array.isArray(updates) || updates.length > 1000) return sendProcore(res, 200, { entities: [], errors: [{ errors: { updates: ['must be an array of at most 1000 items'] } }] });
    const entities: Rec[] = [];
    const errors: Record<string, unknown>[] = [];
    const injected = ctx.syncErrors.get('vendors');
    for (const raw of updates as Record<string, unknown>[]) {
      const origin = str(raw.origin_id);
      const id = str(raw.id);
      const refused = (origin && injected?.[origin] ? { base: injected[origin] } : undefined) ?? vendorErrors(raw);
      if (refused) {
        errors.push({ ...raw, errors: refused });
        continue;
      }
      const existing = id ? store.get('vendors', id) : origin ? store.byOrigin('vendors', origin) : undefined;
      if (id && !existing) {
        errors.push({ ...raw, errors: { id: ['Entity with this ID not found'] } });
        continue;
      }
      const fields = { name: raw.name, is_active: raw.is_active ?? true, origin_id: origin ?? null, origin_data: str(raw.origin_data) ?? null, abbreviated_name: raw.abbreviated_name ?? null };
      entities.push(existing ? store.update('vendors', existing.id, fields) : store.insert('vendors', fields));
    }
    sendProcore(res, 200, { entities, errors });
  });

  // Cost codes: https://developers.procore.com/reference/rest/v1/cost-codes
  r.get('/rest/v1.0/cost_codes', (req, res) => list(ctx, req, res, 'costCodes', (c) => c.project_id === projectOf(req)));

  // Sync cost codes of a project by id/origin_id, always 200 (code required, unique in the project).
  r.patch('/rest/v1.0/cost_codes/sync', (req, res) => {
    const projectId = projectOf(req);
    if (!projectId || !store.get('projects', projectId)) return sendProcore(res, 404, { errors: 'Project not found' });
    const updates = (req.body as { updates?: unknown }).updates;
    const entities: Record<string, unknown>[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const raw of (Array.isArray(updates) ? updates.slice(0, 1000) : []) as Record<string, unknown>[]) {
      const origin = str(raw.origin_id);
      const code = str(raw.code);
      const existing = origin ? store.byOrigin('costCodes', origin) : undefined;
      const clash = store.all('costCodes').find((c) => c.project_id === projectId && c.code === code && c !== existing);
      if (!code) errors.push({ ...raw, errors: { code: ["can't be blank"] } });
      else if (clash && clash.origin_id) errors.push({ ...raw, errors: { code: ['has already been taken'] } });
      else {
        const target = existing ?? clash;
        const fields = { project_id: projectId, code, full_code: code, name: raw.name ?? null, origin_id: origin ?? null };
        entities.push(target ? store.update('costCodes', target.id, fields) : store.insert('costCodes', fields));
      }
    }
    sendProcore(res, 200, { entities, errors });
  });

  // Purchase order contracts: https://developers.procore.com/reference/rest/v1/purchase-order-contracts
  const withLines = (c: Rec) => ({ ...c, line_items: store.all('commitmentLines').filter((l) => l.contract_id === c.id) });
  r.get('/rest/v1.0/purchase_order_contracts', (req, res) => list(ctx, req, res, 'commitments', (c) => c.project_id === projectOf(req)));
  r.get('/rest/v1.0/purchase_order_contracts/:id', (req, res) => {
    const c = store.get('commitments', req.params.id);
    return c && c.project_id === projectOf(req) ? sendProcore(res, 200, withLines(c)) : notFound(res, 'Purchase Order Contract');
  });
  r.post('/rest/v1.0/purchase_order_contracts', (req, res) => {
    const projectId = projectOf(req);
    const body = ((req.body as Record<string, unknown>).purchase_order_contract ?? {}) as Record<string, unknown>;
    if (!projectId || !store.get('projects', projectId)) return sendProcore(res, 404, { errors: 'Project not found' });
    const vendorId = str(body.vendor_id);
    if (vendorId && !store.get('vendors', vendorId)) return sendProcore(res, 422, { errors: { vendor: ['must exist'] } });
    const origin = str(body.origin_id);
    if (origin && store.byOrigin('commitments', origin)) return sendProcore(res, 422, { errors: { origin_id: ['has already been taken'] } });
    const c = store.insert('commitments', { project_id: projectId, number: str(body.number) ?? null, title: body.title ?? null, status: body.status ?? 'Draft', vendor: vendorId ? { id: vendorId } : null, origin_id: origin ?? null, origin_data: str(body.origin_data) ?? null, grand_total: '0.00' });
    sendProcore(res, 201, withLines(c));
  });
  // Sync purchase order contracts by id/origin_id, always 200 (https://developers.procore.com/documentation/using-sync-actions).
  r.patch('/rest/v1.0/purchase_order_contracts/sync', (req, res) => {
    const projectId = projectOf(req);
    const updates = (req.body as { updates?: unknown }).updates;
    if (!projectId || !store.get('projects', projectId)) return sendProcore(res, 404, { errors: 'Project not found' });
    if (!Array.isArray(updates) || updates.length > 1000) return sendProcore(res, 200, { entities: [], errors: [{ errors: { updates: ['must be an array of at most 1000 items'] } }] });
    const entities: Record<string, unknown>[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const raw of updates as Record<string, unknown>[]) {
      const origin = str(raw.origin_id);
      const id = str(raw.id);
      const vendorId = str(raw.vendor_id);
      const existing = id ? store.get('commitments', id) : origin ? store.byOrigin('commitments', origin) : undefined;
      if (id && !existing) errors.push({ ...raw, errors: { id: ['Entity with this ID not found'] } });
      else if (vendorId && !store.get('vendors', vendorId)) errors.push({ ...raw, errors: { vendor: ['must exist'] } });
      else if (existing && existing.project_id !== projectId) errors.push({ ...raw, errors: { origin_id: ['has already been taken'] } });
      else {
        const fields = { project_id: projectId, number: str(raw.number) ?? existing?.number ?? null, title: raw.title ?? existing?.title ?? null, status: raw.status ?? existing?.status ?? 'Draft', vendor: vendorId ? { id: vendorId } : (existing?.vendor ?? null), origin_id: origin ?? existing?.origin_id ?? null, origin_data: str(raw.origin_data) ?? existing?.origin_data ?? null };
        entities.push(withLines(existing ? store.update('commitments', existing.id, fields) : store.insert('commitments', { ...fields, grand_total: '0.00' })));
      }
    }
    sendProcore(res, 200, { entities, errors });
  });
  // Sync a contract's line items by id/origin_id, always 200.
  r.patch('/rest/v1.0/purchase_order_contracts/:id/line_items/sync', (req, res) => {
    const c = store.get('commitments', req.params.id);
    if (!c) return notFound(res, 'Purchase Order Contract');
    const updates = (req.body as { updates?: unknown }).updates;
    const entities: Record<string, unknown>[] = [];
    const errors: Record<string, unknown>[] = [];
    for (const raw of (Array.isArray(updates) ? updates : []) as Record<string, unknown>[]) {
      const amount = money(raw.amount);
      const origin = str(raw.origin_id);
      if (amount === undefined) {
        errors.push({ ...raw, errors: { amount: ['is not a number'] } });
        continue;
      }
      const existing = origin ? store.all('commitmentLines').find((l) => l.contract_id === c.id && l.origin_id === origin) : undefined;
      const fields = { contract_id: c.id, origin_id: origin ?? null, description: raw.description ?? null, amount, quantity: money(raw.quantity) ?? null, unit_cost: money(raw.unit_cost) ?? null, cost_code_id: str(raw.cost_code_id) ?? null };
      entities.push(existing ? Object.assign(existing, fields) : store.insert('commitmentLines', fields, true));
    }
    sendProcore(res, 200, { entities, errors });
  });
  r.patch('/rest/v1.0/purchase_order_contracts/:id', (req, res) => {
    const c = store.get('commitments', req.params.id);
    if (!c) return notFound(res, 'Purchase Order Contract');
    const body = ((req.body as Record<string, unknown>).purchase_order_contract ?? {}) as Record<string, unknown>;
    const fields = Object.fromEntries(['title', 'status', 'number'].filter((k) => k in body).map((k) => [k, body[k]]));
    sendProcore(res, 200, withLines(store.update('commitments', c.id, fields)));
  });
  r.post('/rest/v1.0/purchase_order_contracts/:id/line_items', (req, res) => {
    const c = store.get('commitments', req.params.id);
    if (!c) return notFound(res, 'Purchase Order Contract');
    const li = ((req.body as Record<string, unknown>).line_item ?? {}) as Record<string, unknown>;
    const amount = money(li.amount);
    if (amount === undefined) return sendProcore(res, 422, { errors: { amount: ['is not a number'] } });
    const line = store.insert('commitmentLines', { contract_id: c.id, description: li.description ?? null, amount, quantity: money(li.quantity) ?? null, unit_cost: money(li.unit_cost) ?? null, cost_code_id: str(li.cost_code_id) ?? null }, true);
    sendProcore(res, 201, line);
  });

  // Direct costs v1.1: https://developers.procore.com/reference/rest/v1/direct-costs
  const costLines = (dc: Rec) => store.all('directCostLines').filter((l) => (l.holder as { id: string }).id === dc.id);
  r.get('/rest/v1.1/projects/:projectId/direct_costs', (req, res) => {
    const rows = filtered(req, store.all('directCosts').filter((d) => d.project_id === req.params.projectId));
    sendProcore(res, 200, page(req, res, rows).map((d) => ({ ...d, line_items_count: costLines(d).length })));
  });
  r.get('/rest/v1.1/projects/:projectId/direct_costs/:id', (req, res) => {
    const d = store.get('directCosts', req.params.id);
    return d && d.project_id === req.params.projectId ? sendProcore(res, 200, { ...d, line_items: costLines(d) }) : notFound(res, 'Direct Cost');
  });
  r.get('/rest/v1.0/projects/:projectId/direct_costs/line_items', (req, res) => {
    const lines = store.all('directCostLines').filter((l) => l.project_id === req.params.projectId);
    sendProcore(res, 200, page(req, res, lines));
  });
  // A direct cost with an origin_id is immutable (https://developers.procore.com/documentation/tutorial-financial-tools).
  r.patch('/rest/v1.1/projects/:projectId/direct_costs/:id', (req, res) => {
    const d = store.get('directCosts', req.params.id);
    if (!d) return notFound(res, 'Direct Cost');
    if (d.origin_id) return sendProcore(res, 422, { errors: { base: ['Direct Costs with an origin_id cannot be modified'] } });
    sendProcore(res, 200, store.update('directCosts', d.id, { description: (req.body as Record<string, unknown>).description ?? d.description }));
  });

  // Commitment change orders: https://developers.procore.com/reference/rest/v1/commitment-change-orders
  r.get('/rest/v1.0/projects/:projectId/commitment_change_orders', (req, res) => list(ctx, req, res, 'changeOrders', (c) => c.project_id === req.params.projectId));
  r.get('/rest/v1.0/projects/:projectId/commitment_change_orders/:id', (req, res) => {
    const c = store.get('changeOrders', req.params.id);
    return c && c.project_id === req.params.projectId ? sendProcore(res, 200, c) : notFound(res, 'Change Order');
  });
  return r;
}
