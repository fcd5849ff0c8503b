import { type PartnerTelemetry } from '../../connectors/http/telemetry';
import { type OAuthTokenStore } from '../../core/oauth-token-store';
import { type ConnectionRow } from '../../db/connections';

/** A source record as a flow sees it: a stable key, the source's change time, and the raw partner payload. */
export interface SourceRecord {
  key: string;
  updatedAt: string;
  data: unknown;
}

/** A record that cannot be mapped (missing field, unknown enum value): permanent, dead-lettered with the reason. */
export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/**
 * What differs between flows, as a small adapter over connectors: how to read a window of the source, how to map a
 * record, and how to create, update and find it on the target. The engine does the rest (identity, intent, hash,
 * audit, dead letters) once for all flows.
 */
export interface FlowRuntime<Payload = unknown> {
  sourceSystem: string;
  targetSystem: string;
  direction: string;
  fetchWindow(from: Date, to: Date): Promise<SourceRecord[]>;
  /** Pure: throws MappingError for records that cannot be written. */
  map(record: SourceRecord): Payload;
  create(payload: Payload, record: SourceRecord): Promise<{ targetId: string }>;
  update(targetId: string, payload: Payload, record: SourceRecord): Promise<void>;
  /**
   * After a crash between create and link: finds what we created, by the external key we stored on the target.
   * `intentAt` is when we recorded the intent: anything we created for this record was created after it, which
   * bounds the search (e.g. Asana's modified_since) to the few records changed since, not the whole target.
   */
  findExisting(record: SourceRecord, hint: { intentAt: Date }): Promise<string | undefined>;
  /** Re-reads one record for replay after a data fix at the source; when absent, replay uses the stored copy. */
  fetchOne?(key: string): Promise<SourceRecord | undefined>;
}

export interface FlowContext {
  connection: ConnectionRow;
  credentials: Record<string, unknown>;
  /** Where connectors count 429s and token refreshes (the worker's metrics); absent = not counted (API checks). */
  telemetry?: PartnerTelemetry;
  /**
   * Where a side's OAuth access token is shared between activities and workers (encrypted in oauth_tokens); absent =
   * each connector refreshes for itself and keeps the token in memory.
   */
  oauthTokens?: (side: string) => OAuthTokenStore;
}

export type FlowFactory = (ctx: FlowContext) => FlowRuntime | Promise<FlowRuntime>;

/** Return-path handler for webhook events (e.g. Asana task completed -> PeopleSoft approval). */
export interface InboxRuntime {
  handle(event: { kind: string; resourceId: string; eventId: string }): Promise<{ outcome: 'applied' | 'already_applied' | 'ignored'; recordKey: string; targetId?: string; flow: string; direction: string }>;
}
export type InboxFactory = (ctx: FlowContext) => InboxRuntime | Promise<InboxRuntime>;

/**
 * A pair's chore that is not a flow (webhook renewal, token refresh), bound to the worker's deps: the poll activity
 * runs it when `everyMs` passed since its last success, and on asked-for polls. See pairs/types.ts HousekeepingTask.
 */
export interface HousekeepingRuntime {
  name: string;
  kind: string;
  everyMs: number;
  enabled(config: unknown): boolean;
  run(ctx: FlowContext): Promise<{ action: string; detail?: string }>;
}

/** What the activities can run, built from the pairs list at boot (activities/index.ts) or by a test. */
export interface FlowRegistry {
  /** Keyed by pair, then flow name: two pairs may name flows alike, one pair may not. */
  flows: Record<string, Record<string, FlowFactory>>;
  /** Keyed by pair. */
  inbox: Record<string, InboxFactory>;
  /** Keyed by pair. */
  housekeeping?: Record<string, HousekeepingRuntime[]>;
}
