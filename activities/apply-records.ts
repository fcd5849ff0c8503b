import { ApplicationFailure } from '@temporalio/activity';
import { isPartnerError } from '../core/partner-error';
import { appendAuditEvents } from '../db/audit-events';
import { withFence } from '../db/connection-leases';
import { listDeadLetters, resolveDeadLetter, upsertDeadLetter } from '../db/dead-letters';
import { type Db } from '../db/pool';
import { linkWithAudit } from '../db/record-effects';
import { getLinks, recordIntent, type LinkKey } from '../db/record-links';
import { deleteWaiting } from '../db/waiting-records';
import { type EchoGuard } from './echo-guard';
import { holdForReference, resolveReferences } from './flow-dependencies';
import { MappingError, MissingReferenceError, type FlowRuntime, type SourceRecord } from './flows/types';
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

type Outcome = 'created' | 'updated' | 'unchanged' | 'dead_lettered' | 'waiting';

/** Records of one page are written with bounded concurrency; the partner's own limiter does the rest. */
const CONCURRENCY = 8;

/**
 * Writes a page of source records to the target, exactly once per record whatever crashes: link lookup, intent row
 * before each create, recovery of half-done creates by external key, hash comparison to skip unchanged records,
 * and one audit row per effect. Permanent partner errors and mapping errors dead-letter the record and the page
 * goes on; transient errors fail the activity so Temporal retries it (a 429 waits for Retry-After).
 */
export async function applyRecords(
  pool: Db,
  runtime: FlowRuntime,
  records: SourceRecord[],
  meta: ApplyMeta,
  onProgress?: (done: number) => void,
): Promise<ApplyResult> {
  const keyBase = { connectionId: meta.connectionId, sourceSystem: runtime.sourceSystem, targetSystem: runtime.targetSystem };
  const keys = records.map((r) => r.key);
  // A newer attempt waits out the calls an older one may still have in flight before it reads intents and links.
  if (records.length > 0) await meta.fence?.ready();
  const lease = meta.fence?.lease;
  const [links, openDeadLetters] = await Promise.all([
    getLinks(pool, keyBase, keys),
    listDeadLetters(pool, { connectionId: meta.connectionId, flow: meta.flow, recordKeys: keys }),
  ]);
  const [references] = await Promise.all([resolveReferences(pool, meta.connectionId, runtime, records), meta.echo?.load(records, links)]);
  const openKeys = new Set(openDeadLetters.map((d) => d.record_key));
  const result: ApplyResult = { created: 0, updated: 0, unchanged: 0, deadLettered: 0, failedKeys: [], resolvedKeys: [], waitingAdded: 0, waiting: 0, echoes: 0 };
  const settledWaiting: string[] = [];
  const audit = { connectionId: meta.connectionId, flow: meta.flow, direction: runtime.direction, workflowId: meta.workflowId, runId: meta.runId, activityAttempt: meta.attempt };

  /** The flow's own account of a payload (e.g. why a task went to a fallback approver), for the audit row. */
  const why = (payload: unknown): { detail?: Record<string, unknown> } => {
    const detail = runtime.auditDetail?.(payload);
    return detail ? { detail } : {};
  };

  async function one(record: SourceRecord): Promise<Outcome> {
    const k: LinkKey = { ...keyBase, sourceKey: record.key };
    meta.fence?.check();
    try {
      const refs = references.get(record.key);
      if (refs?.missing) throw new MissingReferenceError(refs.missing.key, refs.missing.reason ?? `not on ${refs.missing.targetSystem} yet`);
      const payload = runtime.map(record, refs?.refs);
      const hash = payloadHash(payload);
      const link = links.get(record.key);
      if (link?.state === 'linked' && link.target_id && link.last_hash === hash) return 'unchanged';
      const verdict = await meta.echo?.check(record, link);
      if (verdict?.kind === 'echo') return 'unchanged';
      if (verdict?.kind === 'kept-target') return 'updated';
      const targetId = (link?.state === 'linked' && link.target_id) || verdict?.targetId;
      if (targetId) {
        meta.fence?.check();
        // The target may answer that the record now lives elsewhere (re-created after a deletion): link that one.
        const writtenTo = (await runtime.update(targetId, payload, record))?.targetId ?? targetId;
        await linkWithAudit(pool, k, meta.flow, writtenTo, hash, { ...audit, recordKey: record.key, action: 'update', outcome: 'ok', ...why(payload) }, lease);
        await meta.echo?.remember(record, payload, writtenTo);
        return 'updated';
      }
      // An intent without a link: we may have created it and crashed before linking. Look before creating.
      const found = link?.state === 'intent' ? await runtime.findExisting(record, { intentAt: link.intent_at }) : undefined;
      if (found) {
        await runtime.update(found, payload, record);
        await linkWithAudit(pool, k, meta.flow, found, hash, { ...audit, recordKey: record.key, action: 'link', outcome: 'ok', detail: { recovered: true } }, lease);
        await meta.echo?.remember(record, payload, found);
        return 'created';
      }
      await recordIntent(pool, k, meta.flow, lease);
      meta.fence?.check();
      const created = await runtime.create(payload, record);
      await linkWithAudit(pool, k, meta.flow, created.targetId, hash, { ...audit, recordKey: record.key, action: 'create', outcome: 'ok', ...why(payload) }, lease);
      await meta.echo?.remember(record, payload, created.targetId);
      return 'created';
    } catch (err) {
      if (err instanceof MissingReferenceError) {
        const held = await holdForReference(pool, { connectionId: meta.connectionId, flow: meta.flow, waitForReferenceMs: meta.waitForReferenceMs, audit }, record, err);
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

  let done = 0;
  // Stops at the first transient failure and waits for every lane: a write still running once the activity has
  // failed would race Temporal's retry and create the same record twice.
  try {
    await runInLanes(records, { concurrency: CONCURRENCY, cancelled: meta.cancelled }, async (record) => {
      const outcome = await one(record);
      if (outcome === 'dead_lettered') {
        result.deadLettered += 1;
        if (result.failedKeys.length < 20) result.failedKeys.push(record.key);
      } else if (outcome === 'waiting') {
        result.waiting += 1;
      } else {
        if (meta.waitingKeys?.has(record.key)) settledWaiting.push(record.key);
        result[outcome] += 1;
        if (openKeys.has(record.key)) {
          await withFence(pool, lease, (db) => resolveDeadLetter(db, meta.connectionId, meta.flow, record.key));
          result.resolvedKeys.push(record.key);
        }
      }
      onProgress?.(++done);
    });
  } catch (err) {
    throw toActivityFailure(err);
  } finally {
    // Written (or found unchanged) records stop waiting, also when a later record failed the page.
    await deleteWaiting(pool, meta.connectionId, meta.flow, settledWaiting);
  }
  result.echoes = meta.echo?.echoes ?? 0;
  return result;
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
