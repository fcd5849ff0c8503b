import { type HousekeepingTask } from '../types';
import { HOUSEKEEPING_TOKEN, type PeopleSoftAsanaConfig } from './config';
import { pairContext } from './context';

/**
 * Refreshes an Asana OAuth access token ahead of its hour (https://developers.asana.com/docs/oauth: access tokens
 * expire after one hour), so the next window does not start with an expired token. The connector refreshes when the
 * stored token expires within 5 minutes, once for all workers (oauth_tokens); running every 5 minutes, as often as
 * that margin, catches every token before it expires whenever polls run at least that often. A PAT needs nothing.
 */
export const asanaTokenHousekeeping: HousekeepingTask<PeopleSoftAsanaConfig> = {
  name: HOUSEKEEPING_TOKEN,
  kind: 'token-refresh',
  everyMs: 5 * 60_000,
  async run(_deps, ctx) {
    const method = (ctx.credentials.asana as { method?: unknown } | undefined)?.method;
    if (method !== 'oauth2') return { action: 'skipped', detail: 'the Asana side uses a personal access token' };
    await pairContext(ctx).asana.authorize();
    return { action: 'ok', detail: 'the access token is valid for at least 5 more minutes' };
  },
};
