import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { seedStore } from './seed';
import { allOperations, defaultGatewayConfig, gatewayConfigSchema, type PsSimState } from './state';
import { isTableName } from './tables';

const userSchema = z.object({ password: z.string().min(1), operations: z.union([z.literal('*'), z.array(z.string().min(1))]) }).strict();
const tokenSchema = z.object({ oprid: z.string().min(1), expiresInSeconds: z.number().int().min(1).default(3600) }).strict();
const activationSchema = z.object({ active: z.boolean() }).strict();
const clockSchema = z.object({ advanceMs: z.number().int().min(0) }).strict();
const skewSchema = z.object({ skewMs: z.number().int() }).strict();
const rowInsertSchema = z.object({ row: z.record(z.string(), z.union([z.string(), z.number()])) }).strict();
const rowDeleteSchema = z.object({ keys: z.record(z.string(), z.union([z.string(), z.number()])) }).strict();
const rowUpdateSchema = z
  .object({
    keys: z.record(z.string(), z.union([z.string(), z.number()])),
    // A child scroll (e.g. APPR_COMMENTS, PO_LINE) is a list of rows, as the inquiry returns it.
    set: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.record(z.string(), z.union([z.string(), z.number()])))])),
    /** The save's LASTUPDDTTM when a test needs an exact instant (a window's edge); the clock's now otherwise. */
    lastUpdated: z.iso.datetime().optional(),
  })
  .strict();

/**
 * Test and demo controls; mounted before the fault injector and without auth, so tests can always reach them.
 * Nothing here exists on a real gateway.
 */
export function adminRouter(state: PsSimState): Router {
  const r = Router();
  r.use(express.json({ limit: '1mb' }));

  r.post('/seed', (req, res) => {
    res.json({ counts: seedStore(state.store, state.clock.nowMs(), req.body) });
  });
  r.post('/reset', (_req, res) => {
    state.store.clear();
    state.inactive.clear();
    state.requests.clear();
    state.config = { ...defaultGatewayConfig(), node: state.config.node };
    state.faults.configure({});
    res.json({ ok: true });
  });

  r.get('/rows/:table', (req, res) => {
    const table = req.params.table;
    if (!isTableName(table)) return res.status(404).json({ error: `unknown table ${table}` });
    res.json({ rows: state.store.all(table) });
  });
  // "Added in PeopleSoft": a user saved a new row (a GL account, a vendor); LASTUPDDTTM is the simulator's now.
  r.post('/rows/:table', (req, res) => {
    const table = req.params.table;
    if (!isTableName(table)) return res.status(404).json({ error: `unknown table ${table}` });
    const { row } = rowInsertSchema.parse(req.body);
    if (state.store.get(table, row)) return res.status(409).json({ error: 'a row with these keys exists: update it instead' });
    res.status(201).json({ row: state.store.insert(table, row) });
  });
  // "Edited in PeopleSoft": a user saved the page, so LASTUPDDTTM moves to the simulator's now.
  r.patch('/rows/:table', (req, res) => {
    const table = req.params.table;
    if (!isTableName(table)) return res.status(404).json({ error: `unknown table ${table}` });
    const { keys, set, lastUpdated } = rowUpdateSchema.parse(req.body);
    const row = state.store.update(table, keys, set, lastUpdated);
    if (!row) return res.status(404).json({ error: 'no such row' });
    res.json({ row });
  });
  // "Deleted in PeopleSoft": a user removed a row keyed by hand (test fixtures fixing a duplicate-key conflict).
  r.delete('/rows/:table', (req, res) => {
    const table = req.params.table;
    if (!isTableName(table)) return res.status(404).json({ error: `unknown table ${table}` });
    const { keys } = rowDeleteSchema.parse(req.body);
    if (!state.store.remove(table, keys)) return res.status(404).json({ error: 'no such row' });
    res.status(204).end();
  });
  r.get('/effects', (_req, res) => {
    res.json({ effects: state.store.effects });
  });

  r.get('/operations', (_req, res) => {
    res.json({ operations: allOperations.map((operation) => ({ operation, active: !state.inactive.has(operation.toUpperCase()) })) });
  });
  r.put('/operations/:operation', (req, res) => {
    const operation = req.params.operation.toUpperCase();
    if (!allOperations.some((o) => o.toUpperCase() === operation)) return res.status(404).json({ error: `unknown operation ${operation}` });
    const { active } = activationSchema.parse(req.body);
    if (active) state.inactive.delete(operation);
    else state.inactive.add(operation);
    res.json({ operation, active });
  });

  r.get('/config', (_req, res) => {
    res.json(state.config);
  });
  r.put('/config', (req, res) => {
    state.config = gatewayConfigSchema.parse({ ...state.config, ...(req.body as object) });
    res.json(state.config);
  });

  r.get('/users', (_req, res) => {
    res.json({ users: state.auth.listUsers() });
  });
  r.put('/users/:oprid', (req, res) => {
    const user = userSchema.parse(req.body);
    state.auth.putUser({ oprid: req.params.oprid, ...user });
    res.json({ oprid: req.params.oprid, operations: user.operations });
  });
  r.delete('/users/:oprid', (req, res) => {
    res.json({ deleted: state.auth.deleteUser(req.params.oprid) });
  });
  // Stands in for the external IdP that issues tokens PeopleSoft (the resource server) accepts.
  r.post('/oauth/tokens', (req, res) => {
    const { oprid, expiresInSeconds } = tokenSchema.parse(req.body ?? {});
    res.json({ access_token: state.auth.mintToken(oprid, expiresInSeconds), token_type: 'Bearer', expires_in: expiresInSeconds });
  });

  // Registers a client at the stand-in IdP (POST {baseUrl}/idp/oauth2/token); its tokens map to `oprid`.
  r.post('/idp/clients', (req, res) => {
    res.status(201).json(state.idp.register(req.body));
  });
  r.get('/idp/stats', (_req, res) => {
    res.json(state.idp.stats());
  });
  // Every live bearer token expires at once (the IdP's and the minted ones): what a token past its lifetime gets.
  r.post('/oauth/tokens/expire', (_req, res) => {
    res.json({ expired: state.auth.expireTokens() });
  });

  r.get('/faults', (_req, res) => {
    res.json(state.faults.current());
  });
  r.put('/faults', (req, res) => {
    res.json(state.faults.configure(req.body));
  });
  r.get('/clock', (_req, res) => {
    res.json({ now: state.clock.now().toISOString() });
  });
  r.post('/clock', (req, res) => {
    const { advanceMs } = clockSchema.parse(req.body);
    res.json({ now: state.clock.advance(advanceMs).toISOString() });
  });
  // The database server's clock off ours (+ ahead, - behind): every save stamps LASTUPDDTTM from it (R11).
  r.put('/clock/skew', (req, res) => {
    const { skewMs } = skewSchema.parse(req.body);
    res.json({ now: state.clock.setSkew(skewMs).toISOString(), skewMs });
  });

  r.get('/requests', (_req, res) => {
    res.json({ requests: Object.fromEntries(state.requests) });
  });
  r.delete('/requests', (_req, res) => {
    state.requests.clear();
    res.json({ ok: true });
  });

  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = err instanceof z.ZodError ? 400 : 500;
    res.status(status).json({ error: err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : String(err) });
  });
  return r;
}
