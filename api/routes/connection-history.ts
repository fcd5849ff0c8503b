import { Router } from 'express';
import { type Client } from '@temporalio/client';
import { replayDeadLettersUpdate, syncWorkflowId } from '../../core/sync-messages';
import { type ReplayFilter } from '../../core/sync-types';
import { listAuditEvents } from '../../db/audit-events';
import { listDeadLetters } from '../../db/dead-letters';
import { type Db } from '../../db/pool';
import { liveConnection, visibleConnection } from '../connection-access';
import { auditQuery, deadLetterIdParams, deadLetterQuery, replayRequest } from '../contract';
import { ApiError } from '../errors';
import { parseInput } from '../parse-input';
import { withWorker } from '../workflow-calls';

/** Replay runs inside the workflow (an update), so it is serialised with polls and recorded in the run's history. */
const REPLAY_TIMEOUT_MS = 120_000;

export function connectionHistoryRoutes(deps: { pool: Db; temporal: Client; taskQueue: string }): Router {
  const router = Router();

  router.get('/v1/connections/:id/dead-letters', async (req, res) => {
    const row = await visibleConnection(deps.pool, res, req.params.id);
    const q = parseInput(deadLetterQuery, req.query, 'query');
    const rows = await listDeadLetters(deps.pool, { connectionId: row.id, status: q.status, flow: q.flow, recordKeys: q.recordKey ? [q.recordKey] : undefined, limit: q.limit });
    res.json({
      deadLetters: rows.map((d) => ({
        id: d.id,
        flow: d.flow,
        recordKey: d.record_key,
        status: d.status,
        errorCode: d.error_code,
        errorMessage: d.error_message,
        partnerStatus: d.partner_status,
        rawResponse: d.raw_response,
        attempts: d.attempts,
        firstFailedAt: d.first_failed_at.toISOString(),
        lastFailedAt: d.last_failed_at.toISOString(),
      })),
    });
  });

  const replay = async (connectionId: string, filter: ReplayFilter) =>
    withWorker(deps.temporal.workflow.getHandle(syncWorkflowId(connectionId)).executeUpdate(replayDeadLettersUpdate, { args: [filter] }), deps.taskQueue, REPLAY_TIMEOUT_MS);

  router.post('/v1/connections/:id/dead-letters/replay', async (req, res) => {
    const row = await liveConnection(deps.pool, res, req.params.id);
    const filter = parseInput(replayRequest, req.body ?? {});
    const summary = await replay(row.id, filter);
    req.log.info({ connectionId: row.id, workflowId: syncWorkflowId(row.id), ...summary }, 'dead letters replayed');
    res.json(summary);
  });

  router.post('/v1/connections/:id/dead-letters/:deadLetterId/replay', async (req, res) => {
    const row = await liveConnection(deps.pool, res, req.params.id);
    const { deadLetterId: id } = parseInput(deadLetterIdParams, req.params, 'path');
    const [letter] = await listDeadLetters(deps.pool, { connectionId: row.id, ids: [id] });
    if (!letter) throw new ApiError('not_found', `no open dead letter ${req.params.deadLetterId} on connection ${row.id}`);
    const summary = await replay(row.id, { ids: [id] });
    req.log.info({ connectionId: row.id, workflowId: syncWorkflowId(row.id), recordKey: letter.record_key, ...summary }, 'dead letter replayed');
    res.json(summary);
  });

  router.get('/v1/connections/:id/audit', async (req, res) => {
    const row = await visibleConnection(deps.pool, res, req.params.id);
    const q = parseInput(auditQuery, req.query, 'query');
    const rows = await listAuditEvents(deps.pool, { connectionId: row.id, recordKey: q.recordKey, afterId: q.afterId, limit: q.limit });
    res.json({
      events: rows.map((e) => ({
        id: e.id,
        flow: e.flow,
        recordKey: e.record_key,
        direction: e.direction,
        action: e.action,
        outcome: e.outcome,
        targetId: e.target_id,
        workflowId: e.workflow_id,
        runId: e.run_id,
        errorCode: e.error_code,
        errorBody: e.error_body,
        detail: e.detail,
        createdAt: e.created_at.toISOString(),
      })),
      nextAfterId: rows.length === q.limit ? rows[rows.length - 1]!.id : null,
    });
  });

  return router;
}
