import { Router } from 'express';
import { z } from 'zod';
import { sumDecimals } from '../../core/decimal';
import type { SimContext } from './context';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);
const editDirectCostSchema = z.object({ amounts: z.array(decimal).min(1) }).strict();
/** A change order line on a cost code of the project (by code, as a user picks it), or on none. */
const coLinesSchema = z.array(z.object({ amount: decimal, costCode: z.string().optional(), description: z.string().optional() }).strict()).min(1);
const addChangeOrderSchema = z.object({ projectId: z.string(), lines: coLinesSchema }).strict();
const editChangeOrderSchema = z.object({ lines: coLinesSchema }).strict();

/**
 * `/__admin` edits people make in Procore's UI after a cost was posted: a direct cost's line amounts, a change order
 * with line items on cost codes, and its later edit. Each bumps updated_at and fires the resource's update webhook.
 */
export function adminCostRoutes(ctx: SimContext): Router {
  const r = Router();
  const { store } = ctx;
  const coLines = (projectId: string, lines: z.output<typeof coLinesSchema>) =>
    lines.map((l, i) => {
      const code = l.costCode ? store.all('costCodes').find((c) => c.project_id === projectId && c.code === l.costCode) : undefined;
      if (l.costCode && !code) throw new Error(`no cost code ${l.costCode} in project ${projectId}`);
      return { id: store.newId(), description: l.description ?? `CO line ${i + 1}`, amount: l.amount, cost_code: code ? { id: code.id, code: code.code, full_code: code.full_code } : null };
    });

  r.patch('/direct-costs/:id', (req, res) => {
    const dc = store.get('directCosts', req.params.id);
    if (!dc) return void res.status(404).json({ error: 'no such direct cost' });
    // Procore refuses edits of a cost carrying an origin_id (https://developers.procore.com/documentation/tutorial-financial-tools).
    if (dc.origin_id) return void res.status(422).json({ error: 'Direct Costs with an origin_id cannot be modified' });
    const { amounts } = editDirectCostSchema.parse(req.body);
    const lines = store.all('directCostLines').filter((l) => (l.holder as { id: string }).id === dc.id);
    if (lines.length !== amounts.length) return void res.status(400).json({ error: `the cost has ${lines.length} lines: give as many amounts` });
    lines.forEach((l, i) => Object.assign(l, { amount: amounts[i], updated_at: ctx.clock.now().toISOString() }));
    res.json(store.update('directCosts', dc.id, {}));
  });
  r.post('/change-orders/with-lines', (req, res) => {
    const b = addChangeOrderSchema.parse(req.body);
    const line_items = coLines(b.projectId, b.lines);
    res.status(201).json(store.insert('changeOrders', { project_id: b.projectId, number: null, title: 'Field change', status: 'approved', contract_id: null, grand_total: sumDecimals(b.lines.map((l) => l.amount)), line_items, origin_id: null }));
  });
  r.patch('/change-orders/:id', (req, res) => {
    const co = store.get('changeOrders', req.params.id);
    if (!co) return void res.status(404).json({ error: 'no such change order' });
    const { lines } = editChangeOrderSchema.parse(req.body);
    res.json(store.update('changeOrders', co.id, { line_items: coLines(String(co.project_id), lines), grand_total: sumDecimals(lines.map((l) => l.amount)) }));
  });
  return r;
}
