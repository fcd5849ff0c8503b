import { z } from 'zod';
import { resourceId, updateConnectionSchema } from '../core/connection-request';
import { createConnectionSchema } from './pair-controls';

/**
 * Every route's request and response shapes, defined once: handlers parse requests with them, /openapi.json is
 * generated from them, and the conformance test checks real responses against that document.
 */
const isoTime = z.iso.datetime({ offset: true });

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    details: z.unknown().optional(),
  }),
});

export const connectionView = z.object({
  id: z.string(),
  customerId: z.string(),
  pair: z.string(),
  status: z.enum(['active', 'paused', 'deleted']),
  config: z.record(z.string(), z.unknown()),
  /** Which secrets are set: non-secret fields (auth method, user name) by value, every other field as 'set'. */
  credentials: z.record(z.string(), z.record(z.string(), z.string())),
  workflowId: z.string(),
  temporalUiUrl: z.string(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type ConnectionView = z.infer<typeof connectionView>;

export const connectionList = z.object({ connections: z.array(connectionView), nextAfterId: z.string().nullable() });

export const listConnectionsQuery = z
  .object({
    customerId: resourceId.optional(),
    pair: z.string().optional(),
    status: z.enum(['active', 'paused', 'deleted']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    afterId: z.string().optional(),
  })
  .strict();

export const configUpdateResult = connectionView.extend({
  /** What the running workflow now uses, as it answered the update; null when no run was open to apply it. */
  applied: z.object({ schedule: z.string(), flows: z.array(z.string()) }).nullable(),
});

export const controlResult = z.object({ connectionId: z.string(), action: z.enum(['pause', 'resume', 'sync']), status: z.enum(['active', 'paused']) });

const flowProgress = z.object({
  watermark: z.string(),
  synced: z.number(),
  failed: z.number(),
  lastPollAt: z.string().optional(),
  lastError: z.string().optional(),
  /** Records waiting for a reference that is not on the target yet: how many, and a few missing keys. */
  waiting: z.object({ count: z.number(), missingKeys: z.array(z.string()) }).optional(),
});

export const statusView = z.object({
  connectionId: z.string(),
  pair: z.string(),
  state: z.enum(['idle', 'polling', 'processing-inbox', 'replaying', 'paused']),
  paused: z.boolean(),
  schedule: z.string(),
  nextPollAt: z.string().optional(),
  lastPollAt: z.string().optional(),
  progress: z.record(z.string(), flowProgress),
  inboxPending: z.number(),
  totals: z.object({ polls: z.number(), inboxEvents: z.number(), duplicatesDropped: z.number(), runs: z.number() }),
  runStartedAt: z.string(),
  openDeadLetters: z.number(),
  /** The window being synced now, from its activity's last heartbeat: records fetched, and done (written or unchanged). */
  currentWindow: z.object({ flow: z.string(), fetched: z.number(), done: z.number(), attempt: z.number() }).optional(),
  /**
   * Present while every attempt of the sync fails transiently (a partner down: 5xx, refused connections): since when,
   * how many attempts failed, the last error and when the next attempt runs. Gone once an attempt gets through.
   */
  outage: z.object({ since: z.string(), failedAttempts: z.number(), lastError: z.string(), nextRetryAt: z.string().optional() }).optional(),
});

export const testResult = z.object({
  ok: z.boolean(),
  checks: z.array(z.object({ system: z.string(), check: z.string(), ok: z.boolean(), message: z.string(), code: z.string().optional() })),
});

export const dryRunAction = z.enum(['create', 'update', 'skip', 'fail']);
export const dryRunResult = z.object({
  flows: z.array(
    z.object({
      flow: z.string(),
      from: isoTime,
      to: isoTime,
      /** The poll would go on with further windows after this one (a catch-up). */
      moreWindows: z.boolean(),
      counts: z.object({ create: z.number(), update: z.number(), skip: z.number(), fail: z.number() }),
      records: z.array(z.object({ key: z.string(), action: dryRunAction, targetId: z.string().optional(), reason: z.string().optional() })),
      error: z.string().optional(),
    }),
  ),
});

export const deadLetterView = z.object({
  id: z.number(),
  flow: z.string(),
  recordKey: z.string(),
  status: z.enum(['open', 'resolved']),
  errorCode: z.string().nullable(),
  errorMessage: z.string(),
  partnerStatus: z.number().nullable(),
  rawResponse: z.string().nullable(),
  attempts: z.number(),
  firstFailedAt: isoTime,
  lastFailedAt: isoTime,
});
export const deadLetterList = z.object({ deadLetters: z.array(deadLetterView) });
export const deadLetterQuery = z
  .object({ status: z.enum(['open', 'resolved']).default('open'), flow: z.string().optional(), recordKey: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) })
  .strict();
const filterText = z.string().min(1).max(500);
export const replayRequest = z.object({ flow: filterText.optional(), recordKeys: z.array(filterText).max(1000).optional(), errorCode: filterText.optional() }).strict();
/** Dead-letter ids are bigserials read as JavaScript numbers: positive safe integers, anything else is refused. */
export const deadLetterIdParams = z.object({
  deadLetterId: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, 'a dead letter id: a positive integer')
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n), 'a dead letter id: a positive integer up to 9007199254740991'),
});
export const replayResult = z.object({ attempted: z.number(), resolved: z.number(), stillFailing: z.number() });

export const auditQuery = z.object({ recordKey: z.string().optional(), afterId: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
export const auditPage = z.object({
  events: z.array(
    z.object({
      id: z.number(),
      flow: z.string(),
      recordKey: z.string(),
      direction: z.string(),
      action: z.string(),
      outcome: z.string(),
      targetId: z.string().nullable(),
      workflowId: z.string().nullable(),
      runId: z.string().nullable(),
      errorCode: z.string().nullable(),
      errorBody: z.string().nullable(),
      /** What the flow added, e.g. `{ assignment: { via: 'fallback', reason } }` for an approval task. */
      detail: z.record(z.string(), z.unknown()).nullable(),
      createdAt: isoTime,
    }),
  ),
  /** Pass as afterId for the next page; null on the last page. */
  nextAfterId: z.number().nullable(),
});

/** A PeopleSoft <-> Asana connection's roster: each employee and their Asana user, or why none. */
export const rosterView = z.object({
  counts: z.object({ employees: z.number(), matched: z.number(), noAsanaAccount: z.number(), inactive: z.number() }),
  roster: z.array(
    z.object({
      emplid: z.string(),
      oprid: z.string().nullable(),
      name: z.string(),
      email: z.string().nullable(),
      emplStatus: z.string().nullable(),
      status: z.enum(['matched', 'no-asana-account', 'inactive']),
      asanaUserGid: z.string().nullable(),
      asanaUserName: z.string().nullable(),
      sourceUpdatedAt: isoTime,
      updatedAt: isoTime,
    }),
  ),
});

/** The Temporal codec server protocol: proto3 JSON payloads, metadata values and data base64. */
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
/** `{}` is proto3 JSON for "no payloads" (an empty repeated field is omitted), which `temporal workflow show` sends. */
export const codecPayloads = z.object({ payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })).max(10_000).default([]) });
export const codecSessionRequest = z.object({ key: z.string().min(1) }).strict();
export const codecSession = z.object({ expiresAt: isoTime });

export { createConnectionSchema, updateConnectionSchema };

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI style: `{id}`. */
  path: string;
  summary: string;
  auth: boolean;
  body?: z.ZodType;
  query?: z.ZodObject;
  responses: Record<number, z.ZodType>;
}

const withErrors = (ok: Record<number, z.ZodType>, ...codes: number[]): Record<number, z.ZodType> => ({
  ...ok,
  // 400 (malformed URL or body encoding), 413/415 (body size, encoding) and 422 (edge validation) can answer any route,
  // and 503 with Retry-After while PostgreSQL is down or restarting (api/error-mapping.ts).
  ...Object.fromEntries([400, 401, 413, 415, 422, 503, ...codes].map((c) => [c, errorBody])),
});
const id = '/v1/connections/{id}';

export const operations: Operation[] = [
  { method: 'post', path: '/v1/connections', summary: 'Create a connection and start its sync workflow', auth: true, body: createConnectionSchema, responses: withErrors({ 201: connectionView }, 400, 404, 409, 422) },
  { method: 'get', path: '/v1/connections', summary: 'List connections (filter by customer, pair, status)', auth: true, query: listConnectionsQuery, responses: withErrors({ 200: connectionList }, 422) },
  { method: 'get', path: id, summary: 'Read a connection (secrets shown as set, never their values)', auth: true, responses: withErrors({ 200: connectionView }, 404) },
  { method: 'patch', path: id, summary: 'Update config and/or credentials; the running workflow applies it without a restart', auth: true, body: updateConnectionSchema, responses: withErrors({ 200: configUpdateResult }, 400, 404, 409, 422) },
  { method: 'delete', path: id, summary: 'Stop the workflow and mark the connection deleted (audit trail kept, secrets dropped)', auth: true, responses: withErrors({ 200: connectionView }, 404) },
  { method: 'post', path: `${id}/pause`, summary: 'Pause syncing', auth: true, responses: withErrors({ 202: controlResult }, 404, 409) },
  { method: 'post', path: `${id}/resume`, summary: 'Resume syncing', auth: true, responses: withErrors({ 202: controlResult }, 404, 409) },
  { method: 'post', path: `${id}/sync`, summary: 'Poll now', auth: true, responses: withErrors({ 202: controlResult }, 404, 409) },
  { method: 'get', path: `${id}/status`, summary: 'Status from the running workflow', auth: true, responses: withErrors({ 200: statusView }, 404, 409, 503) },
  { method: 'post', path: `${id}/test`, summary: 'Ping the real systems with the stored credentials', auth: true, responses: withErrors({ 200: testResult }, 404, 409) },
  { method: 'post', path: `${id}/dry-run`, summary: 'What the next poll would create, update or skip, without writing', auth: true, responses: withErrors({ 200: dryRunResult }, 404, 409) },
  { method: 'get', path: `${id}/dead-letters`, summary: 'List dead letters', auth: true, query: deadLetterQuery, responses: withErrors({ 200: deadLetterList }, 404, 422) },
  { method: 'post', path: `${id}/dead-letters/replay`, summary: 'Replay dead letters (all open ones, or a filter)', auth: true, body: replayRequest, responses: withErrors({ 200: replayResult }, 400, 404, 409, 422, 503) },
  { method: 'post', path: `${id}/dead-letters/{deadLetterId}/replay`, summary: 'Replay one dead letter', auth: true, responses: withErrors({ 200: replayResult }, 404, 409, 503) },
  { method: 'post', path: '/codec/decode', summary: 'Temporal codec server: decrypt payloads for the Temporal UI or CLI (admin key, or a codec session cookie)', auth: true, body: codecPayloads, responses: withErrors({ 200: codecPayloads }, 400, 403, 413, 422) },
  { method: 'post', path: '/codec/encode', summary: 'Temporal codec server: encrypt payloads (admin key, or a codec session cookie)', auth: true, body: codecPayloads, responses: withErrors({ 200: codecPayloads }, 400, 403, 413, 422) },
  { method: 'post', path: '/codec/session', summary: 'Exchange an admin key for an 8-hour codec session cookie (the Temporal UI sends cookies, not keys)', auth: true, responses: withErrors({ 200: codecSession }, 403) },
  { method: 'get', path: `${id}/roster`, summary: 'PeopleSoft <-> Asana: the roster (employee -> Asana user by email, or why none)', auth: true, responses: withErrors({ 200: rosterView }, 404) },
  { method: 'get', path: `${id}/audit`, summary: 'Audit trail of a connection or one record key, paged by afterId', auth: true, query: auditQuery, responses: withErrors({ 200: auditPage }, 404, 422) },
];
