import { type Response } from 'express';
import { getConnection, type ConnectionRow } from '../db/connections';
import { type Db } from '../db/pool';
import { ApiError } from './errors';
import { principalOf } from './middleware/authenticate';

/**
 * The connection a request names, if the caller's key may see it. A customer key asking for another customer's
 * connection gets the same 404 as for one that does not exist: existence is not leaked.
 */
export async function visibleConnection(pool: Db, res: Response, id: string): Promise<ConnectionRow> {
  const { scope } = principalOf(res);
  const row = await getConnection(pool, id);
  if (!row || (scope.kind === 'customer' && row.customer_id !== scope.customerId)) throw new ApiError('not_found', `connection ${id} not found`);
  res.locals.connectionId = row.id;
  return row;
}

/** Controls (pause, sync, test...) make no sense on a deleted connection. */
export async function liveConnection(pool: Db, res: Response, id: string): Promise<ConnectionRow> {
  const row = await visibleConnection(pool, res, id);
  if (row.status === 'deleted') throw new ApiError('conflict', `connection ${id} is deleted`);
  return row;
}
