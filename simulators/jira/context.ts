import type { Request } from 'express';
import type { SimClock } from '../kit/clock';
import type { AuthSettings } from './auth';
import type { OAuthServer } from './oauth';
import type { JiraStore } from './store';
import type { WebhookEngine } from './webhook-engine';

/** What every route needs, built once per simulator instance (no module-level state). */
export interface SimContext {
  store: JiraStore;
  clock: SimClock;
  oauth: OAuthServer;
  webhooks: WebhookEngine;
  auth: AuthSettings;
  baseUrl(): string;
}

/** The root `self` links start from: the site URL, or https://api.atlassian.com/ex/jira/{cloudId} for OAuth calls. */
export function selfBase(ctx: SimContext, req: Request): string {
  return ctx.baseUrl() + req.baseUrl.replace(/\/rest\/api\/3$/, '');
}
