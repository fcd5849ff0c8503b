import { listRoster, updateRosterMatch } from '../../db/roster-entries';
import { type HousekeepingTask } from '../types';
import { HOUSEKEEPING_ROSTER, type PeopleSoftAsanaConfig } from './config';
import { pairContext } from './context';
import { matchEmployee, usersByEmail } from './roster-match';

/**
 * The roster flow matches an employee when PeopleSoft changes them; an Asana account created, renamed or removed
 * later changes nothing in PeopleSoft. This chore lists the workspace's users (https://developers.asana.com/reference/getusers)
 * and re-matches every roster entry by email, so the next document is assigned to the account as it is now.
 */
export const rosterRematchHousekeeping: HousekeepingTask<PeopleSoftAsanaConfig> = {
  name: HOUSEKEEPING_ROSTER,
  kind: 'other',
  everyMs: 60 * 60_000,
  enabled: (config) => config.flows.roster,
  async run(deps, ctx) {
    const pair = pairContext(ctx);
    const users = usersByEmail(await pair.asana.listWorkspaceUsers());
    let changed = 0;
    for (const entry of await listRoster(deps.pool, pair.connectionId)) {
      const match = matchEmployee({ email: entry.email, emplStatus: entry.empl_status }, users);
      if (match.status === entry.status && match.asanaUserGid === entry.asana_user_gid && match.asanaUserName === entry.asana_user_name) continue;
      await updateRosterMatch(deps.pool, pair.connectionId, entry.emplid, match);
      changed += 1;
    }
    return { action: changed > 0 ? 'rematched' : 'ok', detail: `${changed} roster entr${changed === 1 ? 'y' : 'ies'} changed Asana match` };
  },
};
