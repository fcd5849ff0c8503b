import { DEFAULT_WAIT_FOR_REFERENCE_MS } from '../core/flow-dependencies';
import { appendAuditEvents, type AuditEvent } from '../db/audit-events';
import { withFence, type Lease } from '../db/connection-leases';
import { upsertDeadLetter } from '../db/dead-letters';
import { type Db } from '../db/pool';
import { getLinks } from '../db/record-links';
import { deleteWaiting, listWaiting, upsertWaiting, waitingSnapshot, type WaitingRecord } from '../db/waiting-records';
import { type FlowRuntime, type MissingReferenceError, type RecordReference, type SourceRecord } from './flows/types';

/** A record's references as record_links knows them: every target id, or the first one still missing. */
export interface ReferenceCheck {
  refs: Map<string, string>;
  missing?: RecordReference;
}

/** Looks up every reference of a page in record_links (one query per referenced system pair). */
export async function resolveReferences(pool: Db, connectionId: string, runtime: FlowRuntime, records: SourceRecord[]): Promise<Map<string, ReferenceCheck>> {
  const out = new Map<string, ReferenceCheck>();
  if (!runtime.references) return out;
  const perRecord = records.map((r) => ({ record: r, refs: runtime.references!(r) }));
  const bySystems = new Map<string, { sourceSystem: string; targetSystem: string; keys: Set<string> }>();
  for (const { refs } of perRecord) {
    for (const ref of refs) {
      const id = `${ref.sourceSystem}\u0000${ref.targetSystem}`;
      const group = bySystems.get(id) ?? { sourceSystem: ref.sourceSystem, targetSystem: ref.targetSystem, keys: new Set<string>() };
      group.keys.add(ref.key);
      bySystems.set(id, group);
    }
  }
  const found = new Map<string, string>();
  for (const [id, g] of bySystems) {
    const links = await getLinks(pool, { connectionId, sourceSystem: g.sourceSystem, targetSystem: g.targetSystem }, [...g.keys]);
    for (const [key, link] of links) if (link.state === 'linked' && link.target_id) found.set(`${id}\u0000${key}`, link.target_id);
  }
  for (const { record, refs } of perRecord) {
    const check: ReferenceCheck = { refs: new Map() };
    for (const ref of refs) {
      const targetId = found.get(`${ref.sourceSystem}\u0000${ref.targetSystem}\u0000${ref.key}`);
      if (targetId) check.refs.set(ref.key, targetId);
      else check.missing ??= ref;
    }
    out.set(record.key, check);
  }
  return out;
}

export interface WaitContext {
  connectionId: string;
  flow: string;
  /** How long a record may wait (default 24 h); 0 dead-letters at once (a replay). */
  waitForReferenceMs?: number;
  audit: Omit<AuditEvent, 'recordKey' | 'action' | 'outcome'>;
  /** The attempt's hold on the connection: the wait, its audit row and its dead letter are written only while it holds. */
  lease?: Lease;
}

/**
 * A record whose reference is missing waits in waiting_records (retried by later polls) until it has waited longer
 * than its flow allows; then it is dead-lettered with a reason naming the missing reference, replayable like any.
 */
export async function holdForReference(pool: Db, w: WaitContext, record: SourceRecord, err: MissingReferenceError): Promise<{ outcome: 'waiting' | 'dead_lettered'; added: boolean }> {
  const limitMs = w.waitForReferenceMs ?? DEFAULT_WAIT_FOR_REFERENCE_MS;
  // One transaction holding the lease row: a stale attempt writes none of the wait, its audit row or its dead letter.
  return withFence(pool, w.lease, async (db) => {
    const { firstSeenAt, added } = await upsertWaiting(db, { connectionId: w.connectionId, flow: w.flow, recordKey: record.key, missingKey: err.refKey, reason: err.reason, sourceRecord: record }, w.lease);
    if (Date.now() - firstSeenAt.getTime() < limitMs) {
      if (added) await appendAuditEvents(db, [{ ...w.audit, recordKey: record.key, action: 'wait', outcome: 'ok', detail: { missingKey: err.refKey, reason: err.reason } }]);
      return { outcome: 'waiting' as const, added };
    }
    const message = `missing reference ${err.refKey} (${err.reason}): waited since ${firstSeenAt.toISOString()}, longer than the flow's ${Math.round(limitMs / 1000)} s; sync ${err.refKey} to the target, then replay`;
    await upsertDeadLetter(db, { connectionId: w.connectionId, flow: w.flow, recordKey: record.key, errorCode: 'MISSING_REFERENCE', errorMessage: message, sourceRecord: record });
    await appendAuditEvents(db, [{ ...w.audit, recordKey: record.key, action: 'dead_letter', outcome: 'failed', errorCode: 'MISSING_REFERENCE', errorBody: message }]);
    await deleteWaiting(db, w.connectionId, w.flow, [record.key], w.lease);
    return { outcome: 'dead_lettered' as const, added: false };
  });
}

/**
 * A window's records plus, when `retry`, the flow's waiting records it did not re-read (their stored copies): the
 * watermark may have passed them, so the waiting table is what brings them back. A fresh copy in the window wins.
 */
export async function withWaitingRecords(pool: Db, connectionId: string, flow: string, records: SourceRecord[], retry: boolean, waitingFlows?: ReadonlySet<string>): Promise<{ records: SourceRecord[]; waitingKeys: Set<string> }> {
  // `waitingFlows`: the flows with waiting records when the attempt began. Only the attempt holding the connection adds
  // waits, and a flow adds only its own, so a flow not in it has none now: nothing to read.
  const waiting: WaitingRecord[] = waitingFlows && !waitingFlows.has(flow) ? [] : await listWaiting(pool, connectionId, flow);
  const waitingKeys = new Set(waiting.map((w) => w.record_key));
  if (!retry || waiting.length === 0) return { records, waitingKeys };
  const inWindow = new Set(records.map((r) => r.key));
  const retried = waiting.filter((w) => !inWindow.has(w.record_key)).map((w) => w.source_record as SourceRecord);
  return { records: [...records, ...retried], waitingKeys };
}

/** The flow's waiting records for status, when it has or had any (undefined keeps summaries of other flows small). */
export async function waitingForStatus(pool: Db, connectionId: string, flow: string, hadWaiting: boolean, added: number): Promise<{ count: number; missingKeys: string[] } | undefined> {
  if (!hadWaiting && added === 0) return undefined;
  return waitingSnapshot(pool, connectionId, flow);
}
