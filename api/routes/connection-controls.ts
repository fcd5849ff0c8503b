import { Router } from 'express';
import { type Client } from '@temporalio/client';
import { dryRunFlows } from '../../activities/dry-run';
import { type FlowContext } from '../../activities/flows/types';
import { pauseSignal, pollNowSignal, resumeSignal, statusQuery, syncWorkflowId } from '../../core/sync-messages';
import { syncStartOptions } from '../../core/sync-start';
import { type SyncStatus } from '../../core/sync-types';
import { getCredentials, setConnectionStatus, type ConnectionRow } from '../../db/connections';
import { type CredentialCipher } from '../../db/credential-cipher';
import { countOpenDeadLetters } from '../../db/dead-letters';
import { oauthTokenStore } from '../../db/oauth-tokens';
import { getPollLedger } from '../../db/poll-ledgers';
import { type Db } from '../../db/pool';
import { liveConnection } from '../connection-access';
import { currentWindow } from '../current-window';
import { partnerOutage } from '../partner-outage';
import { withIdlePolls } from '../live-status';
import { ApiError } from '../errors';
import { pairControls, type PairControl } from '../pair-controls';
import { withWorker } from '../workflow-calls';

export interface ControlRouteDeps {
  pool: Db;
  temporal: Client;
  taskQueue: string;
  cipher: CredentialCipher;
}

function controlOf(row: ConnectionRow): PairControl {
  const control = pairControls[row.pair];
  if (!control) throw new ApiError('conflict', `pair ${row.pair} has no control plane support`);
  return control;
}

/** A test or dry run uses (and, when it refreshes one, stores) the same OAuth access token as the workers. */
async function flowContextOf(deps: ControlRouteDeps, row: ConnectionRow): Promise<FlowContext> {
  return { connection: row, credentials: await getCredentials(deps.pool, deps.cipher, row.id), oauthTokens: (side) => oauthTokenStore(deps.pool, deps.cipher, row.id, side), pool: deps.pool };
}

/** Pause, resume, sync now, status, test and dry run: what a platform engineer does to a running connection. */
export function connectionControlRoutes(deps: ControlRouteDeps): Router {
  const router = Router();
  const signals = { pause: pauseSignal, resume: resumeSignal, sync: pollNowSignal } as const;

  for (const action of ['pause', 'resume', 'sync'] as const) {
    router.post(`/v1/connections/:id/${action}`, async (req, res) => {
      const row = await liveConnection(deps.pool, res, req.params.id);
      const control = controlOf(row);
      // signalWithStart: a connection whose run ended (terminated by support, failed) is started again by any control.
      await deps.temporal.workflow.signalWithStart(control.workflowType, {
        ...syncStartOptions(control.syncInput(row), deps.taskQueue),
        signal: signals[action],
        signalArgs: [],
      });
      const status = action === 'pause' ? 'paused' : action === 'resume' ? 'active' : row.status === 'paused' ? 'paused' : 'active';
      if (status !== row.status) await setConnectionStatus(deps.pool, row.id, status);
      req.log.info({ connectionId: row.id, workflowId: syncWorkflowId(row.id), action }, 'connection control');
      res.status(202).json({ connectionId: row.id, action, status });
    });
  }

  router.get('/v1/connections/:id/status', async (req, res) => {
    const row = await liveConnection(deps.pool, res, req.params.id);
    const handle = deps.temporal.workflow.getHandle(syncWorkflowId(row.id));
    const [status, openDeadLetters, ledger, window, outage] = await Promise.all([
      withWorker(handle.query(statusQuery), deps.taskQueue, 10_000),
      countOpenDeadLetters(deps.pool, row.id),
      getPollLedger(deps.pool, row.id),
      // Progress inside the running window is only in its heartbeats; a status without it is still a status.
      currentWindow(deps.temporal, syncWorkflowId(row.id)).catch(() => undefined),
      // A partner failing every attempt: the sync retries on its own, only its activity's heartbeat knows since when.
      partnerOutage(deps.temporal, syncWorkflowId(row.id)).catch(() => undefined),
    ]);
    res.json({ ...withIdlePolls(status, ledger), openDeadLetters, ...(window ? { currentWindow: window } : {}), ...(outage ? { outage } : {}) });
  });

  router.post('/v1/connections/:id/test', async (req, res) => {
    const row = await liveConnection(deps.pool, res, req.params.id);
    const checks = await controlOf(row).check(await flowContextOf(deps, row));
    res.json({ ok: checks.every((c) => c.ok), checks });
  });

  router.post('/v1/connections/:id/dry-run', async (req, res) => {
    const row = await liveConnection(deps.pool, res, req.params.id);
    const control = controlOf(row);
    // The workflow holds the watermarks; without an answer the preview starts where a first sync would.
    let status: SyncStatus | undefined;
    try {
      status = await withWorker(deps.temporal.workflow.getHandle(syncWorkflowId(row.id)).query(statusQuery), deps.taskQueue, 5_000);
    } catch (err) {
      req.log.warn({ connectionId: row.id, err: err instanceof Error ? err.message : String(err) }, 'dry run without workflow watermarks');
    }
    const watermarks = Object.fromEntries(Object.entries(status?.progress ?? {}).map(([flow, p]) => [flow, p.watermark]));
    const ctx = await flowContextOf(deps, row);
    res.json({ flows: await dryRunFlows(deps.pool, ctx, control.previewFlows, control.syncInput(row).flows, watermarks) });
  });

  return router;
}
