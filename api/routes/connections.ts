import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { type z } from 'zod';
import { fieldProblems } from '../../core/connection-request';
import { scheduleProblems as scheduleFieldProblems } from '../../core/schedule-bounds';
import { syncWorkflowId, updateConfigUpdate } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import { deleteCredentials, getConnection, insertConnection, listConnections, putCredentials, setConnectionStatus, updateConnectionConfig } from '../../db/connections';
import { type CredentialCipher } from '../../db/credential-cipher';
import { execute, inTransaction } from '../../db/pool';
import { type Logger } from '../../core/logger';
import { liveConnection, visibleConnection } from '../connection-access';
import { connectionViewOf, type ViewContext } from '../connection-view';
import { createConnectionSchema, listConnectionsQuery, updateConnectionSchema } from '../contract';
import { ID_NOT_AVAILABLE } from '../error-mapping';
import { ApiError } from '../errors';
import { principalOf } from '../middleware/authenticate';
import { pairControls, pairSchemas } from '../pair-controls';
import { parseInput } from '../parse-input';
import { partnerUrlProblems } from '../partner-url-check';
import { withWorker } from '../workflow-calls';

export interface ConnectionRouteDeps extends ViewContext {
  temporal: Client;
  taskQueue: string;
  cipher: CredentialCipher;
  logger: Logger;
}

type Problem = { path: string; message: string };

/** A schedule that has the right shape but cannot be used (syntax, time zone, never or rarely fires): a 422 by field. */
function scheduleProblems(config: unknown, prefix: string): Problem[] {
  return scheduleFieldProblems((config as { schedule?: unknown } | undefined)?.schedule, `${prefix}.schedule`, new Date());
}

function unprocessable(problems: Problem[]): never {
  throw new ApiError('unprocessable', 'the request body is invalid', problems);
}

/** Create, list, read, update and delete: the connection rows and the one workflow each of them runs. */
export function connectionRoutes(deps: ConnectionRouteDeps): Router {
  const router = Router();

  router.post('/v1/connections', async (req, res) => {
    const body = parseInput(createConnectionSchema, req.body);
    const { scope } = principalOf(res);
    // A customer key cannot create for another customer; 404 like every other cross-customer access.
    if (scope.kind === 'customer' && scope.customerId !== body.customerId) throw new ApiError('not_found', `customer ${body.customerId} not found`);
    const problems = [...scheduleProblems(body.config, 'config'), ...(await partnerUrlProblems(body.config, 'config'))];
    if (problems.length) unprocessable(problems);
    const control = pairControls[body.pair]!;
    const id = body.id ?? randomUUID();
    // Same answer whether the id is this customer's or another's (api/error-mapping.ts); a race lands there too.
    if (await getConnection(deps.pool, id)) throw new ApiError('conflict', ID_NOT_AVAILABLE);
    await inTransaction(deps.pool, async (tx) => {
      await insertConnection(tx, { id, customerId: body.customerId, pair: body.pair, config: body.config as Record<string, unknown> });
      for (const [side, secret] of Object.entries(body.credentials)) await putCredentials(tx, deps.cipher, id, side, secret);
    });
    const row = (await getConnection(deps.pool, id))!;
    const log = req.log.child({ connectionId: id, workflowId: syncWorkflowId(id) });
    try {
      await deps.temporal.workflow.start(control.workflowType, syncStartOptions(control.syncInput(row), deps.taskQueue));
    } catch (err) {
      // No half-created connection: without its workflow it would look configured and never sync.
      await execute(deps.pool, 'remove unstarted connection', 'DELETE FROM connections WHERE id = $1', [id]);
      log.error({ err }, 'could not start the sync workflow');
      throw new ApiError('unavailable', 'the sync workflow could not be started (is Temporal reachable?); nothing was created');
    }
    log.info({ customerId: row.customer_id, pair: row.pair }, 'connection created');
    res.status(201).json(await connectionViewOf(deps, row));
  });

  router.get('/v1/connections', async (req, res) => {
    const q = parseInput(listConnectionsQuery, req.query, 'query');
    const { scope } = principalOf(res);
    if (scope.kind === 'customer' && q.customerId && q.customerId !== scope.customerId) {
      res.json({ connections: [], nextAfterId: null });
      return;
    }
    const rows = await listConnections(deps.pool, { ...q, customerId: scope.kind === 'customer' ? scope.customerId : q.customerId });
    const connections = await Promise.all(rows.map((r) => connectionViewOf(deps, r)));
    res.json({ connections, nextAfterId: rows.length === q.limit ? rows[rows.length - 1]!.id : null });
  });

  router.get('/v1/connections/:id', async (req, res) => {
    res.json(await connectionViewOf(deps, await visibleConnection(deps.pool, res, req.params.id)));
  });

  router.patch('/v1/connections/:id', async (req, res) => {
    const row = await liveConnection(deps.pool, res, req.params.id);
    const body = parseInput(updateConnectionSchema, req.body);
    const schemas = pairSchemas[row.pair];
    const control = pairControls[row.pair];
    if (!schemas || !control) throw new ApiError('conflict', `pair ${row.pair} has no control plane support`);
    const problems: Problem[] = [];
    let config: Record<string, unknown> | undefined;
    if (body.config) {
      const parsed = schemas.config.safeParse(body.config);
      if (parsed.success) config = parsed.data as Record<string, unknown>;
      else problems.push(...fieldProblems(parsed.error as z.ZodError, ['config']));
      problems.push(...scheduleProblems(body.config, 'config'), ...(await partnerUrlProblems(body.config, 'config')));
    }
    const sides: Array<[string, unknown]> = [];
    for (const [side, value] of Object.entries(body.credentials ?? {})) {
      const schema = schemas.credentialSides[side];
      if (!schema) {
        problems.push({ path: `credentials.${side}`, message: `unknown credentials side (expected ${Object.keys(schemas.credentialSides).join(', ')})` });
        continue;
      }
      const parsed = schema.safeParse(value);
      if (parsed.success) sides.push([side, parsed.data]);
      else problems.push(...fieldProblems(parsed.error as z.ZodError, ['credentials', side]));
    }
    if (problems.length) unprocessable(problems);
    await inTransaction(deps.pool, async (tx) => {
      if (config) await updateConnectionConfig(tx, row.id, config);
      for (const [side, secret] of sides) await putCredentials(tx, deps.cipher, row.id, side, secret);
    });
    let applied: { schedule: string; flows: string[] } | null = null;
    if (config) {
      // The running workflow takes the new schedule and flows through an update: no restart, watermarks kept.
      const handle = deps.temporal.workflow.getHandle(syncWorkflowId(row.id));
      try {
        applied = await withWorker(handle.executeUpdate(updateConfigUpdate, { args: [control.flowSettings(config, row.created_at)] }), deps.taskQueue, 30_000);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 'conflict')) throw err;
        // No run open: the next start reads the stored config anyway.
      }
    }
    req.log.info({ connectionId: row.id, workflowId: syncWorkflowId(row.id), configChanged: Boolean(config), credentialSides: sides.map(([s]) => s) }, 'connection updated');
    res.json({ ...(await connectionViewOf(deps, (await getConnection(deps.pool, row.id))!)), applied });
  });

  router.delete('/v1/connections/:id', async (req, res) => {
    const row = await visibleConnection(deps.pool, res, req.params.id);
    if (row.status !== 'deleted') {
      try {
        await deps.temporal.workflow.getHandle(syncWorkflowId(row.id)).terminate(`connection deleted through the API (key ${principalOf(res).keyPrefix})`);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      await inTransaction(deps.pool, async (tx) => {
        await setConnectionStatus(tx, row.id, 'deleted');
        await deleteCredentials(tx, row.id);
      });
      req.log.info({ connectionId: row.id, workflowId: syncWorkflowId(row.id) }, 'connection deleted');
    }
    res.json(await connectionViewOf(deps, (await getConnection(deps.pool, row.id))!));
  });

  return router;
}
