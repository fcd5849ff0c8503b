import { type PartnerTelemetry } from '../../connectors/http/telemetry';
import { type OAuthTokenStore } from '../../core/oauth-token-store';
import { type ConnectionRow } from '../../db/connections';
import { type Db } from '../../db/pool';

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
 * A record that points at another one (a purchase order at its vendor) which is not on the target yet: the record
 * waits (retried on later polls, shown in status) instead of failing, and is dead-lettered naming `refKey` when it
 * waited longer than its flow allows. Thrown by `map` or `create`/`update` (e.g. the target refused an unknown id).
 */
export class MissingReferenceError extends Error {
  constructor(
    readonly refKey: string,
    readonly reason: string,
  ) {
    super(`waiting for ${refKey}: ${reason}`);
    this.name = 'MissingReferenceError';
  }
}

/** A record's reference, as the source names it: checked against record_links before the record is mapped. */
export interface RecordReference {
  /** The referenced record's source key, e.g. 'vendor:SHARE/0000000042'. */
  key: string;
  /** Where that record is synced from and to (its link). */
  sourceSystem: string;
  targetSystem: string;
  /** Why the record waits while this reference is missing, in the user's terms (default: "not on <target> yet"). */
  reason?: string;
}

/** Target ids of a record's references, by reference key (what `map` uses to point at them). */
export type ResolvedReferences = ReadonlyMap<string, string>;

/**
 * One direction of an entity synced both ways (vendors PeopleSoft <-> Procurify). `canonical` turns a record of this
 * flow's source into a side-neutral form; `canonicalPayload` does the same for what this flow writes to its target,
 * and must agree with the reverse flow's `canonical` of that record read back (same fields, same formats): that is
 * how a read-back of our own write is recognised. Share one function of the neutral entity between both flows.
 */
export interface BothWays<Payload = unknown> {
  /**
   * The flow of the other direction over the same entity: its `fetchOne` reads our target's current version.
   * Convention the echo guard relies on: the id this flow writes to its target is the reverse flow's record key for
   * that record (and the other way round), so one side's link and the other side's mirror state name the same record.
   */
  reverseFlow: string;
  canonical(record: SourceRecord): Record<string, unknown>;
  canonicalPayload(payload: Payload, record: SourceRecord): Record<string, unknown>;
  /** Canonical fields that are financial (the default conflict rule lets PeopleSoft win on them). */
  financialFields?: string[];
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
  /**
   * Pure: throws MappingError for records that cannot be written, MissingReferenceError for one that must wait.
   * `refs` holds the target ids of what `references` named (all present, else the record waits before map).
   */
  map(record: SourceRecord, refs?: ResolvedReferences): Payload;
  /** The records this one points at, which must be on the target first (checked in record_links). */
  references?(record: SourceRecord): RecordReference[];
  /** Set when the entity also syncs the other way: echoes are skipped, conflicts settled by the flow's rule. */
  both?: BothWays<Payload>;
  create(payload: Payload, record: SourceRecord): Promise<{ targetId: string }>;
  /** Returns the target id when the write landed elsewhere (the old target was deleted and re-created): the link moves. */
  update(targetId: string, payload: Payload, record: SourceRecord): Promise<void | { targetId: string }>;
  /**
   * After a crash between create and link: finds what we created, by the external key we stored on the target.
   * `intentAt` is when we recorded the intent: anything we created for this record was created after it, which
   * bounds the search (e.g. Asana's modified_since) to the few records changed since, not the whole target.
   */
  findExisting(record: SourceRecord, hint: { intentAt: Date }): Promise<string | undefined>;
  /**
   * Optional: findExisting for every record of a window left with an intent and no link (intents are recorded a page
   * at a time, so a crash leaves up to a page of them), `intentAt` the earliest. For a target whose lookup is a
   * listing (Asana: the tasks modified since the intent), one listing answers them all instead of one per record.
   * Returns the target id of each record found; the engine calls it once, after the fence's wait, before any write.
   */
  findExistingMany?(records: SourceRecord[], hint: { intentAt: Date }): Promise<Map<string, string>>;
  /**
   * Why the payload is what it is, kept in the create/update audit row's detail (e.g. "assigned to the fallback
   * approver: KU0003 has no Asana account"). Pure; absent or undefined = nothing to add.
   */
  auditDetail?(payload: Payload): Record<string, unknown> | undefined;
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
  /** The database, for a pair's own per-connection tables (e.g. the PeopleSoft <-> Asana roster); absent = none. */
  pool?: Db;
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
