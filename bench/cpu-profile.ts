import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

/**
 * The heaviest functions of the V8 CPU profiles (`node --cpu-prof`) in a folder, by self time: where a worker's own
 * CPU went. Grouped by function and file (node_modules collapsed to the package), as percent of busy samples.
 */
export function topSelfTime(dir: string, top = 15): Array<{ where: string; percent: number }> {
  const totals = new Map<string, number>();
  let all = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    for (const node of profile.nodes) {
      const hits = node.hitCount ?? 0;
      // Idle samples only say the thread waited (on HTTP, PostgreSQL, Temporal): percentages are of busy samples.
      if (hits === 0 || node.callFrame.functionName === '(idle)') continue;
      all += hits;
      const { functionName, url } = node.callFrame;
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
      const file = pkg ? `[${pkg}]` : url ? path.relative(process.cwd(), url.replace(/^file:\/\//, '')) : '';
      const key = `${functionName || '(anonymous)'} ${file}`.trim();
      totals.set(key, (totals.get(key) ?? 0) + hits);
    }
  }
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, hits]) => ({ where, percent: Math.round((hits / Math.max(1, all)) * 1000) / 10 }));
}
