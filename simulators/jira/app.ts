import express, { Router, type Express } from 'express';
import { SimClock } from '../kit/clock';
import { FaultInjector } from '../kit/faults';
import { adminRoutes } from './admin-routes';
import { basicAuth, bearerAuth, type AuthSettings } from './auth';
import type { SimContext } from './context';
import { errorMiddleware, JiraHttpError, jiraErrorShapes } from './errors';
import { issueRoutes } from './issue-routes';
import { metaRoutes } from './meta-routes';
import { OAuthServer } from './oauth';
import { RateLimits } from './rate-limits';
import { RequestLog } from '../kit/request-log';
import { searchRoutes } from './search-routes';
import { JiraStore } from './store';
import { WebhookEngine } from './webhook-engine';
import { adminWebhookRoutes, dynamicWebhookRoutes } from './webhook-routes';

export const API_PATH = '/rest/api/3';
export const OAUTH_TOKEN_PATH = '/oauth/token';

export interface JiraSimulatorParts {
  app: Express;
  ctx: SimContext;
  faults: FaultInjector;
  limits: RateLimits;
  log: RequestLog;
  setBaseUrl(url: string): void;
}

/**
 * One server plays the three Atlassian hosts: the site (`https://<site>.atlassian.net/rest/api/3`, Basic auth), the
 * OAuth gateway (`https://api.atlassian.com/ex/jira/{cloudId}/rest/api/3` and `/oauth/token/accessible-resources`,
 * Bearer) and the token endpoint (`https://auth.atlassian.com/oauth/token`). Order: admin (never faulted), the token
 * endpoint (never logged: its bodies are secrets), the request log, auth, rate limits, faults, routes.
 */
export function createJiraApp(): JiraSimulatorParts {
  const store = new JiraStore();
  const clock = new SimClock();
  let baseUrl = 'http://127.0.0.1';
  const oauth = new OAuthServer(clock);
  const auth: AuthSettings = {};
  const ctx: SimContext = { store, clock, oauth, auth, webhooks: new WebhookEngine(store, clock, oauth, () => baseUrl), baseUrl: () => baseUrl };
  const faults = new FaultInjector(jiraErrorShapes);
  const limits = new RateLimits(clock);
  const log = new RequestLog(clock, {
    max: 50_000,
    keptHeaders: ['retry-after', 'ratelimit-reason', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-nearlimit', 'content-type'],
    // One path for the site URL and the api.atlassian.com/ex/jira/{cloudId} base; only REST calls are logged.
    path: (req) => {
      const path = req.path.replace(/^\/ex\/jira\/[^/]+/, '');
      return path.startsWith('/rest/') ? path : undefined;
    },
  });

  const api = Router();
  api.use(issueRoutes(ctx), searchRoutes(ctx), metaRoutes(ctx), dynamicWebhookRoutes(ctx));
  api.use((req) => {
    throw new JiraHttpError(404, [`null for uri: ${req.originalUrl}`]);
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '5mb', strict: false }));
  app.use('/__admin', adminRoutes({ ctx, faults, limits, log }));
  // https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#use-a-refresh-token-to-get-another-access-token-and-refresh-token-pair
  app.post(OAUTH_TOKEN_PATH, (req, res) => {
    const answer = oauth.token(req.body);
    res.status(answer.status).json(answer.body);
  });
  app.use(log.middleware());
  // https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/#3-1-get-the-cloudid-for-your-site
  app.get('/oauth/token/accessible-resources', bearerAuth(store, oauth, true), (_req, res) => {
    res.json([{ id: store.cloudId, url: baseUrl, name: 'simulated-site', scopes: ['read:jira-work', 'write:jira-work', 'manage:jira-webhook'], avatarUrl: `${baseUrl}/avatar.png` }]);
  });
  app.use(API_PATH, basicAuth(store, clock, auth), limits.middleware(), faults.middleware(), api);
  app.use(`/ex/jira/:cloudId${API_PATH}`, bearerAuth(store, oauth), limits.middleware(), faults.middleware(), api);
  app.use('/rest/webhooks/1.0/webhook', basicAuth(store, clock, auth), adminWebhookRoutes(ctx));
  app.use(() => {
    throw new JiraHttpError(404, ['Not Found']);
  });
  app.use(errorMiddleware());
  return { app, ctx, faults, limits, log, setBaseUrl: (url) => (baseUrl = url) };
}
