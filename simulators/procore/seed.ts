import { z } from 'zod';
import type { ProcoreStore, Rec } from './store';

/** What a test or the demo puts in the simulated company (as users would in Procore's UI). */
export const seedSchema = z
  .object({
    projects: z.number().int().min(0).max(100).default(2),
    costCodes: z.array(z.string().min(1)).default(['610000', '620000', '630000']),
    directCosts: z.number().int().min(0).max(10_000).default(0),
    linesPerDirectCost: z.number().int().min(1).max(100).default(5),
    changeOrders: z.number().int().min(0).max(10_000).default(0),
  })
  .strict();

export interface SeedResult {
  companyId: string;
  projectIds: string[];
  directCostIds: string[];
  changeOrderIds: string[];
}

/** A line amount with cents, varied but deterministic: 10.01 .. 999.99. */
function amount(i: number): string {
  const cents = 1001 + ((i * 7919) % 98_998);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

export function seed(store: ProcoreStore, input: unknown): SeedResult {
  const s = seedSchema.parse(input ?? {});
  const projects: Rec[] = [];
  for (let p = 1; p <= s.projects; p++) {
    const project = store.insert('projects', { name: `Job site ${p}`, project_number: `JS-${p}`, active: true, origin_id: null }, true);
    projects.push(project);
    for (const code of s.costCodes) store.insert('costCodes', { project_id: project.id, code, full_code: code, name: `Cost code ${code}`, origin_id: null }, true);
  }
  const directCostIds: string[] = [];
  const changeOrderIds: string[] = [];
  let n = 0;
  for (let i = 0; i < s.directCosts && projects.length > 0; i++) directCostIds.push(addDirectCost(store, projects[i % projects.length]!.id, s.linesPerDirectCost, () => amount(n++)).id);
  for (let i = 0; i < s.changeOrders && projects.length > 0; i++) changeOrderIds.push(addChangeOrder(store, projects[i % projects.length]!.id, amount(n++)).id);
  return { companyId: store.companyId, projectIds: projects.map((p) => p.id), directCostIds, changeOrderIds };
}

/** A direct cost entered in Procore, with lines on the project's cost codes. */
export function addDirectCost(store: ProcoreStore, projectId: string, lines: number, nextAmount: () => string): Rec {
  const codes = store.all('costCodes').filter((c) => c.project_id === projectId);
  const dc = store.insert('directCosts', { project_id: projectId, description: 'Field cost', direct_cost_type: 'invoice', status: 'approved', direct_cost_date: '2026-11-30', invoice_number: null, origin_id: null });
  for (let l = 0; l < lines; l++) {
    const code = codes[l % Math.max(1, codes.length)];
    store.insert('directCostLines', { project_id: projectId, holder: { id: dc.id, type: 'DirectCost' }, description: `Line ${l + 1}`, amount: nextAmount(), cost_code: code ? { id: code.id, code: code.code, full_code: code.full_code } : null }, true);
  }
  return dc;
}

export function addChangeOrder(store: ProcoreStore, projectId: string, grandTotal: string): Rec {
  return store.insert('changeOrders', { project_id: projectId, number: null, title: 'Field change', status: 'approved', contract_id: null, grand_total: grandTotal, origin_id: null });
}
