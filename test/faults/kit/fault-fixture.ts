import { type Client } from '@temporalio/client';
import { type Db } from '../../../db/pool';

/**
 * What the fault suite needs from one sync pair, found by convention at `pairs/<pair>/fault-fixture.ts` (export
 * `faultFixture`). Listing a pair in pairs/index.ts puts it under every scenario; a listed pair without this file
 * makes the suite fail, naming the pair. The fixture knows only its pair: simulators, connection, seed data and how
 * to read the partner's final state. Worker, workflow, kills, dead letters and audit are the suite's (fault-run.ts).
 */
export interface PairFaultFixture {
  pairId: string;
  /**
   * Partners the connection reaches with OAuth tokens the suite can expire (R10), when opened with `oauth: true`:
   * every partner of the pair that has an OAuth grant. Absent: R10 does not apply.
   */
  oauthPartners?: string[];
  /** The pair has a webhook-driven return path its worlds expose (FaultWorld.returnPath); absent: R1r does not apply. */
  returnPath?: boolean;
  /** Starts the pair's simulators, seeds `records` source records and stores one connection (row + credentials). */
  open(deps: FixtureDeps, opts: FixtureOptions): Promise<FaultWorld>;
}

export interface FixtureDeps {
  pool: Db;
  client: Client;
  masterKey: string;
}

export interface FixtureOptions {
  /** Source records the first sync must bring to the target (the fixture may round to its object mix, see `records`). */
  records: number;
  /**
   * Store OAuth credentials for every partner that has an OAuth grant (R10: PeopleSoft through the customer's IdP,
   * Asana and Jira through our app), not only for those that have nothing else. Off: Basic or a personal/API token
   * where the partner offers one, also production credential kinds, which the other scenarios use.
   */
  oauth?: boolean;
}

/** One record as the suite compares it: its source key and the fields the fixture checks, as plain strings. */
export interface RecordState {
  key: string;
  fields: Record<string, string | null>;
}

/** A record read from the partner: also its id there (compared with our record link). */
export interface PartnerRecord extends RecordState {
  targetId: string;
}

/** A partner simulator's fault surface (simulators/kit/faults.ts behind `/__admin/faults`). */
export interface FaultSurface {
  setFaults(faults: StormSettings): Promise<void>;
  /** `truncations` when the simulator can cut answers short (simulators/kit/faults.ts `truncateRate`). */
  injected(): Promise<{ errors: number; drops: number; tooManyRequests: number; truncations?: number }>;
  /** Answers with their time and status, when the simulator logs them (the 429 share and the request rate). */
  answers?(): Promise<Array<{ atMs: number; status: number | null }>>;
  /** Moves the simulator's own clock forward (R12: the partner lives a 2-hour outage); needed on the pair's target. */
  advanceClock?(ms: number): Promise<void>;
}

/** The kit's fault settings (simulators/kit/faults.ts faultsSchema input). */
export interface StormSettings {
  errorRate?: number;
  errorStatus?: number;
  latencyMs?: number;
  dropRate?: number;
  truncateRate?: number;
  burst429?: { count: number; retryAfterSeconds: number };
  seed?: number;
}

export interface FaultWorld {
  connectionId: string;
  /** Every secret the connection's credentials hold (unique canaries per world), by name: R8 searches for them. */
  secrets: Record<string, string>;
  /** Every record the source holds, as the target should show it once the sync is done. */
  expected(): Promise<RecordState[]>;
  /** Every record the target holds that carries one of our record keys (several with one key are duplicates). */
  actual(): Promise<PartnerRecord[]>;
  /** R10: per OAuth partner (named in the fixture's oauthPartners, all of them when opened with `oauth`), how to expire every live token and count grants. */
  tokens?: Record<string, TokenSurface>;
  /** The partner simulators, by name, for storms. */
  simulators: Record<string, FaultSurface>;
  /**
   * R5: makes about `share` of the source records permanently refused by the target partner (a 4xx no retry cures),
   * before the first sync; returns their keys and what the partner's raw answer must contain.
   */
  breakRecords(share: number): Promise<{ keys: string[]; rawAnswer: RegExp }>;
  /** R5: fixes what breakRecords broke, as an operator would (mapping or data), so a replay succeeds. */
  fixRecords(): Promise<void>;
  close(): Promise<void>;
  /** R11: the clock of the partner a flow reads by last-changed time, and edits it stamps; absent: R11 fails naming the pair. */
  sourceClock?: SourceClockSurface;
  /** R1 on the return path: points the partner's webhooks at `apiUrl` (the suite's API) once the first sync is done. */
  returnPath?(apiUrl: string): Promise<ReturnPathSurface>;
}

/** A partner's token server, as R10 drives it: every live token expires at once; tokens granted so far. */
export interface TokenSurface {
  /**
   * The pair only reads this partner, at the start of a poll (Procurify as a source): its tokens must expire right
   * after the first grant, while the reads go on; a partner that is written expires once writes are under way.
   */
  readAtStartOnly?: boolean;
  expireAll(): Promise<void>;
  grants(): Promise<number>;
}

/**
 * R11: one timestamp-windowed flow's source, as clock skew drives it. The partner stamps every change from its own
 * clock (which `setSkew` moves off ours, backwards too); `change` changes records the way a user would (edits a
 * compared field, or adds a record where the pair syncs no edits), so the target must show them; saved at the partner
 * clock's now or at an exact instant (a window's edge).
 */
export interface SourceClockSurface {
  /** The flow whose watermark the changed records are read against (its windows and overlap). */
  flow: string;
  /** The simulator (a key of FaultWorld.simulators) answering the flow's reads: slowed while changes land mid-read. */
  simulator: string;
  /** The partner's clock `ms` off ours: + ahead, - behind. */
  setSkew(ms: number): Promise<void>;
  /** Changes `count` records no earlier call changed, saved at `atMs` when given, else the partner's now; their keys. */
  change(count: number, atMs?: number): Promise<string[]>;
}

/**
 * R1 on the return path: a pair whose partner's webhooks drive writes back (decisions a user makes there, applied by
 * the inbox). FaultWorld.returnPath runs once the first sync is done, with the suite's API listening: the fixture points
 * the partner's webhooks at it (as a customer's admin, or our housekeeping at the next asked-for poll, registers them).
 */
export interface ReturnPathSurface {
  /** What the return path writes, named for the notes (e.g. 'PeopleSoft approvals through the approval CIs'). */
  writes: string;
  /** The partner's webhooks are registered at the API and live (at once, or after an asked-for poll's housekeeping registered them). */
  live(): Promise<boolean>;
  /** Makes `count` new decisions on synced records, as a user would in the partner's UI; returns their record keys. */
  decide(count: number): Promise<string[]>;
  /** Every decided record as the written side must end: one entry per decided key. */
  expected(): Promise<RecordState[]>;
  /** The written side's state of the decided records (a key twice is a duplicate). */
  actual(): Promise<PartnerRecord[]>;
  /** Writes the return path made per decided key since FaultWorld.returnPath, from the written partner's own log. */
  writeCounts(): Promise<Map<string, number>>;
}
