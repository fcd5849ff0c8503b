import { Router } from 'express';
import { listRoster } from '../../db/roster-entries';
import { type Db } from '../../db/pool';
import { PAIR as PEOPLESOFT_ASANA } from '../../pairs/peoplesoft-asana/config';
import { visibleConnection } from '../connection-access';
import { ApiError } from '../errors';

/**
 * GET /v1/connections/:id/roster: a PeopleSoft <-> Asana connection's roster (employee -> Asana user, or why none),
 * as the roster flow and its re-match last left it. Tenant-scoped like every connection route: another customer's
 * connection is a 404.
 */
export function connectionRosterRoutes(deps: { pool: Db }): Router {
  const router = Router();
  router.get('/v1/connections/:id/roster', async (req, res) => {
    const row = await visibleConnection(deps.pool, res, req.params.id);
    if (row.pair !== PEOPLESOFT_ASANA) throw new ApiError('not_found', `connection ${row.id} is a ${row.pair} connection: only ${PEOPLESOFT_ASANA} connections keep a roster`);
    const entries = await listRoster(deps.pool, row.id);
    const count = (status: string) => entries.filter((e) => e.status === status).length;
    res.json({
      counts: { employees: entries.length, matched: count('matched'), noAsanaAccount: count('no-asana-account'), inactive: count('inactive') },
      roster: entries.map((e) => ({
        emplid: e.emplid,
        oprid: e.oprid,
        name: e.name,
        email: e.email,
        emplStatus: e.empl_status,
        status: e.status,
        asanaUserGid: e.asana_user_gid,
        asanaUserName: e.asana_user_name,
        sourceUpdatedAt: e.source_updated_at.toISOString(),
        updatedAt: e.updated_at.toISOString(),
      })),
    });
  });
  return router;
}
