import { type z } from 'zod';
import { type FlowContext, type FlowFactory, type InboxFactory } from '../activities/flows/types';
import { type ConflictRule } from '../core/conflict-rule';
import { type InboxEvent } from '../core/sync-types';
import { type ConnectionRow } from '../db/connections';
import { type CredentialCipher } from '../db/credential-cipher';
import { type Db } from '../db/pool';
import { type RunningSimulator, type SimulatorOptions } from '../simulators/kit/types';

/**
 * Everything about one sync pair, in one typed value: `pairs/<pair>/index.ts` exports it and `pairs/index.ts` lists
 * it once. The API's create/update schemas, the control plane (test, dry run, config changes), the worker's flow
 * registry, the webhook routes, the housekeeping the poll runs, `npm start`'s demo, the simulators it starts and the
 * test harnesses (the conformance suite included) all derive from that list; nothing else registers a pair.
 *
 * Workflow code cannot import this (it is I/O): each pair keeps a one-line `workflows/<pair>.ts` calling the engine,
 * exported by `workflows/index.ts`, and the workflow receives its flows as data (FlowSettings) in its input.
 *
 * Stability: other pairs are declared against this shape. Change it additively only (new optional fields).
 */
export interface PairDefinition<Config = unknown> {
  /** The `pair` of a connection, e.g. 'peoplesoft-asana': in URLs, search attributes, metrics labels. */
  id: string;
  /** The workflow type, exported by name from workflows/index.ts (one-line file calling runSyncEngine). */
  workflowType: string;
  /** One line for humans reading the declaration and the logs. */
  description: string;
  /**
   * The connection's config (`connections.config`, never secret, shown in API responses). Must be a zod object with
   * a `schedule` string (cron or `@every Ns`) and, when flows can be switched off, a `flows` object of booleans.
   * Its output type is `Config`.
   */
  configSchema: z.ZodType<Config>;
  /**
   * The secret sides (`connection_credentials.side`), each with its schema: usually a discriminated union on
   * `method`. They are validated as `credentials.<side>` on create and one side at a time on update.
   */
  credentials: Record<string, z.ZodType>;
  /** The flows, in the order a poll runs them. */
  flows: FlowDeclaration<Config>[];
  /** The return path: verified webhook events of this pair's connections are handed to it, in resource order. */
  inbox?: InboxFactory;
  /** What webhooks this pair receives, per partner, at `POST /webhooks/<partner>/<connectionId>`. */
  webhooks?: WebhookReceiver[];
  /** Periodic chores that are not flows (webhook renewal, token refresh), run by the poll when due. */
  housekeeping?: HousekeepingTask<Config>[];
  /** "Ping your real systems" (`mlc connections test`): read-only calls with the stored credentials. */
  check(ctx: FlowContext): Promise<SystemCheck[]>;
  /** A connection of this pair over the local simulators: `npm start`'s demo and the conformance suite use it. */
  demo: PairDemo;
}

/**
 * One flow: a source-to-target adapter (the factory) plus the data that tells the engine how to walk time for it.
 * Its name is unique within the pair (the registry refuses duplicates at boot); it names the flow in status,
 * audit rows, dead letters and metrics.
 */
export interface FlowDeclaration<Config = unknown> {
  name: string;
  /** The systems it reads and writes, e.g. 'peoplesoft' -> 'asana' (for readers; the adapter's own sourceSystem and targetSystem key record links). */
  source: string;
  target: string;
  /**
   * The flow's windows for a connection: overlap before the watermark, the most source time one activity covers, and
   * where the first sync starts. `createdAt` is the connection's creation time.
   */
  window(config: Config, createdAt: Date): FlowWindow;
  /** On/off switch: `config.flows[key]`, `defaultOn` when the config does not say. Absent: always on. */
  switch?: { key: string; defaultOn: boolean };
  /**
   * Flows of the same pair whose records this one's records point at (`purchase orders after vendors`): within a
   * poll this flow never reads past their watermarks. Passed to the engine in FlowSettings.dependsOn.
   */
  dependsOn?: string[];
  /**
   * For flows of an entity that syncs both ways: who wins when both sides changed since the last sync (the engine
   * applies and audits it). Passed through to FlowSettings.conflictRule; absent = the engine's default.
   */
  conflictRule?: ConflictRule;
  /** Dry run may call its fetchWindow and map (they must have no side effect). */
  previewable: boolean;
  /** Builds the adapter for one activity, from the connection and its decrypted credentials. */
  factory: FlowFactory;
}

export interface FlowWindow {
  overlapMs: number;
  maxWindowMs: number;
  /** ISO time where the first sync starts. */
  initialFrom: string;
}

/** How simultaneous edits of a bidirectional flow resolve (the engine's type; plain data in the workflow input). */
export type { ConflictRule } from '../core/conflict-rule';

export interface SystemCheck {
  system: string;
  check: string;
  ok: boolean;
  /** What works, or what a human must do to fix it. */
  message: string;
  code?: string;
}

/** What a webhook receiver needs besides the request: the database (registrations, secrets) and the cipher. */
export interface WebhookDeps {
  pool: Db;
  cipher: CredentialCipher;
}

export interface WebhookRequest {
  /**
   * Absent when the path names no live connection of a pair with this receiver: the receiver must then refuse exactly
   * as it refuses a known connection's unsigned request, so the unauthenticated route never tells which ids exist.
   */
  connection?: ConnectionRow;
  /** The query string, parsed (e.g. Asana's one-time handshake token in the target URL we registered). */
  query: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as received: signatures are over these, never over a re-serialized body. */
  rawBody: Buffer;
}

/**
 * What a receiver made of one request. `reply`: answer as given and signal nothing (a handshake, a heartbeat).
 * `rejected`: 401 (not verified) or 400 (verified but not a delivery). `delivery`: verified events for the inbox;
 * `deliveryId` identifies the delivery across the partner's retries (the route signals a delivery id once).
 */
export type WebhookVerdict =
  | { kind: 'reply'; status: number; headers?: Record<string, string>; body?: unknown }
  | { kind: 'rejected'; status: 400 | 401; reason: string }
  | { kind: 'delivery'; deliveryId: string; events: InboxEvent[] };

/** One partner's webhooks for this pair: verification (signature, handshake) and how a delivery becomes events. */
export interface WebhookReceiver {
  /** The `:partner` of `/webhooks/:partner/:connectionId`, e.g. 'asana'. */
  partner: string;
  /** Largest body accepted (express size string, e.g. '1mb'). */
  maxBody?: string;
  receive(deps: WebhookDeps, req: WebhookRequest): Promise<WebhookVerdict>;
  /**
   * For the conformance suite: prepares the connection so a delivery can verify (e.g. stores a registration and its
   * secret) and returns one signed delivery with at least one event. Written with the partner's documented signing.
   */
  signedSample(deps: WebhookDeps, connectionId: string): Promise<{ headers: Record<string, string>; body: Buffer }>;
}

/**
 * A chore of the pair that is not a flow: it reads no records and writes none through the engine, so it has no
 * watermark. The poll activity runs it when `everyMs` has passed since its last success (recorded per connection
 * in `housekeeping_runs`), and on every asked-for poll (pollNow, a connection's first poll). A failure is logged
 * and recorded, never fails the poll; it is tried again at the next poll.
 */
export interface HousekeepingTask<Config = unknown> {
  /** Unique within the pair, e.g. 'asana-webhook'. */
  name: string;
  /** The kind of chore, for logs and status: a webhook registration check, an OAuth token refresh. */
  kind: 'webhook-renewal' | 'token-refresh' | 'other';
  everyMs: number;
  /** Absent: always on. */
  enabled?(config: Config): boolean;
  run(deps: WebhookDeps, ctx: FlowContext): Promise<HousekeepingOutcome>;
}

/** What a housekeeping run did, in a line (logged and kept in housekeeping_runs). */
export interface HousekeepingOutcome {
  action: string;
  detail?: string;
}

/**
 * A connection of this pair over the local simulators. `simulators` names the partner simulators that must be
 * running; `connect` seeds them (fresh in-memory data) and returns the config and credentials of a
 * connection against them, as a customer would send them to `POST /v1/connections`.
 */
export interface PairDemo {
  /** The CustomerId its demo connection runs under (Temporal UI search attribute); absent = the shared demo customer. */
  customerId?: string;
  /** The simulators it needs, by name, with their start functions (simulators/registry.ts collects them). */
  simulators: Record<string, (opts: SimulatorOptions) => Promise<RunningSimulator>>;
  connect(env: DemoEnvironment): Promise<{ config: Record<string, unknown>; credentials: Record<string, Record<string, unknown>> }>;
}

export interface DemoEnvironment {
  /** Base URL of each running simulator, by registry name. */
  simulators: Record<string, string>;
  /** Our API's public base URL (webhook targets). */
  apiUrl: string;
}
