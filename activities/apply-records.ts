import { ApplicationFailure } from '@temporalio/activity';
import { isPartnerError } from '../core/partner-error';
import { appendAuditEvents } from '../db/audit-events';
import { withFence } from '../db/connection-leases';
import { listDeadLetters, resolveDeadLetter, upsertDeadLetter } from '../db/dead-letters';
import { type Db } from '../db/pool';
import { linksWithAudit, type LinkEffect } from '../db/record-effects';
import { dropUnsentIntents, getLinks, recordIntent, recordIntents, type RecordLink } from '../db/record-links';
import { deleteWaiting } from '../db/waiting-records';
import { type EchoGuard } from './echo-guard';
import { holdForReference, resolveReferences, type ReferenceCheck } from './flow-dependencies';
import { MappingError, MissingReferenceError, type FlowRuntime, type SourceRecord } from './flows/types';
import { IntentPages } from './intent-pages';
import { DEFAULT_LINK_BATCH, LinkBatcher, type LinkBatcherOptions } from './link-batcher';
import { payloadHash } from './record-hash';
import { runInLanes } from './run-lanes';
import { type WriteFence } from './write-fence';

export interface ApplyMeta {
  connectionId: string;
  flow: string;
  workflowId?: string;
  runId?: string;
  attempt?: number;
  /** Aborted when Temporal cancels this attempt: no lane may start another write after that. */
  cancelled?: AbortSignal;
  /** How long a record may wait for a missing reference (flow setting; default 24 h). */
  waitForReferenceMs?: number;
  /** Keys of the flow's records waiting for a reference: written ones stop waiting. */
  waitingKeys?: ReadonlySet<string>;
  /** Bidirectional flows: skips our own writes read back, settles conflicts. */
  echo?: EchoGuard;
  /** This attempt's hold on the connection: every write is conditional on it, every partner call checks it first. */
  fence?: WriteFence;
  /** How links are batched (tests make batches small to see them). */
  linkBatch?: LinkBatcherOptions;
}

export interface ApplyResult {
  created: number;
  updated: number;
  unchanged: number;
  deadLettered: number;
  failedKeys: string[];
  resolvedKeys: string[];
  /** Records that began waiting for a reference / wait still. */
  waitingAdded: number;
  waiting: number;
  echoes: number;
}

type Outcome = 'created' | 'updated' | 'unchanged' | 'dead_lettered' | 'waiting' | 'linking';

/** Records of one page are written with bounded concurrency; the partner's own limiter does the rest. */
const CONCURRENCY = 8;
/** Records whose intents are recorded in one statement (and at most two pages of intents ahead of their creates). */
export const INTENT_PAGE_SIZE = 64;

/** A written record waiting in a link batch: counted, remembered and settled once its batch committed. */
interface Written {
  record: SourceRecord;
  outcome: 'created' | 'updated';
  payload: unknown;
  targetId: string;
}

/**
 * Writes a page of source records to the target, exactly once per record whatever crashes: link lookup, intents
 * committed before the creates (one statement per page of INTENT_PAGE_SIZE, a page ahead), recovery of half-done
 * creates by external key, hash comparison to skip unchanged records, and links with their audit rows written in
 * batches as writes complete (all flushed before this returns, and before progress counts them). Permanent partner
 * errors and mapping errors dead-letter the record and the page goes on; transient errors fail the activity so
 * Temporal retries it (a 429 waits for Retry-After).
 */
export async function applyRecords(
  pool: Db,
  runtime: FlowRuntime,
  records: SourceRecord[],
  meta: ApplyMeta,
  onProgress?: (done: number) => void,
): Promise<ApplyResult> {
  // An empty window (most polls) has nothing to look up: no links, dead letters or mirror states to read.
  const result: ApplyResult = { created: 0, updated: 0, unchanged: 0, deadLettered: 0, failedKeys: [], resolvedKeys: [], waitingAdded: 0, waiting: 0, echoes: 0 };
  if (records.length === 0) return result;
  const keyBase = { connectionId: meta.connectionId, sourceSystem: runtime.sourceSystem, targetSystem: runtime.targetSystem };
  const keys = records.map((r) => r.key);
  // A newer attempt waits out the calls an older one may still have in flight before it reads intents and links.
  await meta.fence?.ready();
  const lease = meta.fence?.lease;
  const [links, openDeadLetters] = await Promise.all([
    getLinks(pool, keyBase, keys),
    listDeadLetters(pool, { connectionId: meta.connectionId, flow: meta.flow, recordKeys: keys }),
  ]);
  const [references] = await Promise.all([resolveReferences(pool, meta.connectionId, runtime, records), meta.echo?.load(records, links)]);
  const recovered = await findRecovered(runtime, records, links);
  const openKeys = new Set(openDeadLetters.map((d) => d.record_key));
  const settledWaiting: string[] = [];
  const audit = { connectionId: meta.connectionId, flow: meta.flow, direction: runtime.direction, workflowId: meta.workflowId, runId: meta.runId, activityAttempt: meta.attempt };

  /** The flow's own account of a payload (e.g. why a task went to a fallback approver), for the audit row. */
  const why = (payload: unknown): { detail?: Record<string, unknown> } => {
    const detail = runtime.auditDetail?.(payload);
    return detail ? { detail } : {};
  };

  // Mapped once, before any write: which records may be created decides which intents each page records.
  const prepared = records.map((record) => prepare(runtime, record, references.get(record.key)));
  const candidates = records.map((record, i) => (prepared[i]!.ok && mayCreate(record, links.get(record.key), meta) ? record.key : undefined));
  const intents = new IntentPages(candidates, INTENT_PAGE_SIZE, (page) => recordIntents(pool, keyBase, meta.flow, page, lease));
  const sent = new Set<string>();

  let done = 0;
  const finished = (n = 1) => onProgress?.((done += n));
  /** After a write's link committed (or when nothing needed writing): counts, stops waiting, resolves its dead letter. */
  async function settle(record: SourceRecord, outcome: 'created' | 'updated' | 'unchanged'): Promise<void> {
    if (meta.waitingKeys?.has(record.key)) settledWaiting.push(record.key);
    result[outcome] += 1;
    if (openKeys.has(record.key)) {
      await withFence(pool, lease, (db) => resolveDeadLetter(db, meta.connectionId, meta.flow, record.key));
      result.resolvedKeys.push(record.key);
    }
  }
  const batcher = new LinkBatcher<Written>(
    (effects) => linksWithAudit(pool, { ...keyBase, ...audit }, effects, lease),
    async (items) => {
      for (const w of items) {
        await meta.echo?.remember(w.record, w.payload, w.targetId, lease);
        await settle(w.record, w.outcome);
      }
      finished(items.length);
    },
    meta.linkBatch ?? DEFAULT_LINK_BATCH,
  );
  const linked = (record: SourceRecord, outcome: Written['outcome'], payload: unknown, targetId: string, effect: Omit<LinkEffect, 'sourceKey' | 'targetId' | 'at'>): 'linking' => {
    batcher.add({ ...effect, sourceKey: record.key, targetId, at: new Date() }, { record, outcome, payload, targetId });
    return 'linking';
  };

  async function one(record: SourceRecord, index: number): Promise<Outcome> {
    meta.fence?.check();
    try {
      const ready = prepared[index]!;
      if (!ready.ok) throw ready.error;
      const { payload, hash } = ready;
      const link = links.get(record.key);
      if (link?.state === 'linked' && link.target_id && link.last_hash === hash) return 'unchanged';
      const verdict = await meta.echo?.check(record, link, lease);
      if (verdict?.kind === 'echo') return 'unchanged';
      if (verdict?.kind === 'kept-target') return 'updated';
      const targetId = (link?.state === 'linked' && link.target_id) || verdict?.targetId;
      if (targetId) {
        meta.fence?.check();
        // The target may answer that the record now lives elsewhere (re-created after a deletion): link that one.
        const writtenTo = (await runtime.update(targetId, payload, record))?.targetId ?? targetId;
        return linked(record, 'updated', payload, writtenTo, { hash, action: 'update', ...why(payload) });
      }
      // An intent without a link: we may have created it and crashed before linking. Look before creating.
      const found = link?.state === 'intent' ? (recovered ? recovered.get(record.key) : await runtime.findExisting(record, { intentAt: link.intent_at })) : undefined;
      if (found) {
        await runtime.update(found, payload, record);
        return linked(record, 'created', payload, found, { hash, action: 'link', detail: { recovered: true } });
      }
      // Every create has its intent committed first: its page's statement, or its own when it was no candidate.
      await intents.ready(index);
      if (!intents.covers(record.key)) await recordIntent(pool, { ...keyBase, sourceKey: record.key }, meta.flow, lease);
      meta.fence?.check();
      sent.add(record.key);
      const created = await runtime.create(payload, record);
      return linked(record, 'created', payload, created.targetId, { hash, action: 'create', ...why(payload) });
    } catch (err) {
      if (err instanceof MissingReferenceError) {
        const held = await holdForReference(pool, { connectionId: meta.connectionId, flow: meta.flow, waitForReferenceMs: meta.waitForReferenceMs, audit, lease }, record, err);
        if (held.added) result.waitingAdded += 1;
        return held.outcome;
      }
      const permanent = err instanceof MappingError || (isPartnerError(err) && !err.decision.retry);
      if (!permanent) throw err;
      const partner = isPartnerError(err) ? err : undefined;
      // The dead letter and its audit row in one transaction, only while this attempt holds the connection.
      await withFence(pool, lease, async (db) => {
        await upsertDeadLetter(db, {
          connectionId: meta.connectionId,
          flow: meta.flow,
          recordKey: record.key,
          errorCode: partner?.code ?? (err instanceof MappingError ? 'MAPPING' : undefined),
          errorMessage: err.message,
          partnerStatus: partner?.status,
          rawResponse: partner?.rawBody,
          sourceRecord: record,
        });
        await appendAuditEvents(db, [
          { ...audit, recordKey: record.key, action: 'dead_letter', outcome: 'failed', errorCode: partner?.code ?? 'MAPPING', errorBody: partner?.rawBody ?? err.message },
        ]);
      });
      return 'dead_lettered';
    }
  }

  // Stops at the first transient failure and waits for every lane: a write still running once the activity has
  // failed would race Temporal's retry and create the same record twice.
  try {
    await runInLanes(
      records.map((record, index) => ({ record, index })),
      { concurrency: CONCURRENCY, cancelled: meta.cancelled },
      async ({ record, index }) => {
        const outcome = await one(record, index);
        if (outcome === 'linking') return;
        if (outcome === 'dead_lettered') {
          result.deadLettered += 1;
          if (result.failedKeys.length < 20) result.failedKeys.push(record.key);
        } else if (outcome === 'waiting') {
          result.waiting += 1;
        } else {
          await settle(record, outcome);
        }
        finished();
      },
    );
    await batcher.drain();
  } catch (err) {
    // Links of writes that completed are written even so (one statement), and intents of creates never sent are
    // taken back: the retry then searches the target only for records whose create may have reached it.
    await batcher.drain().catch(() => undefined);
    const unsent = (await intents.committed()).filter((k) => !sent.has(k) && !links.has(k));
    await dropUnsentIntents(pool, keyBase, unsent, lease).catch(() => undefined);
    throw toActivityFailure(err);
  } finally {
    // Written (or found unchanged) records stop waiting, also when a later record failed the page (only while this
    // attempt holds the connection: a stale attempt must not end waits the newer one keeps).
    await deleteWaiting(pool, meta.connectionId, meta.flow, settledWaiting, lease);
  }
  result.echoes = meta.echo?.echoes ?? 0;
  return result;
}

/** A record mapped once: its payload and hash, or why it cannot be written (thrown when its lane reaches it). */
type Prepared = { ok: true; payload: unknown; hash: string } | { ok: false; error: unknown };

function prepare(runtime: FlowRuntime, record: SourceRecord, refs: ReferenceCheck | undefined): Prepared {
  try {
    if (refs?.missing) throw new MissingReferenceError(refs.missing.key, refs.missing.reason ?? `not on ${refs.missing.targetSystem} yet`);
    const payload = runtime.map(record, refs?.refs);
    return { ok: true, payload, hash: payloadHash(payload) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Whether writing `record` may create it: no linked target, and (both ways) no counterpart the reverse flow linked. */
function mayCreate(record: SourceRecord, link: RecordLink | undefined, meta: ApplyMeta): boolean {
  if (link?.state === 'linked' && link.target_id) return false;
  return !meta.echo?.knowsTarget(record.key, link);
}

/** Transient partner errors become retryable failures; a 429 asks Temporal to wait for Retry-After, no sooner. */
export function toActivityFailure(err: unknown): unknown {
  if (!isPartnerError(err)) return err;
  return ApplicationFailure.create({
    message: err.message,
    type: err.decision.retry ? 'PartnerTransientError' : 'PartnerPermanentError',
    nonRetryable: !err.decision.retry,
    nextRetryDelay: err.decision.retry && err.decision.waitMs ? err.decision.waitMs : undefined,
    details: [{ partner: err.partner, operation: err.operation, status: err.status, code: err.code, hint: err.hint }],
  });
}

/**
 * Records whose intent has no link (we may have created them and crashed before linking), looked up at once when the
 * flow offers findExistingMany; undefined when it does not (each is looked up on its own) or none is open.
 */
async function findRecovered(runtime: FlowRuntime, records: SourceRecord[], links: Map<string, RecordLink>): Promise<Map<string, string> | undefined> {
  if (!runtime.findExistingMany) return undefined;
  const open = records.filter((r) => links.get(r.key)?.state === 'intent');
  if (open.length === 0) return undefined;
  const intentAt = new Date(Math.min(...open.map((r) => links.get(r.key)!.intent_at.getTime())));
  return runtime.findExistingMany(open, { intentAt });
}
