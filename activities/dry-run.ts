import { type FlowSettings } from '../core/sync-types';
import { type Db } from '../db/pool';
import { getLinks } from '../db/record-links';
import { resolveReferences } from './flow-dependencies';
import { type FlowContext, type FlowFactory, type FlowRuntime } from './flows/types';
import { payloadHash } from './record-hash';

export type DryRunAction = 'create' | 'update' | 'skip' | 'fail';

export interface DryRunFlow {
  flow: string;
  from: string;
  to: string;
  moreWindows: boolean;
  counts: Record<DryRunAction, number>;
  records: Array<{ key: string; action: DryRunAction; targetId?: string; reason?: string }>;
  error?: string;
}

/** Enough to judge a mapping change; counts cover every record read. */
const MAX_LISTED = 200;
/** A first sync of years of history is previewed in part: the counts say so through `moreWindows`. */
const MAX_WINDOWS = 60;

/**
 * What the next poll would do, without writing anything: the windows the workflow would read (from the watermark
 * minus overlap up to now, in maxWindowMs steps), the flow's own fetch and map, and the engine's hash-against-link
 * decision. Only the flow's read methods are called; create/update/findExisting never are.
 */
export async function dryRunFlows(
  pool: Db,
  ctx: FlowContext,
  factories: Record<string, FlowFactory>,
  flows: FlowSettings[],
  watermarks: Record<string, string | undefined>,
  now = new Date(),
): Promise<DryRunFlow[]> {
  const out: DryRunFlow[] = [];
  for (const flow of flows) {
    const factory = factories[flow.flow];
    if (!flow.enabled || !factory) continue;
    const watermark = Date.parse(watermarks[flow.flow] ?? flow.initialFrom);
    const fromMs = Math.max(Date.parse(flow.initialFrom), watermark - flow.overlapMs);
    const result: DryRunFlow = { flow: flow.flow, from: new Date(fromMs).toISOString(), to: new Date(fromMs).toISOString(), moreWindows: false, counts: { create: 0, update: 0, skip: 0, fail: 0 }, records: [] };
    try {
      const runtime = await factory(ctx);
      let from = fromMs;
      for (let i = 0; from < now.getTime() && i < MAX_WINDOWS; i += 1) {
        const to = Math.min(now.getTime(), from + flow.maxWindowMs);
        await previewWindow(pool, ctx.connection.id, runtime, result, new Date(from), new Date(to));
        result.to = new Date(to).toISOString();
        from = to;
      }
      result.moreWindows = from < now.getTime();
    } catch (err) {
      result.error = err instanceof Error ? err.message : String(err);
    }
    out.push(result);
  }
  return out;
}

async function previewWindow(pool: Db, connectionId: string, runtime: FlowRuntime, result: DryRunFlow, from: Date, to: Date): Promise<void> {
  const records = await runtime.fetchWindow(from, to);
  const links = await getLinks(pool, { connectionId, sourceSystem: runtime.sourceSystem, targetSystem: runtime.targetSystem }, records.map((r) => r.key));
  const references = await resolveReferences(pool, connectionId, runtime, records);
  for (const record of records) {
    let entry: DryRunFlow['records'][number];
    try {
      const refs = references.get(record.key);
      const link = links.get(record.key);
      if (refs?.missing) {
        entry = { key: record.key, action: 'skip', reason: `would wait for ${refs.missing.key}: ${refs.missing.reason ?? `not on ${refs.missing.targetSystem} yet`}` };
      } else if (link?.state === 'linked' && link.target_id) {
        const hash = payloadHash(runtime.map(record, refs?.refs));
        entry = link.last_hash === hash ? { key: record.key, action: 'skip', targetId: link.target_id, reason: 'unchanged since the last write' } : { key: record.key, action: 'update', targetId: link.target_id };
      } else {
        runtime.map(record, refs?.refs);
        entry = { key: record.key, action: 'create', ...(link?.state === 'intent' ? { reason: 'an earlier create may have happened: the poll looks it up first' } : {}) };
      }
    } catch (err) {
      entry = { key: record.key, action: 'fail', reason: err instanceof Error ? err.message : String(err) };
    }
    result.counts[entry.action] += 1;
    if (result.records.length < MAX_LISTED) result.records.push(entry);
  }
}
