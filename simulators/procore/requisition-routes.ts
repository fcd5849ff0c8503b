import { Router, type Request, type Response } from 'express';
import type { SimContext } from './context';
import { sendProcore } from './json';
import { bracketParam, filtered, page } from './paging';
import { linesOf, summaryOf } from './requisitions';
import type { Rec } from './store';

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/**
 * Requisitions (subcontractor invoices), REST v1.0, as documented at
 * https://developers.procore.com/reference/rest/v1/requisitions-subcontractor-invoices?version=1.0 (URIs still say
 * "requisitions"): `project_id` is a required query parameter of the list, the show and the detail; the list filters
 * on `filters[updated_at]`, `filters[created_at]`-style ranges, `filters[commitment_id]`, `filters[status]`,
 * `filters[origin_id]`, and pages like every v1 list. Header and detail lines are separate calls: the detail
 * (`/requisitions/{requisition_id}/detail`) is a bare array of lines.
 */
export function requisitionRoutes(ctx: SimContext): Router {
  const r = Router();
  const { store } = ctx;
  const out = (q: Rec) => {
    const { formatted_period: _f, ...rest } = q;
    return { ...rest, summary: summaryOf(store, q) };
  };
  const projectOf = (req: Request, res: Response): string | undefined => {
    const projectId = str(req.query.project_id);
    if (!projectId) {
      sendProcore(res, 400, { errors: 'project_id is missing' });
      return undefined;
    }
    if (!store.get('projects', projectId)) {
      sendProcore(res, 404, { errors: 'Project not found' });
      return undefined;
    }
    return projectId;
  };
  const inProject = (req: Request, res: Response): Rec | undefined => {
    const projectId = projectOf(req, res);
    if (!projectId) return undefined;
    const q = store.get('requisitions', String(req.params.id));
    if (!q || q.project_id !== projectId) {
      sendProcore(res, 404, { errors: 'Requisition not found' });
      return undefined;
    }
    return q;
  };

  r.get('/rest/v1.0/requisitions', (req, res) => {
    const projectId = projectOf(req, res);
    if (!projectId) return;
    const commitmentId = bracketParam(req, 'filters', 'commitment_id');
    const status = bracketParam(req, 'filters', 'status');
    const rows = filtered(req, store.all('requisitions').filter((q) => q.project_id === projectId && (!commitmentId || q.commitment_id === commitmentId) && (!status || q.status === status)));
    sendProcore(res, 200, page(req, res, rows).map(out));
  });
  r.get('/rest/v1.0/requisitions/:id', (req, res) => {
    const q = inProject(req, res);
    if (q) sendProcore(res, 200, out(q));
  });
  r.get('/rest/v1.0/requisitions/:id/detail', (req, res) => {
    const q = inProject(req, res);
    if (q) sendProcore(res, 200, linesOf(store, q.id).map(({ requisition_id: _r, created_at: _c, updated_at: _u, ...line }) => line));
  });
  return r;
}
