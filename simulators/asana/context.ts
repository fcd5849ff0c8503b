import type { Request } from 'express';
import type { SimClock } from '../kit/clock';
import type { PaginationSettings } from './pagination';
import type { OAuthServer } from './oauth';
import type { AsanaStore } from './store';
import type { WebhookEngine } from './webhook-engine';
import { parseOptFields } from './opt-fields';

/** What every route needs, built once per simulator instance (no module-level state). */
export interface SimContext {
  store: AsanaStore;
  clock: SimClock;
  webhooks: WebhookEngine;
  oauth: OAuthServer;
  pagination: PaginationSettings;
  baseUrl(): string;
}

/** opt_fields from the query string, or from `options.fields` next to `data` in a JSON body (input/output options doc). */
export function optFieldsOf(req: Request): string[] | undefined {
  const fromQuery = parseOptFields(req.query.opt_fields);
  if (fromQuery) return fromQuery;
  const options = (req.body as { options?: { fields?: unknown } } | undefined)?.options;
  return Array.isArray(options?.fields) ? options.fields.filter((f): f is string => typeof f === 'string') : undefined;
}

/** The `data` object of a JSON write; Asana answers 400 when it is missing. */
export function dataOf(req: Request): Record<string, unknown> | undefined {
  const data = (req.body as { data?: unknown } | undefined)?.data;
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}
