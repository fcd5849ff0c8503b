import { ApplicationFailure } from '@temporalio/activity';
import { decideConflict, defaultConflictRule, type ConflictRule } from '../core/conflict-rule';
import { appendAuditEvents, type AuditEvent } from '../db/audit-events';
import { findReverseLinks, getMirrorStates, setMirrorStates } from '../db/mirror-states';
import { withFence, type Lease } from '../db/connection-leases';
import { type Db } from '../db/pool';
import { type RecordLink } from '../db/record-links';
import { type BothWays, type FlowRuntime, type SourceRecord } from './flows/types';
import { payloadHash } from './record-hash';

/** What to do with a record of a bidirectional flow before writing it. */
export type EchoVerdict =
  /** Read back as we left it (our own write, or already synced): nothing to write. */
  | { kind: 'echo' }
  /** A real change: write it (to `targetId` when the record exists on the target, even if only the reverse flow linked it). */
  | { kind: 'write'; targetId?: string }
  /** Both sides changed and the target won: its version was written back to the source; nothing to write here. */
  | { kind: 'kept-target' };

type Both = { runtime: FlowRuntime & { both: BothWays }; reverse: FlowRuntime & { both: BothWays } };

/**
 * Keeps an entity synced both ways from echoing. `mirror_states` holds, per system and record, the canonical hash
 * of the record as we left it: after a write, the target's (from what we wrote) and the source's (from what we
 * read). A record read back with that hash is our own write coming home and is skipped. A record that changed while
 * its counterpart on the target also changed since we left it is a conflict, settled by the flow's rule and audited.
 */
export class EchoGuard {
  private sourceStates = new Map<string, string>();
  private targetStates = new Map<string, string>();
  private reverseLinks = new Map<string, string>();
  echoes = 0;

  constructor(
    private readonly pool: Db,
    private readonly flows: Both,
    private readonly audit: Omit<AuditEvent, 'recordKey' | 'action' | 'outcome'> & { reverseFlow: string },
    private readonly rule: ConflictRule | undefined,
  ) {}

  /** One round trip per table for a page: mirror states of both sides and reverse links. */
  async load(records: SourceRecord[], links: Map<string, RecordLink>): Promise<void> {
    const { runtime } = this.flows;
    const keys = records.map((r) => r.key);
    this.sourceStates = await getMirrorStates(this.pool, this.audit.connectionId, runtime.sourceSystem, keys);
    this.reverseLinks = await findReverseLinks(this.pool, this.audit.connectionId, runtime.targetSystem, runtime.sourceSystem, keys);
    const targetIds = records.map((r) => this.targetOf(r.key, links.get(r.key))).filter((id): id is string => id !== undefined);
    this.targetStates = await getMirrorStates(this.pool, this.audit.connectionId, runtime.targetSystem, targetIds);
  }

  /** Whether the record has a counterpart on the target we know of (its link or the reverse flow's): then it is never created. */
  knowsTarget(key: string, link: RecordLink | undefined): boolean {
    return this.targetOf(key, link) !== undefined;
  }

  private targetOf(key: string, link: RecordLink | undefined): string | undefined {
    return (link?.state === 'linked' && link.target_id) || this.reverseLinks.get(key);
  }

  /** `lease`: the attempt's hold on the connection; a conflict's writes (states, audit) are refused once it is stale. */
  async check(record: SourceRecord, link: RecordLink | undefined, lease?: Lease): Promise<EchoVerdict> {
    const { runtime, reverse } = this.flows;
    const sourceCanonical = runtime.both.canonical(record);
    const sourceHash = payloadHash(sourceCanonical);
    const lastSource = this.sourceStates.get(record.key);
    const targetId = this.targetOf(record.key, link);
    // An echo needs a counterpart we know of: a mirror state without a link (left by an attempt whose link write the
    // fence refused) is not proof the target has the record, so the record is written (found or created) instead.
    if (lastSource === sourceHash && targetId !== undefined) {
      this.echoes += 1;
      return { kind: 'echo' };
    }
    const lastTarget = targetId === undefined ? undefined : this.targetStates.get(targetId);
    if (targetId === undefined || lastTarget === undefined || !reverse.fetchOne) return { kind: 'write', targetId };
    // The source changed. Did the target too, since we left it? Only its current version can say.
    const current = await reverse.fetchOne(targetId);
    if (!current) return { kind: 'write', targetId };
    const targetCanonical = reverse.both.canonical(current);
    const targetHash = payloadHash(targetCanonical);
    if (targetHash === lastTarget) return { kind: 'write', targetId };

    const rule = this.rule ?? defaultConflictRule(runtime.both.financialFields ?? []);
    const decision = decideConflict(rule, { sourceSystem: runtime.sourceSystem, targetSystem: runtime.targetSystem, source: sourceCanonical, target: targetCanonical });
    await withFence(this.pool, lease, (db) =>
      appendAuditEvents(db, [
        {
          ...this.audit,
          recordKey: record.key,
          action: 'conflict',
          outcome: 'ok',
          targetId,
          detail: { winner: decision.winner === 'source' ? runtime.sourceSystem : runtime.targetSystem, reason: decision.reason, differing: decision.differing, sourceHash, targetHash, lastSyncedSourceHash: lastSource ?? null, lastSyncedTargetHash: lastTarget },
        },
      ]),
    );
    if (decision.winner === 'source') return { kind: 'write', targetId };
    // The target's version wins: write it to the source through the reverse flow, so both sides agree now.
    const payload = reverse.map(current);
    await reverse.update(record.key, payload, current);
    await setMirrorStates(
      this.pool,
      this.audit.connectionId,
      [
        { system: runtime.sourceSystem, recordKey: record.key, hash: payloadHash(reverse.both.canonicalPayload(payload, current)) },
        { system: runtime.targetSystem, recordKey: targetId, hash: targetHash },
      ],
      lease,
    );
    await withFence(this.pool, lease, (db) => appendAuditEvents(db, [{ ...this.audit, flow: this.audit.reverseFlow, direction: reverse.direction, recordKey: targetId, action: 'update', outcome: 'ok', targetId: record.key, detail: { conflict: true } }]));
    return { kind: 'kept-target' };
  }

  /** After a write: both sides as we left them (the source as read, the target as written); only while `lease` holds. */
  async remember(record: SourceRecord, payload: unknown, targetId: string, lease?: Lease): Promise<void> {
    const { runtime } = this.flows;
    await setMirrorStates(
      this.pool,
      this.audit.connectionId,
      [
        { system: runtime.sourceSystem, recordKey: record.key, hash: payloadHash(runtime.both.canonical(record)) },
        { system: runtime.targetSystem, recordKey: targetId, hash: payloadHash(runtime.both.canonicalPayload(payload, record)) },
      ],
      lease,
    );
  }
}

/** The guard for a flow that syncs an entity both ways; undefined for one-way flows. */
export async function echoGuardFor(
  pool: Db,
  runtime: FlowRuntime,
  reverseOf: (flow: string) => Promise<FlowRuntime>,
  audit: Omit<AuditEvent, 'recordKey' | 'action' | 'outcome'>,
  rule: ConflictRule | undefined,
): Promise<EchoGuard | undefined> {
  if (!runtime.both) return undefined;
  const reverse = await reverseOf(runtime.both.reverseFlow);
  if (!reverse.both) throw ApplicationFailure.nonRetryable(`flow ${audit.flow} names ${runtime.both.reverseFlow} as its reverse flow, which does not declare \`both\``, 'FlowMisconfigured');
  return new EchoGuard(pool, { runtime: runtime as Both['runtime'], reverse: reverse as Both['reverse'] }, { ...audit, reverseFlow: runtime.both.reverseFlow }, rule);
}
