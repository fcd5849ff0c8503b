import type { RateLimitPolicy } from '../http/rate-limiter';

export const ASANA = 'asana';

/**
 * Asana's limits as data (https://developers.asana.com/docs/rate-limits): per token, 1,500 requests/min on paid
 * plans (150 on free), 50 concurrent GETs and 15 concurrent writes. We budget 50 under the minute limit (3%) because
 * Asana evaluates it more often than once a minute and counts refused requests too.
 */
export const asanaRateLimitPolicy: RateLimitPolicy = {
  maxConcurrentReads: 50,
  maxConcurrentWrites: 15,
  requestsPerWindow: 1450,
  windowMs: 60_000,
  defaultPauseMs: 1000,
};

/** The task fields every read asks for: lists are compact by default and would drop custom field values. */
export const TASK_OPT_FIELDS = [
  'name',
  'notes',
  'completed',
  'completed_at',
  'assignee',
  'due_on',
  'created_at',
  'modified_at',
  'memberships.project',
  'custom_fields.name',
  'custom_fields.type',
  'custom_fields.resource_subtype',
  'custom_fields.text_value',
  'custom_fields.number_value',
  'custom_fields.enum_value',
  'custom_fields.enum_value.name',
  'custom_fields.date_value',
  'custom_fields.display_value',
].join(',');

/**
 * The OAuth token endpoint for an API root: https://app.asana.com/api/1.0 -> https://app.asana.com/-/oauth_token
 * (https://developers.asana.com/docs/oauth; spec `oauth2.flows.authorizationCode.refreshUrl`). The same rule finds the
 * simulator's endpoint beside its /api/1.0, so a sandbox connection needs no extra setting.
 */
export function asanaTokenUrlFor(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/api\/1\.0$/, '')}/-/oauth_token`;
  url.search = '';
  url.hash = '';
  return url.toString();
}
