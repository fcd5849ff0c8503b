import { Router } from 'express';
import { z } from 'zod';
import { fieldErrors, notFound } from './errors';
import { boolParam, intParam } from './filters';
import { paginate } from './pagination';
import { serializeAccountCode, serializeDepartment, serializeLocation } from './serialize';
import type { ProcurifyStore } from './store';
import { parseOr400 } from './vendor-routes';

/** AccountCodeCreateRequest / AccountCodeUpdateRequest; account_type is ExpenseTypeEnum (0 ASSETS .. 5 OTHER). */
const accountCodeSchema = z.object({ code: z.string().min(1).max(50), description: z.string().min(1).max(200), account_type: z.number().int().min(0).max(5).optional() }).loose();
/** DepartmentUpsertRequest: `branch` is the location id. */
const departmentSchema = z.object({ name: z.string().min(1).max(150), branch: z.number().int(), external_id: z.string().max(100).nullable().optional(), active: z.boolean().optional() }).loose();
const locationSchema = z.object({ name: z.string().min(1).max(150), external_id: z.string().max(100).nullable().optional(), active: z.boolean().optional() }).loose();

/**
 * Cost centres and GL codes: GET/POST /api/v3/account-codes, PUT /api/v3/account-codes/{id}; GET/POST
 * /api/v3/departments, PUT /api/v3/departments/{id}; GET/POST /api/v2/locations, GET /api/v2/locations/{id}
 * (https://developer.procurify.com/tag/account-codes, /tag/departments, /tag/locations). Locations are a v2 path.
 */
export function referenceRoutes(store: ProcurifyStore): Router {
  const r = Router();
  r.get('/api/v3/account-codes', (req, res) => {
    const active = boolParam(req, 'active');
    const code = req.query.code === undefined ? undefined : String(req.query.code);
    const list = [...store.accountCodes.values()]
      .filter((a) => active === undefined || a.active === active)
      .filter((a) => code === undefined || a.code === code)
      .sort((a, b) => a.id - b.id);
    res.json(paginate(req, list.map(serializeAccountCode)));
  });
  r.post('/api/v3/account-codes', (req, res) => {
    const input = parseOr400(accountCodeSchema, req.body);
    const rec = { id: store.nextId(), code: input.code, description: input.description, account_type: input.account_type ?? 2, active: true };
    store.accountCodes.set(rec.id, rec);
    res.status(201).json({ data: serializeAccountCode(rec), metadata: {} });
  });
  r.put('/api/v3/account-codes/:id', (req, res) => {
    const rec = store.accountCodes.get(Number(req.params.id));
    if (!rec) throw notFound();
    const input = parseOr400(accountCodeSchema, req.body);
    Object.assign(rec, { code: input.code, description: input.description, account_type: input.account_type ?? rec.account_type });
    res.json({ data: serializeAccountCode(rec), metadata: {} });
  });

  r.get('/api/v3/departments', (req, res) => {
    const branch = intParam(req, 'branch');
    const list = [...store.departments.values()].filter((d) => branch === undefined || d.locationId === branch).sort((a, b) => a.id - b.id);
    res.json(paginate(req, list.map((d) => serializeDepartment(store, d))));
  });
  r.post('/api/v3/departments', (req, res) => {
    const input = parseOr400(departmentSchema, req.body);
    if (!store.locations.has(input.branch)) throw fieldErrors({ branch: [`Invalid pk "${input.branch}" - object does not exist.`] });
    const rec = { id: store.nextId(), name: input.name, locationId: input.branch, external_id: input.external_id ?? null, active: input.active ?? true };
    store.departments.set(rec.id, rec);
    res.status(201).json({ data: serializeDepartment(store, rec), metadata: {} });
  });
  r.put('/api/v3/departments/:id', (req, res) => {
    const rec = store.departments.get(Number(req.params.id));
    if (!rec) throw notFound();
    const input = parseOr400(departmentSchema, req.body);
    Object.assign(rec, { name: input.name, locationId: input.branch, external_id: input.external_id ?? rec.external_id, active: input.active ?? rec.active });
    res.json({ data: serializeDepartment(store, rec), metadata: {} });
  });

  r.get('/api/v2/locations', (req, res) => {
    const active = boolParam(req, 'active');
    const list = [...store.locations.values()].filter((l) => active === undefined || l.active === active).sort((a, b) => a.id - b.id);
    res.json(paginate(req, list.map(serializeLocation)));
  });
  r.post('/api/v2/locations', (req, res) => {
    const input = parseOr400(locationSchema, req.body);
    const rec = { id: store.nextId(), name: input.name, external_id: input.external_id ?? null, active: input.active ?? true };
    store.locations.set(rec.id, rec);
    res.status(201).json({ data: serializeLocation(rec), metadata: {} });
  });
  r.get('/api/v2/locations/:id', (req, res) => {
    const rec = store.locations.get(Number(req.params.id));
    if (!rec) throw notFound();
    res.json({ data: serializeLocation(rec), metadata: {} });
  });
  return r;
}
