import type { NextFunction, Request, Response } from 'express';
import type { SimClock } from '../kit/clock';
import { JiraHttpError, sendError } from './errors';
import type { OAuthServer } from './oauth';
import type { JiraStore } from './store';

/**
 * Who is calling. Basic auth with email + API token against the site URL
 * (https://developer.atlassian.com/cloud/jira/platform/basic-auth-for-rest-apis/), or an OAuth 2.0 (3LO) bearer token
 * against https://api.atlassian.com/ex/jira/{cloudId} (https://developer.atlassian.com/cloud/oauth/getting-started/making-calls-to-api/).
 * API tokens carry an expiry date too (https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/).
 */
export interface Caller {
  kind: 'basic' | 'oauth';
  accountId: string;
  /** OAuth app, for the points quota (per app) and dynamic webhooks (OAuth apps only). */
  clientId?: string;
  /** Rate limit key: the tenant (site) for burst limits. */
  principal: string;
}

export interface AuthSettings {
  /** API tokens expire at this sim time (ms); undefined = never. */
  apiTokenExpiresAtMs?: number;
}

const UNAUTHENTICATED = 'Client must be authenticated to access this resource.';

export function basicAuth(store: JiraStore, clock: SimClock, settings: AuthSettings) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const m = /^Basic\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const [email, token] = m ? Buffer.from(m[1]!, 'base64').toString('utf8').split(/:(.*)/s) : [];
    const user = [...store.users.values()].find((u) => u.email === email && u.apiToken === token);
    if (!user) return sendError(res, new JiraHttpError(401, [UNAUTHENTICATED]));
    if (settings.apiTokenExpiresAtMs !== undefined && clock.nowMs() >= settings.apiTokenExpiresAtMs) {
      return sendError(res, new JiraHttpError(401, ['The API token used has expired.']));
    }
    res.locals.caller = { kind: 'basic', accountId: user.accountId, principal: `site:${store.cloudId}` } satisfies Caller;
    next();
  };
}

export function bearerAuth(store: JiraStore, oauth: OAuthServer, anySite = false) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!anySite && req.params.cloudId !== store.cloudId) return sendError(res, new JiraHttpError(404, ['Site not found or the app has no access to it.']));
    const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const grant = m ? oauth.access(m[1]!) : undefined;
    if (!grant) return sendError(res, new JiraHttpError(401, [UNAUTHENTICATED]));
    if (grant.expired) return sendError(res, new JiraHttpError(401, ['Unauthorized; scope does not match or the access token has expired.']));
    res.locals.caller = { kind: 'oauth', accountId: grant.accountId, clientId: grant.clientId, principal: `site:${store.cloudId}` } satisfies Caller;
    next();
  };
}

export function callerOf(res: Response): Caller {
  return res.locals.caller as Caller;
}
