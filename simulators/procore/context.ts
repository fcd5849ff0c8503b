import type { SimClock } from '../kit/clock';
import type { RateLimits } from './rate-limits';
import type { ProcoreStore } from './store';
import type { ProcoreTokens } from './token-server';
import type { WebhookEngine } from './webhook-engine';

export interface SimContext {
  clock: SimClock;
  store: ProcoreStore;
  tokens: ProcoreTokens;
  limits: RateLimits;
  webhooks: WebhookEngine;
  /** Injected per-item refusals of sync actions, by resource and origin_id (admin: PUT /__admin/sync-errors). */
  syncErrors: Map<string, Record<string, string[]>>;
}
