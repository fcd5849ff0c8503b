import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

interface Sampled {
  byId: Map<number, ProfileNode>;
  parent: Map<number, number>;
  /** Busy samples per node id, from the first sample inside a sync activity on (module loading and worker start left out). */
  hits: Map<number, number>;
}

/** The activities a sync runs in (activities/poll-flows.ts, activities/sync-window.ts). */
const SYNC_ACTIVITIES = new Set(['pollFlows', 'syncWindow']);
const isOurs = (url: string) => (url.startsWith('file://') || url.startsWith('/')) && !url.includes('/node_modules/');

/**
 * The samples of each V8 CPU profile (`node --cpu-prof`) in a folder. A thread that ran a sync activity counts from
 * its first sample inside one (SYNC_ACTIVITIES): what came before is loading modules and starting the worker,
 * which a 2,000-record run would otherwise show as a fifth of its time. Idle samples are dropped (waiting on HTTP,
 * PostgreSQL or Temporal is no CPU).
 */
function sampled(dir: string): Sampled[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((file) => {
      const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const parent = new Map<number, number>();
      for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
      const inActivity = new Map<number, boolean>();
      const underActivities = (id: number): boolean => {
        const known = inActivity.get(id);
        if (known !== undefined) return known;
        const node = byId.get(id);
        const up = parent.get(id);
        const v = SYNC_ACTIVITIES.has(node?.callFrame.functionName ?? '') || (up !== undefined && underActivities(up));
        inActivity.set(id, v);
        return v;
      };
      const samples = profile.samples ?? [];
      const first = samples.findIndex((id) => underActivities(id));
      const hits = new Map<number, number>();
      for (const id of samples.slice(Math.max(0, first))) {
        if (byId.get(id)?.callFrame.functionName === '(idle)') continue;
        hits.set(id, (hits.get(id) ?? 0) + 1);
      }
      return { byId, parent, hits };
    });
}

function ranked(totals: Map<string, number>, all: number, top: number): Array<{ where: string; percent: number }> {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, hits]) => ({ where, percent: Math.round((hits / Math.max(1, all)) * 1000) / 10 }));
}

/**
 * The heaviest functions of the profiles by self time: where a worker's own CPU went. Grouped by function and file
 * (node_modules collapsed to the package), as percent of busy samples.
 */
export function topSelfTime(dir: string, top = 15): Array<{ where: string; percent: number }> {
  const totals = new Map<string, number>();
  let all = 0;
  for (const { byId, hits } of sampled(dir)) {
    for (const [id, n] of hits) {
      all += n;
      const { functionName, url } = byId.get(id)!.callFrame;
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
      const file = pkg ? `[${pkg}]` : url ? path.relative(process.cwd(), url.replace(/^file:\/\//, '')) : '';
      const key = `${functionName || '(anonymous)'} ${file}`.trim();
      totals.set(key, (totals.get(key) ?? 0) + n);
    }
  }
  return ranked(totals, all, top);
}

/**
 * Busy samples charged to the nearest file of ours on the stack (leaf upwards), so time spent inside axios, pg or
 * zod counts for the code that called it (e.g. connectors/http/partner-request.ts); samples with no file of ours on
 * the stack go to the package nearest the leaf, else to the runtime ("(node)", "(garbage collector)", a native).
 */
export function selfTimeByArea(dir: string, top = 20): Array<{ where: string; percent: number }> {
  const totals = new Map<string, number>();
  let all = 0;
  for (const { byId, parent, hits } of sampled(dir)) {
    for (const [leaf, n] of hits) {
      all += n;
      let area: string | undefined;
      let nearestPackage: string | undefined;
      for (let id: number | undefined = leaf; id !== undefined && !area; id = parent.get(id)) {
        const url = byId.get(id)?.callFrame.url ?? '';
        const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
        if (pkg) nearestPackage ??= `[${pkg}]`;
        else if (isOurs(url)) area = path.relative(process.cwd(), url.replace(/^file:\/\//, ''));
      }
      const { url, functionName } = byId.get(leaf)!.callFrame;
      const key = area ?? nearestPackage ?? (url.startsWith('node:') ? '(node)' : functionName || '(native)');
      totals.set(key, (totals.get(key) ?? 0) + n);
    }
  }
  return ranked(totals, all, top);
}
