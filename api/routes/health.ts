import { Router } from 'express';
import { type Client } from '@temporalio/client';
import { type Db } from '../../db/pool';

/** Liveness says the process answers; readiness checks what requests need: PostgreSQL and Temporal. */
export function healthRoutes(deps: { pool: Db; temporal: Client }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const checks = await Promise.all([
      check('postgres', () => deps.pool.query('SELECT 1')),
      check('temporal', () => deps.temporal.workflowService.getSystemInfo({})),
    ]);
    const ok = checks.every((c) => c.ok);
    if (!ok) req.log.warn({ checks }, 'not ready');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  });
  return router;
}

async function check(name: string, fn: () => Promise<unknown>): Promise<{ name: string; ok: boolean; message?: string }> {
  try {
    await withTimeout(fn(), 3_000);
    return { name, ok: true };
  } catch (err) {
    // Only a generic reason: driver messages can carry hostnames and user names.
    return { name, ok: false, message: err instanceof Error && err.message === 'timeout' ? 'timed out after 3 s' : 'unreachable' };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(resolve, reject).finally(() => clearTimeout(t));
  });
}
